"""'Add to calendar' links: subscribe (webcal), Google Calendar, Outlook on the web, .ics file.

The builders take plain values and touch neither HTTP nor the database; ``event_links`` and
``session_links`` fill them in from an event or session (absolute addresses from SITE_URL),
for the API and for pages alike.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import reverse

from agenda import links
from agenda.feeds.items import event_location
from agenda.models import Event, Session

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"
# Browsers and the calendar services cope with a few thousand characters of address; the
# description is what can be long, so it is cut well before that.
MAX_DETAILS = 1000


@dataclass(frozen=True, slots=True)
class CalendarLinks:
    webcal: str
    google_calendar: str
    outlook: str
    ics: str


def webcal_url(feed_url: str) -> str:
    """The webcal:// address that makes calendar apps subscribe to an http(s) feed."""
    for scheme in ("https://", "http://"):
        if feed_url.startswith(scheme):
            return "webcal://" + feed_url.removeprefix(scheme)
    return feed_url


def google_calendar_url(
    *, title: str, start: dt.datetime, end: dt.datetime, details: str = "", location: str = ""
) -> str:
    """Google Calendar's "new event" page, filled in; times in UTC."""
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_compact_utc(start)}/{_compact_utc(end)}",
        "details": _shorten(details),
        "location": location,
    }
    return f"{GOOGLE_CALENDAR}?{_encode(query)}"


def outlook_url(
    *, title: str, start: dt.datetime, end: dt.datetime, details: str = "", location: str = ""
) -> str:
    """Outlook on the web's "new event" form, filled in; times in UTC."""
    query = {
        "subject": title,
        "startdt": _iso_utc(start),
        "enddt": _iso_utc(end),
        "body": _shorten(details),
        "location": location,
        "path": "/calendar/action/compose",
        "rru": "addevent",
    }
    return f"{OUTLOOK}?{_encode(query)}"


def event_links(event: Event) -> CalendarLinks:
    """Subscribe to the event's feed, or add the whole event once."""
    return _links(
        event, title=event.title, start=event.start, end=event.end, text=event.summary,
        location=event_location(event),
        ics=reverse("feed-event-download", kwargs={"slug": event.slug}),
    )


def session_links(session: Session) -> CalendarLinks:
    """Subscribe to the event's feed, or add this one session (needs ``session.event`` and
    ``session.room``)."""
    event = session.event
    return _links(
        event, title=session.title, start=session.start, end=session.end,
        text=session.abstract,
        location=event_location(event, room=session.room.name if session.room else ""),
        ics=reverse("feed-session-download", kwargs={"session_uuid": session.uuid}),
    )


def _links(event: Event, *, title: str, start: dt.datetime, end: dt.datetime, text: str,
           location: str, ics: str) -> CalendarLinks:
    """The four links for an item of ``event``; its description is ``text`` and the page."""
    details = "\n\n".join(part for part in (text, links.event_page_url(event.slug)) if part)
    item = {"title": title, "start": start, "end": end, "details": details,
            "location": location}
    return CalendarLinks(
        webcal=webcal_url(links.event_feed_url(event.slug)),
        google_calendar=google_calendar_url(**item),
        outlook=outlook_url(**item),
        ics=links.absolute(ics),
    )


def _compact_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_DETAILS else text[: MAX_DETAILS - 1].rstrip() + "\u2026"


def _encode(query: dict[str, str]) -> str:
    # Spaces as %20: "+" means a space only in form data, and these links are not forms.
    # "/" and ":" may stand in a query as they are (RFC 3986), and read better there.
    return urlencode(
        {key: value for key, value in query.items() if value}, safe="/:", quote_via=quote
    )
