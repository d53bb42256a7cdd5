"""The ``.ics`` an email carries: the attendee's event and sessions, as their personal feed
has them (same VEVENTs, same UIDs).

Attendees of an event with the same status and choices get the same calendar but for the
DTSTAMP and LAST-MODIFIED of each item, the later of the item's last change and the
registration's. A ``StampedCalendar`` serializes that calendar once, with a stand-in moment
in those lines, and writes each attendee's own moments in: building a calendar costs
milliseconds, writing in its moments microseconds.
"""

import copy
import dataclasses
import datetime as dt
import re
from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext as _

from agenda import ical
from agenda.models import Event
from registrations.feeds import personal_items
from registrations.models import Registration

# Later than any real change, so it is every item's stamp in the template.
_STAND_IN = dt.datetime(2999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
# Before any real change: with it, an item's stamp is the item's own last change.
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# A whole content line: a text value cannot hold a raw CRLF, nor a folded line start so.
_STAMP_LINE = re.compile(
    rb"\r\n(DTSTAMP|LAST-MODIFIED):" + re.escape(ical.utc_stamp(_STAND_IN)) + rb"\r\n"
)
_LINES_PER_ITEM = 2


def calendar_bytes(registration: Registration, event: Event) -> bytes:
    return _serialize(event, personal_items(registration, event))


def _serialize(event: Event, items: list[ical.FeedItem]) -> bytes:
    info = ical.CalendarInfo(
        name=event.title,
        description=_("Your registration for %(event)s") % {"event": event.title},
    )
    return ical.serialize(ical.build_calendar(info, items, organizer=organizer()))


def organizer() -> ical.Organizer:
    """The ORGANIZER of every calendar an email carries: the network, at the no-reply address
    the emails come from (``NETWORK_NAME``, ``DEFAULT_FROM_EMAIL``)."""
    return ical.Organizer(
        name=settings.NETWORK_NAME, email=parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    )


class StampedCalendar:
    """The calendar of ``registration`` (its event, status and choices, in the active
    language), for any registration that shares those, with its own stamps."""

    def __init__(self, registration: Registration, event: Event) -> None:
        unstamped = copy.copy(registration)
        unstamped.updated_at = _EPOCH
        items = personal_items(unstamped, event)
        self._changed = [item.last_modified for item in items]
        template = _serialize(
            event, [dataclasses.replace(item, last_modified=_STAND_IN) for item in items]
        )
        # [text, property, text, property, ..., text]
        self._pieces = _STAMP_LINE.split(template)
        if len(self._pieces) != 1 + 2 * _LINES_PER_ITEM * len(items):
            raise AssertionError("a VEVENT without its DTSTAMP and LAST-MODIFIED lines")

    def for_registration(self, registration: Registration) -> bytes:
        stamps = [
            ical.utc_stamp(max(changed, registration.updated_at)) for changed in self._changed
        ]
        out = [self._pieces[0]]
        for index in range(1, len(self._pieces), 2):
            stamp = stamps[(index // 2) // _LINES_PER_ITEM]
            out += (b"\r\n", self._pieces[index], b":", stamp, b"\r\n", self._pieces[index + 1])
        return b"".join(out)
