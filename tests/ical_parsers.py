"""Reading feeds back with independent iCalendar parsers, as different calendar clients would.

``icalendar`` (the library the feeds are built with), ``vobject`` and ``ics`` each parse the
bytes on their own; ``recurring-ical-events`` expands what icalendar read into the occurrences
a client shows in a date range. A feed passes only if all of them agree.
"""

import datetime as dt
import re
from dataclasses import dataclass

import icalendar
import ics
import recurring_ical_events
import vobject

PARSERS = ("icalendar", "vobject", "ics", "recurring-ical-events")


@dataclass(frozen=True)
class Occurrence:
    """What one parser read of one VEVENT."""

    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    status: str | None


def parse_with_every_parser(body: bytes) -> dict[str, dict[str, Occurrence]]:
    """For each parser, the VEVENTs it read, by UID."""
    text = body.decode("utf-8")
    calendar = icalendar.Calendar.from_ical(body)
    return {
        "icalendar": _by_uid(
            Occurrence(
                uid=str(vevent["UID"]),
                summary=str(vevent["SUMMARY"]),
                start=vevent.decoded("DTSTART"),
                end=vevent.decoded("DTEND"),
                status=str(vevent.get("STATUS")) if "STATUS" in vevent else None,
            )
            for vevent in calendar.walk("VEVENT")
        ),
        "vobject": _by_uid(
            Occurrence(
                uid=vevent.uid.value,
                summary=vevent.summary.value,
                start=vevent.dtstart.value,
                end=vevent.dtend.value,
                status=vevent.status.value if hasattr(vevent, "status") else None,
            )
            for vevent in vobject.readOne(text).contents.get("vevent", [])
        ),
        "ics": _by_uid(
            Occurrence(
                uid=event.uid,
                summary=event.name,
                start=event.begin.date() if event.all_day else event.begin.datetime,
                end=event.end.date() if event.all_day else event.end.datetime,
                status=event.status,
            )
            for event in ics.Calendar(text).events
        ),
        "recurring-ical-events": _by_uid(
            Occurrence(
                uid=str(vevent["UID"]),
                summary=str(vevent["SUMMARY"]),
                start=vevent["DTSTART"].dt,
                end=vevent["DTEND"].dt,
                status=str(vevent.get("STATUS")) if "STATUS" in vevent else None,
            )
            for vevent in recurring_ical_events.of(calendar).between(
                dt.date(1971, 1, 1), dt.date(2100, 1, 1)
            )
        ),
    }


def uids_of(body: bytes) -> set[str]:
    """The UIDs every parser read; fails if the parsers disagree."""
    parsed = parse_with_every_parser(body)
    uids = {parser: set(events) for parser, events in parsed.items()}
    assert len({frozenset(found) for found in uids.values()}) == 1, uids
    return uids["icalendar"]


def vevents(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def vevent_by_uid(body: bytes, uid: str) -> icalendar.Event:
    found = [vevent for vevent in vevents(body) if str(vevent["UID"]) == uid]
    assert len(found) == 1, f"{len(found)} VEVENTs with UID {uid}"
    return found[0]


def unfolded_lines(body: bytes) -> list[str]:
    """The content lines, unfolded (RFC 5545 section 3.1)."""
    return re.sub(r"\r\n[ \t]", "", body.decode("utf-8")).split("\r\n")


def _by_uid(occurrences) -> dict[str, Occurrence]:
    result: dict[str, Occurrence] = {}
    for occurrence in occurrences:
        assert occurrence.uid not in result, f"UID {occurrence.uid} twice"
        result[occurrence.uid] = occurrence
    return result
