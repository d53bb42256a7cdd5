"""The iCalendar (RFC 5545) builder: plain items in, ``icalendar`` objects and bytes out.

Pure: no HTTP, no database, no settings. What goes into a feed (and in which words) is decided
by the callers (``agenda.feeds.items``, ``registrations.feeds``); how it is written down is
decided here, so that every feed and download follows the same rules:

* times carry a ``TZID`` with a ``VTIMEZONE`` for it, built from the IANA database for the
  years the calendar spans, or are written in UTC; never floating;
* ``DTSTAMP`` and ``LAST-MODIFIED`` are the item's last change, never the time of the request,
  so an unchanged calendar serialises to the same bytes;
* a subscription feed carries no ``METHOD`` (RFC 5545 leaves it out of a calendar that is
  not an iTIP message); a calendar sent by email is an iTIP ``PUBLISH`` (RFC 5546), which
  needs an ``ORGANIZER`` on each VEVENT: the sender's address, never an attendee. Strict
  clients (libical: Evolution, GNOME) refuse a ``PUBLISH`` without one.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Component, Timezone
from icalendar import Event as VEvent
from icalendar.prop import vCalAddress, vCategory, vDDDTypes, vDuration, vInt, vText, vUri

PRODID = "-//Agenda//Agenda calendar feeds 1.0//EN"
# How often subscribers should poll: REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL
# (Outlook, Apple). An hour keeps changes fresh at a negligible cost with validators.
REFRESH_INTERVAL = dt.timedelta(hours=1)
# Zones written in UTC ("Z") rather than with a TZID and a VTIMEZONE.
UTC_ZONE_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"}
)
MIN_ALARM_MINUTES = 1
MAX_ALARM_MINUTES = 7 * 24 * 60
# RFC 5545 folds lines longer than 75 octets; icalendar folds before the 75th octet.
_FOLD_AT = 75


class ItemStatus:
    """The VEVENT STATUS values a feed uses."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One VEVENT, in plain values.

    ``start``/``end`` are aware datetimes; they are written in ``timezone`` (an IANA name).
    With ``all_day`` they are written as the local dates they cover, ``DTEND`` exclusive.
    """

    uid: str
    summary: str
    start: dt.datetime
    end: dt.datetime
    timezone: str
    created: dt.datetime
    last_modified: dt.datetime
    sequence: int
    status: str = ItemStatus.CONFIRMED
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    all_day: bool = False


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    """What a subscriber's calendar list shows: X-WR-CALNAME and X-WR-CALDESC."""

    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Organizer:
    """Who publishes a calendar sent by email: its ORGANIZER (a name and an address)."""

    name: str
    email: str


def event_uid(event_uuid: uuid.UUID, domain: str) -> str:
    """The UID of a whole event, stable forever and unique across sites."""
    return f"event-{event_uuid}@{domain}"


def session_uid(session_uuid: uuid.UUID, domain: str) -> str:
    """The UID of one session, stable forever and unique across sites."""
    return f"session-{session_uuid}@{domain}"


def local_dates(start: dt.datetime, end: dt.datetime, zone_name: str) -> tuple[dt.date, dt.date]:
    """The first local day of ``start``–``end`` and the day after the last (exclusive end).

    An end at local midnight does not occupy the day it starts.
    """
    zone = _zone(zone_name)
    first = start.astimezone(zone).date()
    local_end = end.astimezone(zone)
    after_last = local_end.date()
    if local_end.time() != dt.time.min or after_last == first:
        after_last += dt.timedelta(days=1)
    return first, after_last


def spans_several_days(start: dt.datetime, end: dt.datetime, zone_name: str) -> bool:
    """Whether ``start``–``end`` covers more than one local day in ``zone_name``."""
    first, after_last = local_dates(start, end, zone_name)
    return (after_last - first).days > 1


def build_calendar(
    info: CalendarInfo,
    items: Iterable[FeedItem],
    *,
    alarm_minutes: int | None = None,
    organizer: Organizer | None = None,
) -> Calendar:
    """A VCALENDAR with one VEVENT per item, in the given order, and a VTIMEZONE per zone.

    ``alarm_minutes`` adds a display reminder that many minutes before each item that is not
    cancelled. Without ``organizer``, a subscription feed (no METHOD); with it, an iTIP
    ``METHOD:PUBLISH`` whose every VEVENT names that ORGANIZER (for email attachments).
    """
    trigger = _trigger(alarm_minutes)
    calendar = _calendar_head(info, organizer)
    organizer_address = None
    if organizer is not None:
        organizer_address = vCalAddress(f"mailto:{organizer.email}")
        organizer_address.params["CN"] = organizer.name
    years: dict[str, tuple[int, int]] = {}
    events = []
    for item in items:
        vevent, zone_years = _vevent(item, trigger, organizer_address)
        events.append(vevent)
        _widen(years, item.timezone, zone_years)
    _add_timezones(calendar, years)
    calendar.subcomponents.extend(events)
    return calendar


@dataclass(frozen=True, slots=True)
class VeventPiece:
    """One item's VEVENT as the bytes ``serialize`` writes for it inside a subscription feed
    (no ORGANIZER), ready to be joined into a calendar by ``assemble`` without building it.

    ``body`` is the VEVENT without a reminder; ``alarm`` its VALARM lines with a stand-in
    TRIGGER (empty for a cancelled item, which gets none); ``zone_years`` the local years its
    zone's VTIMEZONE must cover (None when its times are dates or UTC).
    """

    body: bytes
    alarm: bytes
    timezone: str
    zone_years: tuple[int, int] | None


def vevent_piece(item: FeedItem) -> VeventPiece:
    """``item``'s VEVENT in bytes, for ``assemble``."""
    vevent, zone_years = _vevent(item, None)
    alarm = b""
    if item.status != ItemStatus.CANCELLED:
        alarm = alarm_lines(item.summary)
    return VeventPiece(
        body=serialize(vevent), alarm=alarm, timezone=item.timezone, zone_years=zone_years
    )


def assemble(
    info: CalendarInfo, pieces: Iterable[VeventPiece], *, alarm_minutes: int | None = None
) -> bytes:
    """Byte for byte ``serialize(build_calendar(info, items, alarm_minutes=...))`` of the
    items ``pieces`` were made from (``vevent_piece``), in the given order: the calendar's
    head and VTIMEZONEs are built, the VEVENTs only joined (a reminder spliced in)."""
    pieces = list(pieces)
    trigger = _trigger(alarm_minutes)
    years: dict[str, tuple[int, int]] = {}
    for piece in pieces:
        _widen(years, piece.timezone, piece.zone_years)
    calendar = _calendar_head(info, None)
    _add_timezones(calendar, years)
    head = serialize(calendar)
    if not head.endswith(_END_CALENDAR):
        raise AssertionError("a calendar that does not end with END:VCALENDAR")
    out = [head[: -len(_END_CALENDAR)]]
    if trigger is None:
        out.extend(piece.body for piece in pieces)
    else:
        trigger_line = b"\r\nTRIGGER:" + trigger.to_ical() + b"\r\n"
        for piece in pieces:
            if not piece.alarm:
                out.append(piece.body)
                continue
            # The VALARM is the VEVENT's last subcomponent: its lines come just before
            # END:VEVENT. A TRIGGER line starts after a CRLF with no space: never a fold.
            out += (
                piece.body[: -len(_END_VEVENT)],
                bytes(piece.alarm).replace(_STAND_IN_TRIGGER_LINE, trigger_line, 1),
                _END_VEVENT,
            )
    out.append(_END_CALENDAR)
    return b"".join(out)


_END_CALENDAR = b"END:VCALENDAR\r\n"
_END_VEVENT = b"END:VEVENT\r\n"


def _trigger(alarm_minutes: int | None) -> vDuration | None:
    if alarm_minutes is None:
        return None
    if not MIN_ALARM_MINUTES <= alarm_minutes <= MAX_ALARM_MINUTES:
        raise ValueError(f"alarm_minutes must be {MIN_ALARM_MINUTES}..{MAX_ALARM_MINUTES}")
    return vDuration(dt.timedelta(minutes=-alarm_minutes))


_STAND_IN_TRIGGER = vDuration(dt.timedelta(minutes=-MAX_ALARM_MINUTES))
_STAND_IN_TRIGGER_LINE = b"\r\nTRIGGER:" + _STAND_IN_TRIGGER.to_ical() + b"\r\n"


def _calendar_head(info: CalendarInfo, organizer: Organizer | None) -> Calendar:
    """The VCALENDAR's own properties, without components."""
    calendar = Calendar()
    calendar["VERSION"] = vText("2.0")
    calendar["PRODID"] = vText(PRODID)
    calendar["CALSCALE"] = vText("GREGORIAN")
    if organizer is not None:
        calendar["METHOD"] = vText("PUBLISH")
    calendar["X-WR-CALNAME"] = vText(info.name)
    if info.description:
        calendar["X-WR-CALDESC"] = vText(info.description)
    refresh = vDuration(REFRESH_INTERVAL)
    refresh.params["VALUE"] = "DURATION"
    calendar["REFRESH-INTERVAL"] = refresh
    calendar["X-PUBLISHED-TTL"] = vDuration(REFRESH_INTERVAL)
    return calendar


def _widen(
    years: dict[str, tuple[int, int]], zone_name: str, zone_years: tuple[int, int] | None
) -> None:
    if zone_years is not None:
        first, last = years.get(zone_name, zone_years)
        years[zone_name] = (min(first, zone_years[0]), max(last, zone_years[1]))


def _add_timezones(calendar: Calendar, years: dict[str, tuple[int, int]]) -> None:
    for zone_name in sorted(years):
        timezone = vtimezone(zone_name, *years[zone_name])
        if timezone is not None:
            calendar.subcomponents.append(timezone)


def serialize(calendar: Component) -> bytes:
    """The calendar (or any component) as RFC 5545 bytes: UTF-8, CRLF, lines folded before
    75 octets.

    Byte for byte what ``calendar.to_ical()`` gives, faster: ``icalendar`` folds every line
    character by character, and most lines are ASCII, short or cut in slices here.
    """
    out = []
    for line in calendar.content_lines():
        if not line:
            continue
        out.append(_fold(line))
    out.append("")
    return "\r\n".join(out).encode("utf-8")


def _fold(line: str) -> str:
    if line.isascii():
        return line if len(line) < _FOLD_AT else _fold_ascii(line)
    return _fold_utf8(line)


def _fold_ascii(line: str) -> str:
    """``icalendar``'s folding of an ASCII line (one octet a character), a slice at a time:
    74 characters a line, and never a line ending in the first half of an escape (a
    backslash or a caret), which moves to the next line instead."""
    parts = []
    start = 0
    width = _FOLD_AT - 1
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _fold_utf8(line: str) -> str:
    """``icalendar``'s folding of any line, on its UTF-8 octets a slice at a time: at most
    74 octets a line, never inside a character, and never a line ending in the first half of
    an escape (which moves to the next line)."""
    octets = line.encode("utf-8")
    if len(octets) < _FOLD_AT:
        return line
    parts = []
    start = 0
    width = _FOLD_AT - 1
    while len(octets) - start > width:
        end = start + width
        while octets[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if octets[end - 1] in b"\\^":
            end -= 1
        parts.append(octets[start:end])
        start = end
    parts.append(octets[start:])
    return b"\r\n ".join(parts).decode("utf-8")


@functools.lru_cache(maxsize=256)
def vtimezone(zone_name: str, first_year: int, last_year: int) -> Timezone | None:
    """The VTIMEZONE of an IANA zone for ``first_year`` to ``last_year`` inclusive: what
    ``Calendar.add_missing_timezones`` would add, built once per zone and span.

    Without the COMMENT icalendar writes on it ("This timezone only works from ..."): RFC 5545
    allows no COMMENT on a VTIMEZONE itself, and libical's checker refuses the calendar.
    Cached: the same zone and years always give the same (shared, never mutated) component.
    None for a zone the IANA database does not know; its items are then written in UTC.
    """
    try:
        timezone = Timezone.from_tzinfo(
            _zone(zone_name),
            tzid=zone_name,
            first_date=dt.date(first_year, 1, 1),
            last_date=dt.date(last_year + 1, 1, 1),
        )
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None
    timezone.pop("COMMENT", None)
    return timezone


@functools.lru_cache(maxsize=512)
def _zone(zone_name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone_name)


def _writes_utc(zone_name: str) -> bool:
    # A zone without a VTIMEZONE of its own (unknown to the IANA database here) goes in UTC:
    # a TZID nobody can resolve would be read as floating time.
    return zone_name in UTC_ZONE_NAMES or vtimezone(zone_name, 2000, 2000) is None


def _utc(moment: dt.datetime) -> vDDDTypes:
    return vDDDTypes(moment.astimezone(dt.UTC).replace(microsecond=0))


def utc_stamp(moment: dt.datetime) -> bytes:
    """``moment`` as a DTSTAMP or LAST-MODIFIED value is written (what ``_utc`` gives,
    without building the property): ``20261125T204612Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ").encode("ascii")


def _vevent(
    item: FeedItem, trigger: vDuration | None, organizer: vCalAddress | None = None
) -> tuple[VEvent, tuple[int, int] | None]:
    """The VEVENT of ``item`` and the (first, last) local years its zone must cover."""
    vevent = VEvent()
    vevent["UID"] = vText(item.uid)
    vevent["DTSTAMP"] = _utc(item.last_modified)
    zone_years = None
    if item.all_day:
        first, after_last = local_dates(item.start, item.end, item.timezone)
        vevent["DTSTART"] = vDDDTypes(first)
        vevent["DTEND"] = vDDDTypes(after_last)
    elif _writes_utc(item.timezone):
        vevent["DTSTART"] = _utc(item.start)
        vevent["DTEND"] = _utc(item.end)
    else:
        zone = _zone(item.timezone)
        start = item.start.astimezone(zone).replace(microsecond=0)
        end = item.end.astimezone(zone).replace(microsecond=0)
        vevent["DTSTART"] = vDDDTypes(start)
        vevent["DTEND"] = vDDDTypes(end)
        # A day's margin either side: a transition on New Year's night still lands inside.
        zone_years = (
            (start - dt.timedelta(days=1)).year,
            (end + dt.timedelta(days=1)).year,
        )
    vevent["CREATED"] = _utc(item.created)
    vevent["LAST-MODIFIED"] = _utc(item.last_modified)
    vevent["SEQUENCE"] = vInt(item.sequence)
    vevent["STATUS"] = vText(item.status)
    vevent["SUMMARY"] = vText(item.summary)
    if item.description:
        vevent["DESCRIPTION"] = vText(item.description)
    if item.location:
        vevent["LOCATION"] = vText(item.location)
    if item.url:
        vevent["URL"] = vUri(item.url)
    if organizer is not None:
        vevent["ORGANIZER"] = organizer
    if item.categories:
        vevent["CATEGORIES"] = vCategory(list(item.categories))
    vevent["TRANSP"] = vText(
        "TRANSPARENT" if item.all_day or item.status == ItemStatus.CANCELLED else "OPAQUE"
    )
    if trigger is not None and item.status != ItemStatus.CANCELLED:
        vevent.subcomponents.append(_alarm(item.summary, trigger))
    return vevent, zone_years


def alarm_lines(summary: str) -> bytes:
    """``serialize(_alarm(summary, _STAND_IN_TRIGGER))``, written directly: building the
    component and walking its content lines cost more than the rest of a stored VEVENT."""
    description = _fold("DESCRIPTION:" + vText(summary).to_ical().decode("utf-8"))
    return b"".join(
        (_ALARM_HEAD, description.encode("utf-8"), _STAND_IN_TRIGGER_LINE, _ALARM_END)
    )


_ALARM_HEAD = b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
_ALARM_END = b"END:VALARM\r\n"


def _alarm(summary: str, trigger: vDuration) -> Alarm:
    alarm = Alarm()
    alarm["ACTION"] = vText("DISPLAY")
    alarm["TRIGGER"] = trigger
    alarm["DESCRIPTION"] = vText(summary)
    return alarm
