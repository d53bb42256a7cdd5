"""Shared by the organizer area's event-work tests."""

import datetime as dt

from django.utils import timezone

from agenda.enums import EventStatus
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    TrackFactory,
    UserFactory,
    grant,
)


def in_a_month() -> dt.datetime:
    """A start to the minute, as an organizer types it."""
    return (timezone.now() + dt.timedelta(days=30)).replace(second=0, microsecond=0)


def organizer_of(event):
    user = UserFactory()
    grant(event, user)
    return user


def local_input(event, moment: dt.datetime) -> str:
    """``moment`` as the organizer types it: wall-clock time in the event's zone."""
    return timezone.localtime(moment, event.tzinfo).strftime("%Y-%m-%dT%H:%M")


def session_post(session, **overrides) -> dict:
    event = session.event
    data = {
        "title": session.title, "abstract": session.abstract,
        "start": local_input(event, session.start), "end": local_input(event, session.end),
        "room": session.room_id or "", "track": session.track_id or "",
        "capacity": session.capacity if session.capacity is not None else "",
        "speakers": [speaker.pk for speaker in session.speakers.all()],
        "action": "save",
    }
    data.update(overrides)
    return data


def event_with_session(**event_fields):
    event = EventFactory(status=event_fields.pop("status", EventStatus.PUBLISHED),
                         **event_fields)
    room = RoomFactory(event=event)
    track = TrackFactory(event=event)
    session = SessionFactory(event=event, room=room, track=track)
    return event, session
