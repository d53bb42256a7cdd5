"""A day's sessions as a timetable: in time order (the list phones show, and the order screen
readers read), each placed in a room × time grid that wide screens show.

Pure: it takes sessions that arrive with their room, track and event, runs no query, and
places each session with CSS classes (``tt-c3 tt-cs1 tt-rs4 tt-re6``) that ``site.css``
defines, because the pages' CSP allows no inline style. A day whose grid would need more
columns or rows than the stylesheet defines, or where two sessions share a room at the same
time, is shown as the list on every screen.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext

from agenda import calendar_links
from agenda.models import Event, Session

# The stylesheet defines the classes for these limits (tests/pages/test_timetable.py checks).
MAX_ROOMS = 8  # columns of sessions, after the column of times
MAX_TIMES = 48  # distinct start and end times in one day
FIRST_ROW = 2  # row 1 holds the room names
FIRST_COLUMN = 2  # column 1 holds the times


@dataclass
class TimetableEntry:
    session: Session
    calendar: calendar_links.CalendarLinks
    url: str
    column: int = FIRST_COLUMN
    span: int = 1
    row_start: int = FIRST_ROW
    row_end: int = FIRST_ROW + 1

    @property
    def grid_classes(self) -> str:
        return (
            f"tt-c{self.column} tt-cs{self.span} tt-rs{self.row_start} tt-re{self.row_end}"
        )


@dataclass
class TimeMark:
    moment: dt.datetime
    row: int

    @property
    def grid_classes(self) -> str:
        return f"tt-rs{self.row} tt-re{self.row + 1}"


@dataclass
class RoomColumn:
    name: str
    column: int

    @property
    def grid_classes(self) -> str:
        return f"tt-c{self.column} tt-cs1"


@dataclass
class TimetableDay:
    day: dt.date
    entries: list[TimetableEntry] = field(default_factory=list)
    rooms: list[RoomColumn] = field(default_factory=list)
    times: list[TimeMark] = field(default_factory=list)
    grid: bool = False  # the day is laid out as a grid on wide screens

    @property
    def columns_class(self) -> str:
        return f"tt-cols-{len(self.rooms)}" if self.grid else ""


def _overlap(first: Session, second: Session) -> bool:
    return first.start < second.end and second.start < first.end


def _lanes(sessions: Sequence[Session]) -> list[list[Session]]:
    """Sessions spread over as few lanes as possible, none overlapping within a lane."""
    lanes: list[list[Session]] = []
    for session in sorted(sessions, key=lambda item: (item.start, item.end, item.pk)):
        for lane in lanes:
            if lane[-1].end <= session.start:
                lane.append(session)
                break
        else:
            lanes.append([session])
    return lanes


def _place(day: TimetableDay) -> None:
    """Give each entry its grid cell, or leave the day as a list."""
    sessions = [entry.session for entry in day.entries]
    roomed: dict[str, list[Session]] = {}
    roomless = []
    for session in sessions:
        if session.room_id:
            roomed.setdefault(session.room.name, []).append(session)
        else:
            roomless.append(session)
    for in_room in roomed.values():
        if len(_lanes(in_room)) > 1:
            return  # two sessions in one room at once: the grid would hide one of them
    # A session without a room spans every column, unless something runs beside it.
    spanning = [s for s in roomless if not any(_overlap(s, o) for o in sessions if o is not s)]
    other_lanes = _lanes([s for s in roomless if s not in spanning])
    names = sorted(roomed, key=str.casefold)
    column_count = len(names) + len(other_lanes)
    if column_count == 0:
        names, column_count = [], 1
    moments = sorted({s.start for s in sessions} | {s.end for s in sessions})
    if column_count > MAX_ROOMS or len(moments) > MAX_TIMES:
        return
    row_of = {moment: FIRST_ROW + index for index, moment in enumerate(moments)}
    column_of: dict[int, int] = {}
    for index, name in enumerate(names):
        for session in roomed[name]:
            column_of[session.pk] = FIRST_COLUMN + index
    for index, lane in enumerate(other_lanes):
        for session in lane:
            column_of[session.pk] = FIRST_COLUMN + len(names) + index
    for entry in day.entries:
        session = entry.session
        if session.pk in column_of:
            entry.column, entry.span = column_of[session.pk], 1
        else:
            entry.column, entry.span = FIRST_COLUMN, column_count
        entry.row_start, entry.row_end = row_of[session.start], row_of[session.end]
    day.rooms = [RoomColumn(name=name, column=FIRST_COLUMN + i) for i, name in enumerate(names)]
    day.rooms += [
        RoomColumn(name=gettext("Other sessions"), column=FIRST_COLUMN + len(names) + i)
        for i in range(len(other_lanes))
    ]
    if not day.rooms:
        day.rooms = [RoomColumn(name="", column=FIRST_COLUMN)]
    starts = sorted({s.start for s in sessions})
    day.times = [TimeMark(moment=moment, row=row_of[moment]) for moment in starts]
    day.grid = True


def session_path(session: Session) -> str:
    return f"/events/{session.event.slug}/sessions/{session.pk}/"


def build(
    event: Event,
    sessions: Iterable[Session],
    *,
    url: Callable[[Session], str] = session_path,
) -> list[TimetableDay]:
    """The sessions of ``event`` by day in the event's zone, each day in time order (then
    title), with calendar links and the address of each session's page (``url``)."""
    days: dict[dt.date, TimetableDay] = {}
    ordered = sorted(sessions, key=lambda session: (session.start, session.end, session.title,
                                                    session.pk))
    for session in ordered:
        session.event = event  # one Event instance, its zone and status, for every session
        day = event.localize(session.start).date()
        days.setdefault(day, TimetableDay(day=day)).entries.append(
            TimetableEntry(
                session=session,
                calendar=calendar_links.session_links(session),
                url=url(session),
            )
        )
    for day in days.values():
        _place(day)
    return [days[day] for day in sorted(days)]
