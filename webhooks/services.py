"""Webhooks: registering them, recording what they are owed, delivering it.

A message is first a ``WebhookDelivery`` row, written in the transaction of the change it
reports (``record``), so it is as durable as the change. After commit its id goes to the
broker; a worker claims it (pending -> sending, a conditional UPDATE that also leases it),
POSTs it signed, and records the attempt. A failure waits out a backoff, and the dispatcher
(beat) publishes it again, until it is delivered or ``RETRY_FOR`` has passed. A 410 answer
disables the hook. Messages about one object go out in the order they were recorded: a
later one waits while an earlier one is still owed.

A worker killed after sending but before recording leaves its delivery ``sending``; when the
lease runs out the dispatcher publishes it again, so that message may arrive twice (with the
same ``webhook-id``), never not at all.
"""

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from agenda import permissions
from agenda.composed import ComposedQuery
from agenda.models import Event
from agenda.permissions import Permission

from . import net, signing
from .enums import DeliveryStatus, EventType
from .errors import WebhookError
from .models import Webhook, WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)

RETRY_FOR = dt.timedelta(days=3)
# How long a claimed or published delivery is left alone before the dispatcher takes it
# back: more than the longest send (the timeout, twice: connect and read).
LEASE = dt.timedelta(minutes=2)
# Secrets replaced by a rotation still sign messages this long.
ROTATION_OVERLAP = dt.timedelta(hours=24)
# A message waiting for an earlier one about the same object looks again this soon.
ORDER_WAIT = dt.timedelta(seconds=5)


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h, ~8.5 h, then every 12 h, for three days."""
    return dt.timedelta(seconds=min(30 * 4 ** max(attempts - 1, 0), 12 * 3600))


# --- Hooks ---------------------------------------------------------------------------------


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("bad_scheme", field="url")
    if parts.username or parts.password:
        raise WebhookError("credentials_in_url", field="url")
    try:
        net.resolve(url)
    except net.ForbiddenAddress as error:
        raise WebhookError("forbidden_address", field="url", reason=str(error)) from error
    except net.SendError as error:
        raise WebhookError("unresolvable", field="url", reason=str(error)) from error


def _check_types(event_types: Iterable[str]) -> list[str]:
    types = list(dict.fromkeys(event_types))
    unknown = sorted(set(types) - set(EventType.values))
    if unknown:
        raise WebhookError("unknown_types", field="event_types", types=", ".join(unknown))
    if not types:
        raise WebhookError("no_types", field="event_types")
    return types


def create_webhook(*, owner, url: str, event: Event | None = None,
                   event_types: Iterable[str] = EventType.values,
                   description: str = "") -> Webhook:
    """Register ``url`` for ``event`` (None: every event ``owner`` organizes). Callers check
    ``Permission.MANAGE_WEBHOOKS`` first. The returned hook's ``secret`` is shown once."""
    _check_url(url)
    hook = Webhook(owner=owner, event=event, url=url, description=description,
                   event_types=_check_types(event_types), secret=signing.new_secret())
    hook.full_clean()
    hook.save()
    return hook


def update_webhook(*, webhook: Webhook, url: str | None = None,
                   event_types: Iterable[str] | None = None, description: str | None = None,
                   is_active: bool | None = None) -> Webhook:
    """Change a hook; turning it on again clears why it was disabled."""
    if url is not None and url != webhook.url:
        _check_url(url)
        webhook.url = url
    if event_types is not None:
        webhook.event_types = _check_types(event_types)
    if description is not None:
        webhook.description = description
    if is_active is not None:
        webhook.is_active = is_active
        if is_active:
            webhook.disabled_reason = ""
    webhook.full_clean()
    webhook.save()
    return webhook


def rotate_secret(*, webhook: Webhook, now: dt.datetime | None = None) -> Webhook:
    """A new secret (shown once); the old one still signs for ``ROTATION_OVERLAP``."""
    now = now or timezone.now()
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_expires_at = now + ROTATION_OVERLAP
    webhook.secret = signing.new_secret()
    webhook.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at",
                                "updated_at"])
    return webhook


def delete_webhook(*, webhook: Webhook) -> None:
    webhook.delete()


def _secrets_in_use(webhook: Webhook, now: dt.datetime) -> list[str]:
    in_use = [webhook.secret]
    if webhook.previous_secret and webhook.previous_secret_expires_at \
            and webhook.previous_secret_expires_at > now:
        in_use.append(webhook.previous_secret)
    return in_use


# --- Recording -----------------------------------------------------------------------------


def candidate_hooks(event_id: int) -> QuerySet[Webhook]:
    """The active hooks of the event, and the active all-events hooks."""
    return Webhook.objects.filter(is_active=True).filter(
        Q(event_id=event_id) | Q(event__isnull=True)
    )


# Asked on every registration, where most events have no hook at all: their ids are read by
# SQL composed once (agenda.composed; checked against the plain queryset by
# tests/webhooks/test_composed_reads.py), and the hooks themselves only when there are some.
_CANDIDATE_IDS = ComposedQuery(
    lambda event_id: candidate_hooks(event_id).values_list("pk", flat=True),
    event_id=-987_654_321,
)


def _candidate_ids(event_id: int, *, about: object = None) -> list[int]:
    """``_CANDIDATE_IDS`` of ``event_id``. ``about``: what the message is about, where one
    transaction tells hooks about it twice in a row (a registration that joins the waitlist
    is created and waitlisted): the ids read for the first are kept on it, for the same
    atomic block only (known by its savepoints and by Django's list of commit hooks, which
    Django replaces at every commit and rollback, a savepoint's too)."""
    database = transaction.get_connection()
    if about is None or not database.in_atomic_block:
        return _CANDIDATE_IDS.rows(event_id=event_id)
    block = (database.run_on_commit, tuple(database.savepoint_ids), event_id)
    kept = getattr(about, "_webhook_candidates", None)
    if kept is not None and kept[0][0] is block[0] and kept[0][1:] == block[1:]:
        return kept[1]
    ids = _CANDIDATE_IDS.rows(event_id=event_id)
    about._webhook_candidates = (block, ids)
    return ids


def hooks_for(event: Event, event_type: str, *, about: object = None) -> list[Webhook]:
    """The active hooks told about ``event_type`` on ``event``: its own, and the all-events
    hooks of people who (still) manage its webhooks. ``about``: see ``_candidate_ids``."""
    if not _candidate_ids(event.pk, about=about):
        return []
    candidates = candidate_hooks(event.pk).select_related("owner")
    return [
        hook for hook in candidates
        if hook.wants(event_type)
        and permissions.has_event_permission(hook.owner, event, Permission.MANAGE_WEBHOOKS)
    ]


def record(*, event: Event, event_type: str, object_key: str, data,
           now: dt.datetime | None = None, about: object = None) -> list[WebhookDelivery]:
    """Owe every hook that wants it a message of ``event_type`` about ``object_key``; call
    inside the transaction of the change. ``data`` (the message's ``data``, or a function
    making it) is built only when some hook wants it. Publishes the messages on commit.
    ``about``: the object itself, where it may be news twice in a row (``_candidate_ids``)."""
    hooks = hooks_for(event, event_type, about=about)
    if not hooks:
        return []
    now = now or timezone.now()
    payload = data() if callable(data) else data
    deliveries = []
    for hook in hooks:
        message_id = f"msg_{uuid.uuid4().hex}"
        body = json.dumps({"id": message_id, "type": event_type,
                           "timestamp": now.isoformat(), "data": payload},
                          ensure_ascii=False, separators=(",", ":"), default=str)
        deliveries.append(WebhookDelivery(
            webhook=hook, message_id=message_id, event_type=event_type,
            object_key=object_key, event_id=event.pk, body=body, created_at=now,
            next_attempt_at=now + LEASE, give_up_at=now + RETRY_FOR,
        ))
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: publish(ids))
    return deliveries


def forget_registration(*, public_id) -> int:
    """Strip the personal data of an erased registration from the messages kept about it
    (their log stays; one not sent yet goes out with the data left out)."""
    deliveries = WebhookDelivery.objects.filter(object_key=f"registration:{public_id}")
    for delivery in deliveries:
        message = json.loads(delivery.body)
        for name in ("name", "email", "organization", "reason"):
            if name in message.get("data", {}):
                message["data"][name] = ""
        message["data"]["erased"] = True
        delivery.body = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        delivery.save(update_fields=["body"])
    return len(deliveries)


def publish(delivery_ids: Iterable[int]) -> None:
    """Hand deliveries to the workers. Never raises: what the broker refuses is published
    again by the dispatcher when its lease runs out."""
    from .tasks import send_delivery_task

    for delivery_id in delivery_ids:
        try:
            send_delivery_task.delay(delivery_id)
        except Exception:
            logger.warning("broker unavailable; webhook deliveries left for the dispatcher",
                           exc_info=True)
            return


def dispatch_due(*, now: dt.datetime | None = None, limit: int = 10_000) -> int:
    """Publish every delivery whose time has come: retries after their backoff, anything
    whose publish was lost, and anything a worker claimed and never reported on."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
                    next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=due).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now + LEASE
        )
        transaction.on_commit(lambda: publish(due))
    return len(due)


def redeliver(*, delivery: WebhookDelivery, now: dt.datetime | None = None) -> WebhookDelivery:
    """Send a delivered or failed message again (same id, new timestamp and signature)."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(
            pk=delivery.pk, status__in=(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
        ).update(status=DeliveryStatus.PENDING, next_attempt_at=now + LEASE,
                 give_up_at=now + RETRY_FOR)
        if not updated:
            raise WebhookError("already_pending", status_code=409)
        transaction.on_commit(lambda: publish([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


# --- Sending -------------------------------------------------------------------------------


def _earlier_owed(delivery: WebhookDelivery) -> bool:
    return WebhookDelivery.objects.filter(
        webhook_id=delivery.webhook_id, object_key=delivery.object_key, pk__lt=delivery.pk,
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
    ).exists()


def send_delivery(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Try one pending delivery; True if the receiver took it (2xx)."""
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_related("webhook").filter(
        pk=delivery_id, status=DeliveryStatus.PENDING
    ).first()
    if delivery is None:
        return False  # delivered, failed, or another worker has it
    hook = delivery.webhook
    if not hook.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, last_error="The webhook is disabled."
        )
        return False
    if _earlier_owed(delivery):
        # In order per object: this one waits for the earlier one (which publishes it as
        # soon as it is delivered; the dispatcher otherwise).
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            next_attempt_at=now + ORDER_WAIT
        )
        return False
    attempts = delivery.attempts + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1,
             next_attempt_at=now + LEASE)
    if not claimed:
        return False
    timestamp = int(timezone.now().timestamp())
    headers = signing.headers(_secrets_in_use(hook, now), message_id=delivery.message_id,
                              timestamp=timestamp, body=delivery.body)
    started = timezone.now()
    status_code, error, duration_ms, permanent = None, "", 0, False
    try:
        answer = net.post(hook.url, body=delivery.body.encode(), headers=headers,
                          timeout=settings.WEBHOOKS_TIMEOUT)
        status_code, duration_ms = answer.status, answer.duration_ms
    except net.ForbiddenAddress as refusal:
        error, permanent = str(refusal), True
    except net.SendError as failure:
        error = str(failure)
    if not duration_ms:
        duration_ms = int((timezone.now() - started).total_seconds() * 1000)
    succeeded = status_code is not None and 200 <= status_code < 300
    WebhookAttempt.objects.create(
        delivery=delivery, started_at=started, duration_ms=duration_ms,
        response_status=status_code, error=error[:2000], succeeded=succeeded,
    )
    return _record_outcome(delivery, attempts=attempts, status_code=status_code,
                           error=error, permanent=permanent)


def _record_outcome(delivery: WebhookDelivery, *, attempts: int, status_code: int | None,
                    error: str, permanent: bool) -> bool:
    now = timezone.now()
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if status_code is not None and 200 <= status_code < 300:
        mine.update(status=DeliveryStatus.DELIVERED, delivered_at=now,
                    last_response_status=status_code, last_error="")
        _publish_next_of_object(delivery)
        return True
    reason = error or f"The receiver answered {status_code}."
    if status_code == 410:
        # "Gone": the receiver says it wants no more. The hook is off until turned on again.
        Webhook.objects.filter(pk=delivery.webhook_id).update(
            is_active=False, disabled_reason=f"The receiver answered 410 Gone on {now:%Y-%m-%d}.",
        )
        mine.update(status=DeliveryStatus.FAILED, last_response_status=410, last_error=reason)
        return False
    if permanent or now + retry_delay(attempts) > delivery.give_up_at:
        mine.update(status=DeliveryStatus.FAILED, last_response_status=status_code,
                    last_error=reason[:2000])
        _publish_next_of_object(delivery)
        return False
    mine.update(status=DeliveryStatus.PENDING, last_response_status=status_code,
                last_error=reason[:2000], next_attempt_at=now + retry_delay(attempts))
    return False


def _publish_next_of_object(delivery: WebhookDelivery) -> None:
    following = WebhookDelivery.objects.filter(
        webhook_id=delivery.webhook_id, object_key=delivery.object_key, pk__gt=delivery.pk,
        status=DeliveryStatus.PENDING,
    ).order_by("pk").values_list("pk", flat=True).first()
    if following is not None:
        publish([following])
