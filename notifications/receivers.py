"""Registrations' domain signals become outbox rows, in the transaction that sent them."""

import datetime as dt

from django.dispatch import receiver
from django.utils import timezone

from agenda import signals as agenda_signals
from registrations import signals
from registrations.enums import CancelledBy, RegistrationStatus
from registrations.models import Registration

from .accounts import queue_account_email
from .changes import attendees_of_session, record_change_notices
from .enums import MessageKind
from .services import record_delivery

CREATED_KINDS = {
    RegistrationStatus.CONFIRMED: MessageKind.REGISTRATION_CONFIRMED,
    RegistrationStatus.WAITLISTED: MessageKind.REGISTRATION_WAITLISTED,
    RegistrationStatus.PENDING_APPROVAL: MessageKind.REGISTRATION_PENDING,
}
# Repeated attempts to register someone's address send them one link per window, not a flood.
DUPLICATE_NOTICE_WINDOW = dt.timedelta(minutes=15)


@receiver(signals.registration_created, dispatch_uid="notifications.registration_created")
def on_registration_created(sender, *, registration, **kwargs):
    # Sent in the transaction that created the registration, while it holds the event's
    # seat: nothing can have been recorded for it yet, so no savepoint (two round trips).
    record_delivery(registration=registration, kind=CREATED_KINDS[registration.status],
                    first=True)


@receiver(
    signals.registration_duplicate_attempted,
    dispatch_uid="notifications.registration_duplicate_attempted",
)
def on_duplicate_attempt(sender, *, registration, **kwargs):
    now = timezone.now()
    # Fixed buckets alone would send two links a second apart across a bucket boundary. The
    # sender holds the registration's row lock, so this check and the insert below cannot
    # interleave.
    if registration.deliveries.filter(
        kind=MessageKind.ALREADY_REGISTERED, created_at__gt=now - DUPLICATE_NOTICE_WINDOW
    ).exists():
        return
    window = int(DUPLICATE_NOTICE_WINDOW.total_seconds())
    bucket = dt.datetime.fromtimestamp(now.timestamp() // window * window, tz=dt.UTC)
    record_delivery(registration=registration, kind=MessageKind.ALREADY_REGISTERED,
                    scheduled_for=bucket)


@receiver(signals.registration_confirmed, dispatch_uid="notifications.registration_confirmed")
def on_registration_confirmed(sender, *, registration, previous_status, **kwargs):
    kind = (
        MessageKind.PROMOTED
        if previous_status == RegistrationStatus.WAITLISTED
        else MessageKind.REGISTRATION_CONFIRMED
    )
    record_delivery(registration=registration, kind=kind)


@receiver(signals.registration_cancelled, dispatch_uid="notifications.registration_cancelled")
def on_registration_cancelled(sender, *, registration, cancelled_by, reason="", **kwargs):
    if cancelled_by == CancelledBy.ERASURE:
        return  # the address is being erased; nothing more is sent to it
    context = {"cancelled_by": str(cancelled_by)}
    if reason:
        context["reason"] = reason
    record_delivery(registration=registration, kind=MessageKind.CANCELLED, context=context)


@receiver(signals.session_seat_confirmed, dispatch_uid="notifications.session_seat_confirmed")
def on_session_seat_confirmed(sender, *, choice, **kwargs):
    record_delivery(
        registration=choice.registration,
        kind=MessageKind.SESSION_SEAT,
        context={"session_title": choice.session.title},
    )


@receiver(signals.sessions_changed, dispatch_uid="notifications.sessions_changed")
def on_sessions_changed(sender, *, registration, **kwargs):
    record_delivery(registration=registration, kind=MessageKind.SESSIONS_CHANGED)


@receiver(agenda_signals.event_changed, dispatch_uid="notifications.event_changed")
def on_event_changed(sender, *, event, changes, **kwargs):
    record_change_notices(
        registrations=Registration.objects.filter(event=event),
        item="event",
        item_id=event.pk,
        fields=changes,
    )


@receiver(agenda_signals.session_changed, dispatch_uid="notifications.session_changed")
def on_session_changed(sender, *, session, changes, **kwargs):
    record_change_notices(
        registrations=attendees_of_session(session),
        item="session",
        item_id=session.pk,
        fields=changes,
    )


@receiver(agenda_signals.role_granted, dispatch_uid="notifications.role_granted")
def on_role_granted(sender, *, event_role, account_created, **kwargs):
    if account_created:
        queue_account_email(user_id=event_role.user_id, purpose="invitation",
                            event_id=event_role.event_id)
