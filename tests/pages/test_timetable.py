"""The programme as a timetable: time order, a room × time grid for wide screens placed by
classes the stylesheet defines, each session with its seats, calendar links and page."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from agenda.enums import SessionStatus
from pages import timetable
from tests.factories import EventFactory, RoomFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2031, 3, 4, 8, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    return START + dt.timedelta(hours=hours)


def event_with_rooms():
    event = EventFactory(start=START, end=START + dt.timedelta(hours=10), capacity=100)
    hall, annex = RoomFactory(event=event, name="Hall"), RoomFactory(event=event, name="Annex")
    return event, hall, annex


def test_grid_gives_each_room_a_column_and_each_time_a_row():
    event, hall, annex = event_with_rooms()
    opening = SessionFactory(event=event, title="Opening", room=None, start=at(0), end=at(1))
    talk = SessionFactory(event=event, title="Talk", room=hall, start=at(1), end=at(2))
    workshop = SessionFactory(event=event, title="Workshop", room=annex, start=at(1), end=at(3))

    (day,) = timetable.build(event, [workshop, talk, opening])

    assert day.grid is True
    assert [room.name for room in day.rooms] == ["Annex", "Hall"]
    placed = {entry.session.title: entry.grid_classes for entry in day.entries}
    assert placed == {
        "Opening": "tt-c2 tt-cs2 tt-rs2 tt-re3",  # no room, nothing beside it: every column
        "Workshop": "tt-c2 tt-cs1 tt-rs3 tt-re5",
        "Talk": "tt-c3 tt-cs1 tt-rs3 tt-re4",
    }
    assert [entry.session.title for entry in day.entries] == ["Opening", "Talk", "Workshop"]


def test_sessions_without_a_room_running_side_by_side_get_their_own_columns():
    event, hall, _annex = event_with_rooms()
    first = SessionFactory(event=event, title="A", room=None, start=at(0), end=at(2))
    second = SessionFactory(event=event, title="B", room=None, start=at(1), end=at(3))
    third = SessionFactory(event=event, title="C", room=hall, start=at(0), end=at(1))

    with translation.override("en"):
        (day,) = timetable.build(event, [first, second, third])

    columns = {entry.session.title: (entry.column, entry.span) for entry in day.entries}
    assert columns == {"C": (2, 1), "A": (3, 1), "B": (4, 1)}
    assert [room.name for room in day.rooms] == ["Hall", "Other sessions", "Other sessions"]


def test_two_sessions_in_one_room_at_once_leave_the_day_a_list():
    event, hall, _annex = event_with_rooms()
    sessions = [
        SessionFactory(event=event, room=hall, start=at(0), end=at(2)),
        SessionFactory(event=event, room=hall, start=at(1), end=at(3)),
    ]

    (day,) = timetable.build(event, sessions)

    assert day.grid is False
    assert day.columns_class == ""


def test_a_day_beyond_the_stylesheet_limits_stays_a_list():
    event, hall, _annex = event_with_rooms()
    sessions = [
        SessionFactory(event=event, room=hall, start=at(index / 6), end=at((index + 1) / 6 - 0.01))
        for index in range(timetable.MAX_TIMES // 2 + 1)
    ]

    (day,) = timetable.build(event, sessions)

    assert day.grid is False


def test_stylesheet_defines_every_class_the_grid_can_use():
    css = (Path(settings.BASE_DIR) / "pages/static/pages/site.css").read_text()
    defined = set(re.findall(r"\.(tt-(?:cols-|c|cs|rs|re)\d+)\s*\{", css))
    columns = timetable.MAX_ROOMS
    rows = timetable.MAX_TIMES
    needed = (
        {f"tt-cols-{n}" for n in range(1, columns + 1)}
        | {f"tt-c{n}" for n in range(2, columns + 2)}
        | {f"tt-cs{n}" for n in range(1, columns + 1)}
        | {f"tt-rs{n}" for n in range(2, rows + 2)}
        | {f"tt-re{n}" for n in range(3, rows + 3)}
    )
    assert needed - defined == set()


def test_event_page_links_each_session_with_its_seats_and_calendar_links(client):
    event, hall, _annex = event_with_rooms()
    track = TrackFactory(event=event, name="Due diligence")
    session = SessionFactory(event=event, title="Workshop", room=hall, track=track,
                             capacity=12, start=at(1), end=at(2))

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert f'href="/events/{event.slug}/sessions/{session.pk}/"' in html
    assert "12 seats left" in html
    assert f"/feeds/sessions/{session.uuid}.ics" in html
    assert "calendar.google.com" in html and "outlook.office.com" in html
    assert 'class="timetable is-grid tt-cols-1"' in html
    assert '<span class="track-label">Due diligence</span>' in html


def test_session_page_shows_speakers_abstract_room_and_seats(client):
    event, hall, _annex = event_with_rooms()
    session = SessionFactory(event=event, title="Traceability lab", room=hall, capacity=3,
                             abstract="Mapping suppliers, tier by tier.", start=at(1), end=at(2))
    speaker = session.speakers.create(name="Ines Moreau", organization="Cocoa Watch")

    response = client.get(f"/events/{event.slug}/sessions/{session.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Traceability lab</h1>" in html
    assert "Mapping suppliers, tier by tier." in html
    assert speaker.name in html and "Cocoa Watch" in html
    assert "Hall" in html
    assert "3 seats left" in html
    assert f"/feeds/sessions/{session.uuid}.ics" in html
    assert "Open the link in your confirmation email" in html


@pytest.mark.parametrize("path", ["999999/", "99999999999999999999999/", "abc/"])
def test_session_page_of_an_unknown_session_is_not_found(client, path):
    event, _hall, _annex = event_with_rooms()

    assert client.get(f"/events/{event.slug}/sessions/{path}").status_code == 404


def test_session_of_another_event_or_a_draft_is_not_found(client):
    event, _hall, _annex = event_with_rooms()
    other = SessionFactory(event=EventFactory())
    draft = EventFactory(status="draft")
    hidden = SessionFactory(event=draft)

    assert client.get(f"/events/{event.slug}/sessions/{other.pk}/").status_code == 404
    assert client.get(f"/events/{draft.slug}/sessions/{hidden.pk}/").status_code == 404


def test_cancelled_session_page_says_so(client):
    event, _hall, _annex = event_with_rooms()
    session = SessionFactory(event=event, status=SessionStatus.CANCELLED, start=at(1), end=at(2))

    html = client.get(f"/events/{event.slug}/sessions/{session.pk}/").content.decode()

    assert "This session has been cancelled." in html
