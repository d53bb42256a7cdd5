"""Every kind of feed, read by strict calendar clients: libical 3 (Evolution, GNOME, with
its restriction checker) and Mozilla's ical.js (Thunderbird), besides the Python parsers.

A subscription feed is no iTIP message: it carries no METHOD (RFC 5545 section 3.7.2), so
libical checks it against RFC 5545 alone, and it names no ORGANIZER.
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from agenda.services import cancel_session
from registrations import services as registrations
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    TrackFactory,
)
from tests.ical_parsers import CLIENTS, assert_clients_read_as_icalendar, unfolded_lines

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def programme():
    """An event (still open for registration) across the end of summer time in Brussels,
    with a session on each day, the second cancelled, and an online event in New York on the
    night its clocks go back."""
    year = timezone.now().year + 1
    # The last Sunday of October: summer time ends in Brussels at 03:00.
    sunday = max(
        dt.date(year, 10, day) for day in range(25, 32) if dt.date(year, 10, day).weekday() == 6
    )
    saturday = sunday - dt.timedelta(days=1)
    event = EventFactory(
        slug="forum",
        title="Responsible Business Forum, Brussels; day 1\\2",
        start=dt.datetime.combine(saturday, dt.time(9), tzinfo=BRUSSELS),
        end=dt.datetime.combine(sunday, dt.time(18), tzinfo=BRUSSELS),
        tags=TagFactory.create_batch(2),
    )
    track, room = TrackFactory(event=event), RoomFactory(event=event)
    sessions = [
        SessionFactory(
            event=event, track=track, room=room, title=f"Panel {day:%A}: due diligence — Café",
            start=dt.datetime.combine(day, dt.time(10), tzinfo=BRUSSELS),
            end=dt.datetime.combine(day, dt.time(11), tzinfo=BRUSSELS),
            speakers=SpeakerFactory.create_batch(2),
        )
        for day in (saturday, sunday)
    ]
    cancel_session(session=sessions[1])
    new_york = zoneinfo.ZoneInfo("America/New_York")
    first_sunday = min(
        dt.date(year, 11, day) for day in range(1, 8) if dt.date(year, 11, day).weekday() == 6
    )
    EventFactory(
        slug="webinar", timezone="America/New_York", format="online",
        start=dt.datetime.combine(first_sunday, dt.time(0, 30), tzinfo=new_york),
        end=dt.datetime.combine(first_sunday, dt.time(3), tzinfo=new_york),
    )
    return event, sessions


def public_feeds(event, sessions) -> list[str]:
    return [
        "/feeds/agenda.ics",
        "/feeds/agenda.ics?all_day=1&alarm=30",
        f"/feeds/events/{event.slug}.ics",
        f"/feeds/events/{event.slug}.ics?alarm=15",
        f"/feeds/events/{event.slug}/event.ics",
        f"/feeds/events/{event.slug}/event.ics?all_day=1",
        f"/feeds/sessions/{sessions[0].uuid}.ics",
        f"/feeds/sessions/{sessions[1].uuid}.ics",
    ]


def assert_a_subscription_feed_both_clients_read(body: bytes) -> None:
    readings = assert_clients_read_as_icalendar(body)
    assert {client: reading.method for client, reading in readings.items()} == dict.fromkeys(
        CLIENTS
    )
    lines = unfolded_lines(body)
    assert [line for line in lines if line.startswith(("METHOD", "ORGANIZER"))] == []


@pytest.mark.parametrize("index", range(8))
def test_every_public_feed_reads_in_both_clients_without_error_or_method(client, programme,
                                                                         index):
    url = public_feeds(*programme)[index]

    response = client.get(url)

    assert response.status_code == 200, url
    assert_a_subscription_feed_both_clients_read(response.content)


@pytest.mark.parametrize("situation", ["confirmed", "waitlisted", "cancelled"])
def test_the_personal_feed_reads_in_both_clients_without_error_or_method(client, programme,
                                                                         situation):
    event, sessions = programme
    event.capacity = 1
    event.save()
    first = RegistrationFactory(event=event, session_ids=[sessions[0].pk])
    registration = {
        "confirmed": lambda: first,
        "waitlisted": lambda: RegistrationFactory(event=event),
        "cancelled": lambda: registrations.cancel_registration(registration=first),
    }[situation]()

    for query in ("", "?alarm=60", "?all_day=1"):
        response = client.get(f"/feeds/me/{registration.feed_token}.ics{query}")

        assert response.status_code == 200, query
        assert_a_subscription_feed_both_clients_read(response.content)
