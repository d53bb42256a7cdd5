"""The outbox: recording, publishing and sending attendee emails.

A message is first a ``Delivery`` row, written in the transaction that caused it (so it is as
durable as the registration). After commit its id is published to the broker; a worker then
sends it while holding the row's lock and marks it sent, so it goes out at most once however
often it is published. ``next_attempt_at`` is when the dispatcher (run by beat) may publish
it again: a lease after each publish, a backoff after each failed attempt. So a broker outage,
a lost message or a killed worker delays an email but never loses it.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Sequence

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import Registration
from registrations.selectors import registration_with_details

from .emails import ProgrammeCache, render_message, still_wanted
from .enums import DeliveryStatus
from .models import Delivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A published delivery is not published again before this (unless a worker reports back).
PUBLISH_LEASE = dt.timedelta(minutes=5)
BATCH_SIZE = 100


class TransientDeliveryError(Exception):
    """Sending failed in a way that may pass (SMTP down, 4xx reply): retry later."""


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after ``attempts`` failed tries: 30 s, 1 min, 2 min, 4 min, ..."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _batches(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def publish(delivery_ids: Sequence[int]) -> None:
    """Hand deliveries to the workers. Never raises: what the broker refuses stays pending
    and the dispatcher publishes it again when its lease runs out."""
    from .tasks import send_deliveries_task

    for batch in _batches(delivery_ids):
        try:
            send_deliveries_task.delay(batch)
        except Exception:
            logger.warning("broker unavailable; %d deliveries left for the dispatcher",
                           len(batch), exc_info=True)
            return


def record_delivery(
    *,
    registration: Registration,
    kind: str,
    scheduled_for: dt.datetime | None = None,
    context: dict | None = None,
) -> Delivery | None:
    """Record that ``kind`` is owed to ``registration`` now, and publish it after commit.

    Returns None when that very message was already recorded (the unique constraint).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                registration=registration,
                kind=kind,
                scheduled_for=scheduled_for or now,
                next_attempt_at=now + PUBLISH_LEASE,
                context=context or {},
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: publish([delivery.pk]))
    return delivery


def dispatch_due_deliveries(*, now: dt.datetime | None = None, limit: int = 50_000) -> int:
    """Publish every pending delivery whose time has come (scheduled reminders and change
    notices, retries after a backoff, and anything whose publish was lost).

    Rows are claimed with SKIP LOCKED and leased, so two dispatchers running at once publish
    each delivery once; even if both did, the sender would send it once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        for batch in _batches(due, 1000):
            Delivery.objects.filter(pk__in=batch).update(next_attempt_at=now + PUBLISH_LEASE)
        transaction.on_commit(lambda: publish(due))
    return len(due)


def send_delivery(
    *, delivery_id: int, connection=None, programme: ProgrammeCache | None = None
) -> bool:
    """Send one pending delivery; True if it went out now. ``connection`` and ``programme``
    (the events' calendars) are shared by a batch.

    The row stays locked while the message is handed to the mail server, so two workers
    given the same delivery send it once. A message no longer wanted (registration
    cancelled, reminders turned off, moment long past) is marked skipped.
    Raises ``TransientDeliveryError`` when a retry may succeed; the attempt is recorded and
    ``next_attempt_at`` says when the dispatcher will publish it again.
    """
    failure = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return False
        # Read once under the lock, for the skip rules and the message alike.
        registration = registration_with_details().get(pk=delivery.registration_id)
        delivery.registration = registration
        if not still_wanted(delivery, now=timezone.now()):
            delivery.status = DeliveryStatus.SKIPPED
            delivery.save(update_fields=["status"])
            return False
        delivery.attempts += 1
        try:
            message = render_message(
                delivery, registration=registration, programme=programme
            )
            message.connection = connection  # None: the message opens its own
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if _refused_for_good(error) or delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
                failure = TransientDeliveryError(delivery.last_error)
            delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["attempts", "status", "sent_at"])
            return True
    if failure is not None:
        raise failure
    return False


def _refused_for_good(error: Exception) -> bool:
    """A 5xx refusal of the recipient: retrying cannot help. A 4xx one (greylisting, a full
    mailbox, a busy server) is temporary and retried like any other failure."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values()
    )


def send_deliveries(*, delivery_ids: Sequence[int]) -> int:
    """Send a batch over one SMTP connection; returns how many went out. A failure leaves
    that delivery to its backoff and goes on with the rest."""
    sent = 0
    # The events' programmes are loaded once for the batch (reminders of one event arrive
    # together), not once per message.
    programme = ProgrammeCache()
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        connection = None  # each send below then fails on its own and is rescheduled
    try:
        for delivery_id in delivery_ids:
            try:
                sent += send_delivery(
                    delivery_id=delivery_id, connection=connection, programme=programme
                )
            except TransientDeliveryError:
                # The server may have dropped us: the rest of the batch opens afresh.
                if connection is not None:
                    _close_quietly(connection)
                connection = None
    finally:
        if connection is not None:
            _close_quietly(connection)
    return sent


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.debug("closing the SMTP connection failed", exc_info=True)


def retry_failed(*, deliveries) -> int:
    """Put failed deliveries back in the queue (admin action)."""
    ids = list(deliveries.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now() + PUBLISH_LEASE
    )
    transaction.on_commit(lambda: publish(ids))
    return len(ids)
