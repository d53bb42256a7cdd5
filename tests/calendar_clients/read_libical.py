"""Reads an iCalendar body from stdin with libical 3 (the library of Evolution and GNOME
Calendar, through GObject introspection) and prints, as JSON, what it read.

Run by Debian's system ``python3`` (``python3-gi`` and ``gir1.2-ical-3.0``), not the project's
virtualenv: ``tests/ical_parsers.py`` calls it in a subprocess. Besides each
VEVENT's UID, summary, status, start and end (UTC instants, or local dates for whole days,
each zone resolved from the calendar's VTIMEZONEs), it reports every error libical records:
those of parsing, and those of its restriction checker (RFC 5545 and, for a calendar with a
METHOD, the iTIP rules of RFC 5546), which it writes into the calendar as X-LIC-ERROR.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

KIND = ICalGLib.ComponentKind


def errors_of(component) -> list[str]:
    found = []
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        kind = ICalGLib.Component.kind_to_string(component.isa())
        found.append(f"{kind}: {prop.get_xlicerror()}")
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(KIND.ANY_COMPONENT)
    while child is not None:
        found += errors_of(child)
        child = component.get_next_component(KIND.ANY_COMPONENT)
    return found


def moment(time) -> dict:
    if time.is_date():
        return {"date": f"{time.get_year():04d}{time.get_month():02d}{time.get_day():02d}"}
    zone = time.get_timezone()
    return {"utc": time.as_timet_with_zone(zone), "zoned": zone is not None or time.is_utc()}


def main() -> None:
    text = sys.stdin.buffer.read().decode("utf-8")
    calendar = ICalGLib.Component.new_from_string(text)
    if calendar is None or calendar.isa() != KIND.VCALENDAR_COMPONENT:
        print(json.dumps({"errors": ["not a VCALENDAR"], "events": []}))
        return
    ICalGLib.restriction_check(calendar)  # adds its findings to the parser's
    events = []
    vevent = calendar.get_first_component(KIND.VEVENT_COMPONENT)
    while vevent is not None:
        events.append({
            "uid": vevent.get_uid(),
            "summary": vevent.get_summary(),
            "status": ICalGLib.Property.status_to_string(vevent.get_status()),
            "start": moment(vevent.get_dtstart()),
            "end": moment(vevent.get_dtend()),
        })
        vevent = calendar.get_next_component(KIND.VEVENT_COMPONENT)
    method = calendar.get_method()
    print(json.dumps({
        "method": None if method == ICalGLib.PropertyMethod.NONE else
        ICalGLib.Property.method_to_string(method),
        "errors": errors_of(calendar),
        "events": events,
    }))


if __name__ == "__main__":
    main()
