"""Domain signals become webhook outbox rows, in the transaction that sent them.

Receivers only record (``services.record``); the sending happens in workers after commit.
"""

from django.dispatch import receiver

from agenda import signals as agenda_signals
from agenda.enums import EventStatus, SessionStatus
from registrations import signals

from . import payloads
from .enums import EventType
from .services import forget_registration, record


def _registration(event_type: str, registration, **extra) -> None:
    record(event=registration.event, event_type=event_type,
           object_key=f"registration:{registration.public_id}",
           data=lambda: payloads.registration_data(registration, **extra), about=registration)


@receiver(signals.registration_created, dispatch_uid="webhooks.registration_created")
def on_registration_created(sender, *, registration, **kwargs):
    _registration(EventType.REGISTRATION_CREATED, registration)


@receiver(signals.registration_confirmed, dispatch_uid="webhooks.registration_confirmed")
def on_registration_confirmed(sender, *, registration, **kwargs):
    _registration(EventType.REGISTRATION_CONFIRMED, registration)


@receiver(signals.registration_waitlisted, dispatch_uid="webhooks.registration_waitlisted")
def on_registration_waitlisted(sender, *, registration, **kwargs):
    _registration(EventType.REGISTRATION_WAITLISTED, registration)


@receiver(signals.registration_cancelled, dispatch_uid="webhooks.registration_cancelled")
def on_registration_cancelled(sender, *, registration, reason="", **kwargs):
    _registration(EventType.REGISTRATION_CANCELLED, registration, reason=reason)


@receiver(signals.registration_promoted, dispatch_uid="webhooks.registration_promoted")
def on_registration_promoted(sender, *, registration, by_organizer=False, **kwargs):
    _registration(EventType.REGISTRATION_PROMOTED, registration, by_organizer=by_organizer)


@receiver(signals.registration_checked_in, dispatch_uid="webhooks.registration_checked_in")
def on_registration_checked_in(sender, *, registration, undone=False, **kwargs):
    if not undone:  # an undone check-in is the door's own correction, not news
        _registration(EventType.REGISTRATION_CHECKED_IN, registration)


@receiver(signals.registration_erased, dispatch_uid="webhooks.registration_erased")
def on_registration_erased(sender, *, registration, **kwargs):
    forget_registration(public_id=registration.public_id)


def _event(event_type: str, event, changes=()) -> None:
    record(event=event, event_type=event_type, object_key=f"event:{event.uuid}",
           data=lambda: payloads.event_data(event, changes))


def _session(event_type: str, session, changes=()) -> None:
    record(event=session.event, event_type=event_type, object_key=f"session:{session.uuid}",
           data=lambda: payloads.session_data(session, changes))


@receiver(agenda_signals.event_published, dispatch_uid="webhooks.event_published")
def on_event_published(sender, *, event, **kwargs):
    _event(EventType.EVENT_PUBLISHED, event)


@receiver(agenda_signals.event_changed, dispatch_uid="webhooks.event_changed")
def on_event_changed(sender, *, event, changes, **kwargs):
    if "status" in changes and event.status == EventStatus.CANCELLED:
        _event(EventType.EVENT_CANCELLED, event, changes)
    elif "status" in changes and event.status == EventStatus.PUBLISHED:
        return  # a cancelled event published again: event_published says it
    else:
        _event(EventType.EVENT_CHANGED, event, changes)


@receiver(agenda_signals.session_published, dispatch_uid="webhooks.session_published")
def on_session_published(sender, *, session, **kwargs):
    _session(EventType.SESSION_PUBLISHED, session)


@receiver(agenda_signals.session_changed, dispatch_uid="webhooks.session_changed")
def on_session_changed(sender, *, session, changes, **kwargs):
    if "status" in changes and session.status == SessionStatus.CANCELLED:
        _session(EventType.SESSION_CANCELLED, session, changes)
    else:
        _session(EventType.SESSION_CHANGED, session, changes)
