"""The ``data`` of each message: what a receiver needs to act without calling back."""

from agenda.models import Event, Session
from registrations.models import Registration


def _moment(event: Event, value):
    return value.astimezone(event.tzinfo).isoformat() if value else None


def registration_data(registration: Registration, **extra) -> dict:
    event = registration.event
    return {
        "id": str(registration.public_id),
        "event": event.slug,
        "name": registration.name,
        "email": registration.email,
        "organization": registration.organization,
        "status": registration.status,
        "cancelled_by": registration.cancelled_by or None,
        "created_at": _moment(event, registration.created_at),
        "confirmed_at": _moment(event, registration.confirmed_at),
        "cancelled_at": _moment(event, registration.cancelled_at),
        "checked_in_at": _moment(event, registration.checked_in_at),
        **extra,
    }


def event_data(event: Event, changes=()) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "status": event.status,
        "kind": event.kind,
        "format": event.format,
        "timezone": event.timezone,
        "start": _moment(event, event.start),
        "end": _moment(event, event.end),
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "capacity": event.capacity,
        "sequence": event.sequence,
        "changes": sorted(changes),
    }


def session_data(session: Session, changes=()) -> dict:
    event = session.event
    return {
        "id": session.pk,
        "uuid": str(session.uuid),
        "event": event.slug,
        "title": session.title,
        "status": session.status,
        "start": _moment(event, session.start),
        "end": _moment(event, session.end),
        "room": session.room.name if session.room_id else None,
        "capacity": session.capacity,
        "sequence": session.sequence,
        "changes": sorted(changes),
    }
