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
import time
from collections.abc import Iterable, Sequence

from celery import current_task
from django.conf import settings
from django.core.mail import BadHeaderError, get_connection
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db import connection as database
from django.utils import timezone

from agenda import audit
from agenda.composed import ComposedInsert
from agenda.models import Event, Session
from registrations.addresses import same_address
from registrations.models import Registration
from registrations.selectors import registration_with_details

from . import outbox
from .emails import render_message, still_wanted
from .enums import Audience, DeliveryStatus, MessageKind
from .errors import NotificationError
from .models import Delivery, Message
from .outbox import PUBLISH_LEASE
from .programme import ProgrammeCache
from .publisher import CoalescingPublisher
from .selectors import message_recipients
from .wire import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# How long a worker waits for the database to come back to mark a message it has sent:
# left unmarked, the message would go out again when its lease runs out.
MARK_PATIENCE = dt.timedelta(seconds=60)
# Deliveries per sending task: one SMTP connection, and one read of each event's programme
# and rendering of each distinct body and calendar, for all of them.
BATCH_SIZE = 500


class TransientDeliveryError(Exception):
    """Sending failed in a way that may pass (SMTP down, 4xx reply): retry later."""


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after ``attempts`` failed tries: 30 s, 1 min, 2 min, 4 min, ..."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _batches(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def publish(delivery_ids: Sequence[int]) -> None:
    """Hand deliveries to the workers: now, or with others committed meanwhile under load
    (``publisher``). Never raises: what the broker refuses stays pending and the dispatcher
    publishes it again when its lease runs out."""
    publisher.submit(delivery_ids)


def publish_now(delivery_ids: Sequence[int]) -> None:
    """Hand deliveries to the workers from this thread, ``BATCH_SIZE`` per task."""
    from .tasks import send_deliveries_task

    for batch in _batches(delivery_ids):
        try:
            send_deliveries_task.delay(batch)
        except Exception:
            logger.warning("broker unavailable; %d deliveries left for the dispatcher",
                           len(batch), exc_info=True)
            return


def _publish_interval() -> float:
    # Inside a task (a worker) at once: what tasks publish is batched already.
    return 0.0 if current_task else settings.OUTBOX_PUBLISH_INTERVAL


# This process's: the ids committed by its threads, published together under load.
publisher = CoalescingPublisher(publish_now, interval=_publish_interval)


# Every registration writes one, while it holds its seat: composed once (agenda.composed).
_DELIVERY_INSERT = ComposedInsert(Delivery)


def record_delivery(
    *,
    registration: Registration,
    kind: str,
    scheduled_for: dt.datetime | None = None,
    context: dict | None = None,
    first: bool = False,
) -> Delivery | None:
    """Record that ``kind`` is owed to ``registration`` now, and publish it after commit.

    Returns None when that very message was already recorded (the unique constraint).
    ``first``: the caller knows it cannot have been (the registration was created in this
    very transaction), so no savepoint guards the insert.
    """
    now = timezone.now()
    delivery = Delivery(
        registration=registration,
        kind=kind,
        scheduled_for=scheduled_for or now,
        next_attempt_at=now + PUBLISH_LEASE,
        context=context or {},
    )
    if first:
        _DELIVERY_INSERT.save(delivery)
    else:
        try:
            with transaction.atomic():
                delivery.save(force_insert=True)
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


def send_delivery(*, delivery_id: int) -> bool:
    """Send one pending delivery; True if it went out now: ``send_deliveries`` with one id,
    so a message sent alone goes the way a batched one does.

    A message no longer wanted (registration cancelled, reminders turned off, moment long
    past) is marked skipped. Raises ``TransientDeliveryError`` when a retry may succeed; the
    attempt is recorded and ``next_attempt_at`` says when the dispatcher will publish it
    again.
    """
    return send_deliveries(delivery_ids=[delivery_id], raise_transient=True) == 1


def send_deliveries(*, delivery_ids: Sequence[int], raise_transient: bool = False) -> int:
    """Send a batch over one SMTP connection; returns how many went out. A failure leaves
    that delivery to its backoff and goes on with the rest (or, with ``raise_transient``,
    raises its ``TransientDeliveryError`` once the batch is closed).

    The batch's pending deliveries, their registrations (with choices, sessions, rooms and
    tracks) and their events' programmes are read up front in a constant number of queries;
    each message then costs one UPDATE.
    """
    pending = {
        delivery.pk: delivery
        for delivery in Delivery.objects.filter(
            pk__in=delivery_ids, status=DeliveryStatus.PENDING
        ).prefetch_related("message")  # an organizer's message: read once for the batch
    }
    if not pending:
        return 0
    programme = ProgrammeCache(check_state=False)
    registrations = programme.registrations(
        {delivery.registration_id for delivery in pending.values()}
    )
    sent = 0
    with _Sender(programme, smtp=_open_connection()) as sender:
        for delivery_id in dict.fromkeys(delivery_ids):
            delivery = pending.get(delivery_id)
            registration = registrations.get(delivery.registration_id) if delivery else None
            if registration is None:
                continue
            delivery.registration = registration
            try:
                sent += sender.send(delivery)
            except TransientDeliveryError:
                if raise_transient:
                    raise
                # The server may have dropped us: the rest of the batch opens afresh. If it
                # cannot be reached at all, the rest waits for the dispatcher (their lease
                # runs out in minutes) rather than each waiting out a connection timeout.
                if not sender.reconnect():
                    logger.warning("mail server unreachable; the rest of the batch is left "
                                   "for the dispatcher")
                    break
    return sent


class _Sender:
    """Sends deliveries one after another, over one SMTP connection (``smtp``; None: each
    message opens its own).

    Each delivery is claimed (pending -> sending, a conditional UPDATE) before it is handed
    to the mail server and marked sent after, so two workers given the same delivery send it
    once. The mark of a message goes in the statement that claims the next one (one round
    trip a message rather than two), or on its own when the sender closes: at any moment at
    most one message has gone out unmarked, the one a killed worker may send twice. Every
    write is autocommitted, so no lock is held while the mail server answers.
    """

    def __init__(self, programme: ProgrammeCache, *, smtp) -> None:
        self._programme = programme
        self._smtp = smtp
        self._unmarked: Delivery | None = None

    def __enter__(self) -> "_Sender":
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._flush()
        finally:
            if self._smtp is not None:
                _close_quietly(self._smtp)

    def reconnect(self) -> bool:
        """A new SMTP connection; False if the server cannot be reached."""
        if self._smtp is not None:
            _close_quietly(self._smtp)
        self._smtp = _open_connection()
        return self._smtp is not None

    def send(self, delivery: Delivery) -> bool:
        """Send ``delivery`` (pending, its registration loaded with details) unless
        another worker claims it first; True if it went out."""
        now = timezone.now()
        if not still_wanted(delivery, now=now):
            self._flush()
            Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.SKIPPED
            )
            return False
        # Rendered before the claim, so the claim-to-mark window (what a killed worker may
        # send twice) is only the SMTP exchange.
        try:
            message = render_message(
                delivery, registration=delivery.registration, programme=self._programme
            )
        except Exception as error:
            # One message that cannot be written (a row its templates do not expect, a
            # bug) must not hold up the rest of the batch, now or at every retry: it fails
            # where the admin lists failures, with its reason and a retry action.
            logger.exception("delivery %s could not be rendered", delivery.pk)
            self._flush()
            Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED, last_error=_describe(error, "Rendering failed")
            )
            return False
        attempts = delivery.attempts + 1
        claimed = outbox.claim(delivery, attempts=attempts, now=now, mark_sent=self._unmarked)
        self._unmarked = None
        if not claimed:
            return False  # another worker has it, or it changed since it was read
        try:
            message.connection = self._smtp
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            _record_failure(delivery, error, attempts=attempts)
            return False
        except BadHeaderError as error:  # a line break in the event's title, say
            _record_failure(delivery, error, attempts=attempts, permanent=True)
            return False
        self._unmarked = delivery
        return True

    def _flush(self) -> None:
        if self._unmarked is not None:
            _mark_sent_patiently(self._unmarked)
            self._unmarked = None


def _mark_sent_patiently(delivery: Delivery) -> None:
    """Mark a message that has gone out as sent, waiting up to ``MARK_PATIENCE`` for the
    database if it is away (restarting, failing over, the session killed): the mail server
    has the message, so this one write must not be lost. Reconnects between attempts; raises
    once patience runs out, or at once inside a transaction (which a reconnection would
    break)."""
    deadline = time.monotonic() + MARK_PATIENCE.total_seconds()
    pause = 0.0  # the first retry is at once: a killed session reconnects straight away
    while True:
        try:
            outbox.mark_sent(delivery, now=timezone.now())
            return
        except (OperationalError, InterfaceError):
            if database.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("delivery %s went out but the database is away; marking it sent "
                           "once it is back", delivery.pk)
        database.close()
        time.sleep(pause)
        pause = 1.0


def _record_failure(
    delivery: Delivery, error: Exception, *, attempts: int, permanent: bool = False
) -> None:
    """Record a failed attempt: failed for good, or pending again after a backoff (and
    ``TransientDeliveryError`` raised)."""
    last_error = _describe(error)
    mine = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if permanent or _refused_for_good(error) or attempts >= MAX_ATTEMPTS:
        mine.update(status=DeliveryStatus.FAILED, last_error=last_error)
        return
    mine.update(
        status=DeliveryStatus.PENDING, last_error=last_error,
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    raise TransientDeliveryError(last_error) from error


def _describe(error: Exception, what: str = "") -> str:
    """The reason shown in the admin (``last_error``)."""
    described = f"{type(error).__name__}: {error}"
    return (f"{what}: {described}" if what else described)[:2000]


def _refused_for_good(error: Exception) -> bool:
    """A 5xx refusal of the recipient: retrying cannot help. A 4xx one (greylisting, a full
    mailbox, a busy server) is temporary and retried like any other failure."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values()
    )


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


# --- Organizers' messages to attendees ----------------------------------------------------

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000


def _checked_message(
    *, event: Event, subject: str, body: str, audience: str, session: Session | None
) -> tuple[str, str]:
    """The subject and body as they will be sent, or ``NotificationError`` saying what is
    wrong with them or with the recipients chosen."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise NotificationError("subject_required", field="subject")
    if "\n" in subject or "\r" in subject:
        raise NotificationError("subject_one_line", field="subject")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise NotificationError("subject_too_long", field="subject", limit=SUBJECT_MAX_LENGTH)
    if not body:
        raise NotificationError("body_required", field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise NotificationError("body_too_long", field="body", limit=BODY_MAX_LENGTH)
    if audience not in Audience.values:
        raise NotificationError("unknown_audience", field="audience")
    if audience == Audience.SESSION:
        if session is None:
            raise NotificationError("session_required", field="session")
        if session.event_id != event.pk:
            raise NotificationError("session_not_in_event", field="session")
    return subject, body


def send_organizer_message(
    *,
    event: Event,
    subject: str,
    body: str,
    audience: str,
    session: Session | None = None,
    sent_by,
) -> Message:
    """Send the organizers' ``subject`` and ``body`` (plain text) to ``audience`` of
    ``event`` (one ``Audience``; ``session``'s confirmed attendees for ``Audience.SESSION``).

    Records the ``Message``, one ``Delivery`` per recipient and an audit entry in one
    transaction, so a message is either wholly recorded or not at all; the deliveries are
    published after commit and sent by the workers in batches, once each, in each
    attendee's language. Raises ``NotificationError`` (nothing recorded) for an empty
    subject or body, or when nobody would get it.
    """
    subject, body = _checked_message(event=event, subject=subject, body=body,
                                     audience=audience, session=session)
    if audience != Audience.SESSION:
        session = None
    with transaction.atomic():
        recipient_ids = list(
            message_recipients(event=event, audience=audience, session=session)
            .values_list("pk", flat=True)
        )
        if not recipient_ids:
            raise NotificationError("no_recipients", field="audience", status_code=409)
        message = Message.objects.create(
            event=event, subject=subject, body=body, audience=audience, session=session,
            created_by=sent_by if getattr(sent_by, "is_authenticated", False) else None,
            recipient_count=len(recipient_ids),
        )
        lease_until = timezone.now() + PUBLISH_LEASE
        Delivery.objects.bulk_create(
            [
                Delivery(
                    registration_id=registration_id,
                    kind=MessageKind.ORGANIZER_MESSAGE,
                    message=message,
                    scheduled_for=message.created_at,
                    next_attempt_at=lease_until,
                    # Tells a batch's shared rendering one message's body from another's.
                    context={"message_id": message.pk},
                )
                for registration_id in recipient_ids
            ],
            batch_size=500,
        )
        audit.record(event=event, action="message_sent", target=message, changes={
            "subject": [None, subject],
            "audience": [None, audience],
            **({"session": [None, session.title]} if session is not None else {}),
            "recipients": [None, len(recipient_ids)],
        })
        delivery_ids = list(
            Delivery.objects.filter(message=message).order_by("pk").values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: publish(delivery_ids))
    return message


def preview_organizer_message(
    *,
    event: Event,
    subject: str,
    body: str,
    audience: str,
    session: Session | None = None,
    recipient_email: str = "",
) -> tuple[Registration, OutgoingEmail]:
    """The email one recipient would get (the one with ``recipient_email``, else the first),
    rendered by the very templates, language and zone of a real send; records nothing."""
    subject, body = _checked_message(event=event, subject=subject, body=body,
                                     audience=audience, session=session)
    recipients = message_recipients(event=event, audience=audience,
                                    session=session if audience == Audience.SESSION else None)
    recipient_email = (recipient_email or "").strip()
    chosen = recipients
    if recipient_email:
        # Compared as registrations compare addresses (the unique index's way), not iexact.
        try:
            chosen = recipients.filter(same_address(recipient_email))
        except ValueError:  # not an address anyone could have registered with
            chosen = recipients.none()
    found = chosen.values_list("pk", flat=True).first()
    if found is None:
        if recipient_email:
            raise NotificationError("not_a_recipient", field="preview_as", email=recipient_email)
        raise NotificationError("no_recipients", field="audience", status_code=409)
    registration = registration_with_details().get(pk=found)
    message = Message(event=event, subject=subject, body=body, audience=audience,
                      session=session)
    delivery = Delivery(registration=registration, kind=MessageKind.ORGANIZER_MESSAGE,
                        message=message, scheduled_for=timezone.now(), context={})
    return registration, render_message(delivery, registration=registration)
