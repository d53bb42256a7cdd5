"""Reading feeds back with independent iCalendar parsers, as different calendar clients would.

``icalendar`` (the library the feeds are built with), ``vobject`` and ``ics`` each parse the
bytes on their own; ``recurring-ical-events`` expands what icalendar read into the occurrences
a client shows in a date range. A feed passes only if all of them agree.

``read_with_client`` reads a calendar with two clients outside Python: libical 3 (with its
restriction checker) and Mozilla's ical.js.
"""

import datetime as dt
import functools
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import icalendar
import ics
import pytest
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
        "icalendar": _icalendar_occurrences(calendar),
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


def _icalendar_occurrences(calendar: icalendar.Calendar) -> dict[str, Occurrence]:
    return _by_uid(
        Occurrence(
            uid=str(vevent["UID"]),
            summary=str(vevent["SUMMARY"]),
            start=vevent.decoded("DTSTART"),
            end=vevent.decoded("DTEND"),
            status=str(vevent.get("STATUS")) if "STATUS" in vevent else None,
        )
        for vevent in calendar.walk("VEVENT")
    )


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


# --- Calendar clients outside Python -----------------------------------------------------
# libical 3 (Evolution, GNOME Calendar), through Debian's python3-gi in a subprocess of the
# system python3, and Mozilla's ical.js (Thunderbird), installed under tests/calendar_clients
# by `make test` and run with node. Each reports what it read; libical also reports what its
# parser and its restriction checker (RFC 5545, and RFC 5546 for a calendar with a METHOD)
# found wrong. Outside CI a missing client skips the test; CI installs both.

CLIENTS_DIR = Path(__file__).resolve().parent / "calendar_clients"
SYSTEM_PYTHON = "/usr/bin/python3"
CLIENTS = ("libical", "ical.js")


@dataclass(frozen=True)
class ClientReading:
    """What one calendar client read of a calendar."""

    method: str | None
    events: dict[str, Occurrence]
    errors: tuple[str, ...] = ()


def _missing(client: str) -> str:
    """Why ``client`` cannot run here, or ""."""
    if client == "libical":
        if not Path(SYSTEM_PYTHON).exists():
            return f"{SYSTEM_PYTHON} is missing"
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-c",
             "import gi; gi.require_version('ICalGLib', '3.0')\n"
             "from gi.repository import ICalGLib"],
            capture_output=True, text=True, check=False,
        )
        if probe.returncode:
            return "libical 3 is not importable (apt-get install python3-gi gir1.2-ical-3.0)"
        return ""
    if shutil.which("node") is None:
        return "node is not on PATH (apt-get install nodejs npm)"
    if not (CLIENTS_DIR / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed (`make test` runs npm ci --prefix tests/calendar_clients)"
    return ""


@functools.cache
def _why_missing(client: str) -> str:
    return _missing(client)


def require_client(client: str) -> None:
    """Skip the test when ``client`` cannot run here, or fail it in CI, which installs it."""
    reason = _why_missing(client)
    if not reason:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{client} is needed in CI: {reason}")
    pytest.skip(f"needs the {client} calendar client: {reason}")


def read_with_client(client: str, body: bytes) -> ClientReading:
    """What ``client`` read of ``body`` (skips or fails when it is absent, see
    ``require_client``); a calendar it cannot parse at all fails the test."""
    require_client(client)
    if client == "libical":
        command = [SYSTEM_PYTHON, str(CLIENTS_DIR / "read_libical.py")]
    else:
        command = ["node", str(CLIENTS_DIR / "read_icaljs.mjs")]
    done = subprocess.run(command, input=body, capture_output=True, check=False, timeout=60)
    assert done.returncode == 0, f"{client} could not read the calendar: {done.stderr.decode()}"
    read = json.loads(done.stdout)
    return ClientReading(
        method=read["method"],
        errors=tuple(read.get("errors", ())),
        events=_by_uid(
            Occurrence(
                uid=event["uid"],
                summary=event["summary"],
                start=_client_moment(event["start"]),
                end=_client_moment(event["end"]),
                status=event["status"],
            )
            for event in read["events"]
        ),
    )


def _client_moment(moment: dict) -> dt.datetime | dt.date:
    if "date" in moment:
        return dt.datetime.strptime(moment["date"].replace("-", ""), "%Y%m%d").date()
    # A time a client could not place in a zone would be read as floating: refuse it.
    assert moment.get("zoned", True), "read as floating time"
    return dt.datetime.fromtimestamp(moment["utc"], dt.UTC)


def assert_clients_read_as_icalendar(body: bytes) -> dict[str, ClientReading]:
    """Both clients read ``body`` without an error, and read the VEVENTs icalendar reads
    (same UIDs, summaries, statuses, and the same instants or days)."""
    # icalendar's reading alone: vobject keeps every TZID it reads in a registry for the
    # process, so a calendar of another year here would change what other tests read.
    expected = _icalendar_occurrences(icalendar.Calendar.from_ical(body))
    readings = {}
    for client in CLIENTS:
        reading = readings[client] = read_with_client(client, body)
        assert reading.errors == (), (client, reading.errors)
        assert reading.events == expected, client
    return readings
