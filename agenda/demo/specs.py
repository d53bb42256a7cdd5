"""The shapes the demo data is written in: plain, immutable descriptions of events and sessions.

Times are local wall-clock times ("09:30") in the event's own IANA zone; the loader turns them
into aware datetimes. Speakers, tracks, tags and venues are referred to by the keys of the
tables in ``catalogue``.
"""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from agenda.enums import EventFormat, EventKind, EventStatus


class SessionSpec(NamedTuple):
    day: int  # 0 for the event's first day
    starts: str  # local wall-clock time, "HH:MM"
    minutes: int
    title: str
    track: str  # a key of the event's tracks, "" for none
    speakers: tuple[str, ...]  # keys of catalogue.SPEAKERS
    abstract: str
    room: str = ""  # a room name of the event; "" picks the track's room
    capacity: int | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class EventSpec:
    slug: str
    title: str
    kind: EventKind
    format: EventFormat
    timezone: str
    day: dt.date  # the first day
    starts: str  # local wall-clock time on the first day
    ends: str  # local wall-clock time on the last day
    summary: str
    description: str
    sessions: tuple[SessionSpec, ...]
    days: int = 1
    venue: str = ""  # a key of catalogue.VENUES; in-person and hybrid events need one
    tracks: tuple[str, ...] = ()  # keys of catalogue.TRACKS
    rooms: tuple[tuple[str, int | None], ...] = ()  # (name, seats)
    tags: tuple[str, ...] = ()  # keys of catalogue.TAGS
    capacity: int | None = None
    status: EventStatus = EventStatus.PUBLISHED
    requires_approval: bool = False
    # Registration opens this many weeks before the first day (09:00 local), unless
    # ``registration_opens_on`` names the day; it closes a day before the start or at the start.
    registration_weeks: int = 6
    registration_opens_on: dt.date | None = None
    registration_closes_day_before: bool = False


S = SessionSpec
