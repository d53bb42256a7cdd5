"""The attendee's view of a registration, built by hand: ``RegistrationSerializer``'s output.

Every registration answers with this body, and building it through the serializer (a
ModelSerializer with four nested ones, their fields made afresh for each registration) cost
more CPU than the rest of a registration's reads. The serializer stays the reference and the
schema's source: tests/registrations/test_registration_body.py renders both, byte for byte,
over registrations of every shape (statuses, sessions with and without rooms, answers,
conflicts, online and cancelled events, time zones with odd offsets).
"""

from rest_framework import serializers

from agenda.api.fields import in_zone
from registrations import links, selectors
from registrations.models import Registration

# How ModelSerializer writes a model's DateTimeField: in the current time zone, "Z" for UTC.
_MOMENT = serializers.DateTimeField()


def _moment(value):
    return _MOMENT.to_representation(value)


def _local(moment, zone):
    """``LocalDateTimeField``: the moment on the event's clock."""
    return None if moment is None else in_zone(moment, zone).isoformat()


def _text(value):
    return None if value is None else str(value)


def _event(event) -> dict:
    zone = event.tzinfo
    return {
        "slug": event.slug,
        "title": event.title,
        "timezone": event.timezone,
        "start": _local(event.start, zone),
        "end": _local(event.end, zone),
        "status": _text(event.status),
        "venue_name": event.venue_name,
    }


def _chosen_session(choice) -> dict:
    session = choice.session
    zone = session.event.tzinfo
    room = session.room
    return {
        "id": session.id,
        "title": session.title,
        "start": _local(session.start, zone),
        "end": _local(session.end, zone),
        "room": None if room is None or room.name is None else str(room.name),
        "status": _text(choice.status),
        "session_status": _text(session.status),
    }


def _answer(answer) -> dict:
    return {"question": answer.question_id, "text": _text(answer.question.text_en),
            "value": answer.value}


def registration_body(registration: Registration, conflicts=()) -> dict:
    """``RegistrationSerializer(registration, context={"conflicts": conflicts}).data``, for a
    registration that holds its details (``selectors.registration_with_answers``, or the new
    one ``services.register`` returns)."""
    return {
        "id": str(registration.public_id),
        "event": _event(registration.event),
        "name": registration.name,
        "email": registration.email,
        "organization": registration.organization,
        "timezone": registration.timezone,
        "status": _text(registration.status),
        "sessions": [_chosen_session(choice) for choice in registration.active_choices],
        "answers": [_answer(answer) for answer in registration.answers.all()],
        "online_url": selectors.join_url(registration) or None,
        "consent_version": registration.consent_version,
        "consented_at": _moment(registration.consented_at),
        "created_at": _moment(registration.created_at),
        "confirmed_at": _moment(registration.confirmed_at),
        "cancelled_at": _moment(registration.cancelled_at),
        "manage_url": links.manage_url(registration),
        "feed_url": links.feed_url(registration),
        "api_url": links.manage_api_url(registration),
        "conflicts": [
            {"sessions": [conflict.first.pk, conflict.second.pk], "message": conflict.message}
            for conflict in conflicts
        ],
    }
