"""The outbox: recording, publishing and sending attendee emails.

A message is first a ``Delivery`` row, written in the transaction that caused it (so it is as
durable as the registration). After commit its id is published to the broker; a worker then
claims it (pending -> sending, a conditional UPDATE), sends it and marks it sent, so it goes
out at most once however often it is published (but for the one message a killed worker had
in flight). ``next_attempt_at`` is when the dispatcher (run by beat) may publish
it again: a lease after each publish, a backoff after each failed attempt. So a broker outage,
a lost message or a killed worker delays an email but never loses it.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Sequence

from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
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
    """Publish every delivery whose time has come (scheduled reminders and change notices,
    retries after a backoff, anything whose publish was lost, and anything a worker claimed
    but never reported back on: it died between the claim and the mark).

    Rows are claimed with SKIP LOCKED and leased, so two dispatchers running at once publish
    each delivery once; even if both did, the sender would send it once. A claim that ran
    out goes back to pending: the one message that worker had in flight may go twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        for batch in _batches(due, 1000):
            Delivery.objects.filter(pk__in=batch).update(
                status=DeliveryStatus.PENDING, next_attempt_at=now + PUBLISH_LEASE
            )
        transaction.on_commit(lambda: publish(due))
    return len(due)


def send_delivery(
    *, delivery_id: int, connection=None, programme: ProgrammeCache | None = None
) -> bool:
    """Send one pending delivery; True if it went out now. ``connection`` and ``programme``
    (the events' calendars) may be shared by a batch.

    The delivery is claimed (pending -> sending, one conditional UPDATE) before it is
    handed to the mail server and marked sent right after, so two workers given the same
    delivery send it once. A message no longer wanted (registration cancelled, reminders
    turned off, moment long past) is marked skipped.
    Raises ``TransientDeliveryError`` when a retry may succeed; the attempt is recorded and
    ``next_attempt_at`` says when the dispatcher will publish it again.
    """
    delivery = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).first()
    if delivery is None:
        return False
    delivery.registration = registration_with_details().get(pk=delivery.registration_id)
    return _send_loaded(
        delivery, connection=connection, programme=programme or ProgrammeCache()
    )


def _send_loaded(delivery: Delivery, *, connection, programme: ProgrammeCache) -> bool:
    """Send ``delivery`` (pending, its registration loaded with details) unless another
    worker claims it first. Every write is one autocommitted UPDATE guarded by the status,
    so no lock is held while the mail server answers."""
    now = timezone.now()
    mine = Delivery.objects.filter(pk=delivery.pk)
    if not still_wanted(delivery, now=now):
        mine.filter(status=DeliveryStatus.PENDING).update(status=DeliveryStatus.SKIPPED)
        return False
    # Rendered before the claim, so the claim-to-mark window (what a killed worker may send
    # twice) is only the SMTP exchange.
    message = render_message(delivery, registration=delivery.registration, programme=programme)
    attempts = delivery.attempts + 1
    if not _claim(delivery, attempts=attempts, now=now):
        return False  # another worker has it, or it changed since it was read
    try:
        message.connection = connection  # None: the message opens its own
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        last_error = f"{type(error).__name__}: {error}"[:2000]
        if _refused_for_good(error) or attempts >= MAX_ATTEMPTS:
            mine.filter(status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.FAILED, last_error=last_error
            )
            return False
        mine.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, last_error=last_error,
            next_attempt_at=timezone.now() + retry_delay(attempts),
        )
        raise TransientDeliveryError(last_error) from error
    _mark_sent(delivery, now=timezone.now())
    return True


# The claim and the mark run once per message: written in SQL (portable to SQLite and
# PostgreSQL), they cost a tenth of what building the same UPDATEs through the ORM does.
# Only the table name (the model's own) is formatted in; every value is a parameter.

def _claim(delivery: Delivery, *, attempts: int, now: dt.datetime) -> bool:
    """pending -> sending, if still pending at the attempt it was read at. The lease runs
    from now, never shorter than the one its publish gave (the dispatcher's clock): the
    dispatcher does not take an in-flight message back before either ends."""
    lease = connection.ops.adapt_datetimefield_value(now + PUBLISH_LEASE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET status = %s, attempts = %s, next_attempt_at = CASE"  # noqa: S608
            " WHEN next_attempt_at > %s THEN next_attempt_at ELSE %s END"
            " WHERE id = %s AND status = %s AND attempts = %s",
            [DeliveryStatus.SENDING.value, attempts, lease, lease, delivery.pk,
             DeliveryStatus.PENDING.value, delivery.attempts],
        )
        return cursor.rowcount == 1


def _mark_sent(delivery: Delivery, *, now: dt.datetime) -> None:
    """sending -> sent. Pending too: had the lease run out meanwhile, the dispatcher must
    not publish it again."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET status = %s, sent_at = %s"  # noqa: S608
            " WHERE id = %s AND status IN (%s, %s)",
            [DeliveryStatus.SENT.value, connection.ops.adapt_datetimefield_value(now),
             delivery.pk, DeliveryStatus.SENDING.value, DeliveryStatus.PENDING.value],
        )


_TABLE = Delivery._meta.db_table


def _refused_for_good(error: Exception) -> bool:
    """A 5xx refusal of the recipient: retrying cannot help. A 4xx one (greylisting, a full
    mailbox, a busy server) is temporary and retried like any other failure."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values()
    )


def send_deliveries(*, delivery_ids: Sequence[int]) -> int:
    """Send a batch over one SMTP connection; returns how many went out. A failure leaves
    that delivery to its backoff and goes on with the rest.

    The batch's pending deliveries, their registrations (with choices, sessions, rooms and
    tracks) and their events' programmes are read up front in a constant number of queries;
    each message then costs its claim and its mark.
    """
    pending = {
        delivery.pk: delivery
        for delivery in Delivery.objects.filter(
            pk__in=delivery_ids, status=DeliveryStatus.PENDING
        )
    }
    if not pending:
        return 0
    registrations = registration_with_details().in_bulk(
        {delivery.registration_id for delivery in pending.values()}
    )
    sent = 0
    programme = ProgrammeCache(check_state=False)
    connection = _open_connection()
    try:
        for delivery_id in dict.fromkeys(delivery_ids):
            delivery = pending.get(delivery_id)
            registration = registrations.get(delivery.registration_id) if delivery else None
            if registration is None:
                continue
            delivery.registration = registration
            try:
                sent += _send_loaded(delivery, connection=connection, programme=programme)
            except TransientDeliveryError:
                # The server may have dropped us: the rest of the batch opens afresh.
                if connection is not None:
                    _close_quietly(connection)
                connection = _open_connection()
    finally:
        if connection is not None:
            _close_quietly(connection)
    return sent


def _open_connection():
    """An open SMTP connection, or None (each send then opens, and fails, on its own)."""
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        return None
    return connection


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
