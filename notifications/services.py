"""Recording and sending attendee emails.

A message is first a ``Delivery`` row, written in the transaction that caused it (so it is as
durable as the registration), then published to the broker after commit. If the broker is
down, ``relay_pending_deliveries`` (run by beat) publishes what is still pending later.
"""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from registrations import links
from registrations.models import Registration

from .enums import DeliveryStatus, MessageKind
from .models import Delivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A delivery still pending after this long was probably never published (broker outage).
RELAY_AFTER = dt.timedelta(minutes=2)

SUBJECTS = {
    MessageKind.REGISTRATION_CONFIRMED: "You are registered: {event}",
    MessageKind.REGISTRATION_WAITLISTED: "You are on the waitlist: {event}",
    MessageKind.REGISTRATION_PENDING: "Registration received, awaiting approval: {event}",
    MessageKind.PROMOTED: "A seat is yours: {event}",
    MessageKind.SESSION_SEAT: "A seat in your session is yours: {event}",
    MessageKind.CANCELLED: "Registration cancelled: {event}",
    MessageKind.ALREADY_REGISTERED: "Your registration for {event}",
}


class TransientDeliveryError(Exception):
    """Sending failed in a way that may pass (SMTP down, 4xx reply): retry later."""


def _publish(delivery_id: int) -> None:
    from .tasks import send_delivery_task

    try:
        send_delivery_task.delay(delivery_id)
    except Exception:
        # The row is committed: the relay publishes it once the broker answers again.
        logger.warning("broker unavailable; delivery %s left for the relay", delivery_id,
                       exc_info=True)


def record_delivery(
    *,
    registration: Registration,
    kind: str,
    scheduled_for: dt.datetime | None = None,
    context: dict | None = None,
) -> Delivery | None:
    """Record that ``kind`` is owed to ``registration`` and publish it after commit.

    Returns None when that very message was already recorded (the unique constraint).
    """
    scheduled_for = scheduled_for or timezone.now()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                registration=registration,
                kind=kind,
                scheduled_for=scheduled_for,
                next_attempt_at=timezone.now(),
                context=context or {},
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _publish(delivery.pk))
    return delivery


def render_message(delivery: Delivery) -> EmailMultiAlternatives:
    registration = delivery.registration
    event = registration.event
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            "delivery": delivery,
            "registration": registration,
            "event": event,
            "local_start": event.local_start,
            "local_end": event.local_end,
            "manage_url": links.manage_url(registration),
            "site_url": settings.SITE_URL,
            **delivery.context,
        }
        body = render_to_string(f"notifications/email/{delivery.kind}.txt", context)
        subject = SUBJECTS[delivery.kind].format(event=event.title)
    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after ``attempts`` failed tries: 30 s, 1 min, 2 min, 4 min, ..."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def send_delivery(*, delivery_id: int) -> bool:
    """Send one pending delivery; True if it went out now.

    The row stays locked while the message is handed to the mail server, so two workers
    given the same delivery send it once.
    Raises ``TransientDeliveryError`` when a retry may succeed (the attempt is recorded, and
    ``next_attempt_at`` says when).
    """
    failure = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("registration", "registration__event")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return False
        if delivery.registration.erased_at is not None:
            delivery.status = DeliveryStatus.SKIPPED
            delivery.save(update_fields=["status"])
            return False
        delivery.attempts += 1
        try:
            render_message(delivery).send()
        except (smtplib.SMTPException, OSError) as error:
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if isinstance(error, smtplib.SMTPRecipientsRefused) or (
                delivery.attempts >= MAX_ATTEMPTS
            ):
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


def retry_failed(*, deliveries) -> int:
    """Put failed deliveries back in the queue (admin action)."""
    ids = list(deliveries.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for delivery_id in ids:
        transaction.on_commit(lambda delivery_id=delivery_id: _publish(delivery_id))
    return len(ids)


def relay_pending_deliveries(*, older_than: dt.timedelta = RELAY_AFTER) -> int:
    """Publish deliveries due for ``older_than`` and still pending: their publish was lost
    (broker down) or their worker died."""
    cutoff = timezone.now() - older_than
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    for delivery_id in ids:
        _publish(delivery_id)
    return len(ids)
