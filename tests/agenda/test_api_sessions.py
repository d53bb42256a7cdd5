import datetime as dt
import zoneinfo

import hypothesis
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from agenda.enums import EventStatus, SessionStatus
from agenda.models import Event, Session
from tests.factories import (
    EventFactory,
    OrganizerFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    create_event_with_programme,
    grant,
)

pytestmark = pytest.mark.django_db

SESSIONS_URL = "/api/v1/sessions/"
UTC = dt.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

SESSION_PARAMETERS = ["event", "track", "day", "status", "page", "page_size"]


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def shanghai_event():
    return EventFactory(
        slug="rbc-shanghai",
        timezone="Asia/Shanghai",
        start=dt.datetime(2021, 3, 1, 9, 0, tzinfo=SHANGHAI),
        end=dt.datetime(2021, 3, 3, 18, 0, tzinfo=SHANGHAI),
    )


def session_at(event, local_start: dt.datetime, title: str, **fields):
    return SessionFactory(
        event=event,
        title=title,
        start=local_start,
        end=local_start + dt.timedelta(minutes=45),
        **fields,
    )


# --- The list ----------------------------------------------------------------------------------


def test_session_list_item_shows_its_event_times_room_track_and_speakers(api_client):
    event = EventFactory(slug="rbc-2021", timezone="Asia/Shanghai")
    room = RoomFactory(event=event, name="Hall A")
    track = TrackFactory(event=event, slug="climate", name="Climate", color="#00aa00")
    speaker = SpeakerFactory(name="", role="Auditor", organization="Certifier", bio="")
    session = session_at(
        event,
        dt.datetime(2021, 3, 2, 0, 30, tzinfo=SHANGHAI),
        "Night owls",
        room=room,
        track=track,
        speakers=[speaker],
    )

    response = api_client.get(SESSIONS_URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": session.pk,
                "uuid": str(session.uuid),
                "event": "rbc-2021",
                "title": "Night owls",
                "abstract": "How buyers and suppliers share the cost of compliance.",
                "start": "2021-03-02T00:30:00+08:00",
                "end": "2021-03-02T01:15:00+08:00",
                "status": "scheduled",
                "room": {"id": room.pk, "name": "Hall A"},
                "track": {"slug": "climate", "name": "Climate", "color": "#00aa00"},
                "speakers": [
                    {
                        "id": speaker.pk,
                        "name": "",
                        "role": "Auditor",
                        "organization": "Certifier",
                        "display_name": "Auditor, Certifier",
                        "bio": "",
                    }
                ],
                "capacity": None,
            }
        ],
    }


def test_session_list_is_ordered_by_start_across_events(api_client, shanghai_event):
    other = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2021, 3, 1, 0, 0, tzinfo=UTC),
        end=dt.datetime(2021, 3, 5, 0, 0, tzinfo=UTC),
    )
    session_at(shanghai_event, dt.datetime(2021, 3, 2, 9, 0, tzinfo=SHANGHAI), "third")
    session_at(other, dt.datetime(2021, 3, 1, 9, 0, tzinfo=NEW_YORK), "second")
    session_at(shanghai_event, dt.datetime(2021, 3, 1, 9, 0, tzinfo=SHANGHAI), "first")

    response = api_client.get(SESSIONS_URL)

    assert titles(response) == ["first", "second", "third"]


def test_session_list_hides_sessions_of_drafts_from_anonymous_visitors(api_client):
    SessionFactory(event=EventFactory(status=EventStatus.DRAFT), title="Draft session")
    SessionFactory(event=EventFactory(status=EventStatus.PUBLISHED), title="Public session")

    response = api_client.get(SESSIONS_URL)

    assert titles(response) == ["Public session"]


def test_session_list_shows_sessions_of_a_draft_to_its_staff_organizer(api_client):
    organizer = OrganizerFactory()
    draft = EventFactory(status=EventStatus.DRAFT)
    grant(draft, organizer)
    SessionFactory(event=draft, title="Draft session")
    api_client.force_login(organizer)

    response = api_client.get(SESSIONS_URL)

    assert titles(response) == ["Draft session"]


def test_session_list_shows_sessions_of_cancelled_events(api_client):
    SessionFactory(event=EventFactory(status=EventStatus.CANCELLED), title="Called off")

    response = api_client.get(SESSIONS_URL)

    assert titles(response) == ["Called off"]


# --- Filters -----------------------------------------------------------------------------------


def test_event_filter_keeps_sessions_of_that_event(api_client, shanghai_event):
    SessionFactory(event=shanghai_event, title="Ours")
    SessionFactory(title="Theirs")

    response = api_client.get(SESSIONS_URL, {"event": "rbc-shanghai"})

    assert titles(response) == ["Ours"]


def test_event_filter_with_a_draft_slug_shows_anonymous_visitors_nothing(api_client):
    SessionFactory(event=EventFactory(slug="secret-draft", status=EventStatus.DRAFT))

    response = api_client.get(SESSIONS_URL, {"event": "secret-draft"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_track_filter_keeps_sessions_in_that_track(api_client, shanghai_event):
    climate = TrackFactory(event=shanghai_event, slug="climate")
    SessionFactory(event=shanghai_event, title="In track", track=climate)
    SessionFactory(event=shanghai_event, title="No track")
    SessionFactory(
        event=shanghai_event,
        title="Other track",
        track=TrackFactory(event=shanghai_event, slug="labour"),
    )

    response = api_client.get(SESSIONS_URL, {"track": "climate"})

    assert titles(response) == ["In track"]


def test_track_filter_spans_events_sharing_a_track_slug(api_client, shanghai_event):
    other = EventFactory()
    SessionFactory(
        event=shanghai_event, title="Shanghai", track=TrackFactory(event=shanghai_event, slug="x")
    )
    SessionFactory(event=other, title="Elsewhere", track=TrackFactory(event=other, slug="x"))

    response = api_client.get(SESSIONS_URL, {"track": "x", "event": "rbc-shanghai"})

    assert titles(response) == ["Shanghai"]


def test_day_filter_reads_the_day_in_the_event_time_zone(api_client, shanghai_event):
    # 00:30 on 2 March in Shanghai is 16:30 on 1 March in UTC.
    session = session_at(
        shanghai_event, dt.datetime(2021, 3, 2, 0, 30, tzinfo=SHANGHAI), "Just after midnight"
    )
    assert session.start == dt.datetime(2021, 3, 1, 16, 30, tzinfo=UTC)
    session_at(shanghai_event, dt.datetime(2021, 3, 1, 23, 30, tzinfo=SHANGHAI), "Late on the 1st")

    on_the_second = api_client.get(SESSIONS_URL, {"day": "2021-03-02"})
    on_the_first = api_client.get(SESSIONS_URL, {"day": "2021-03-01"})

    assert titles(on_the_second) == ["Just after midnight"]
    assert titles(on_the_first) == ["Late on the 1st"]


def test_day_filter_uses_each_event_own_zone(api_client, shanghai_event):
    new_york = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2021, 3, 1, 9, 0, tzinfo=NEW_YORK),
        end=dt.datetime(2021, 3, 3, 18, 0, tzinfo=NEW_YORK),
    )
    session_at(shanghai_event, dt.datetime(2021, 3, 2, 0, 30, tzinfo=SHANGHAI), "Shanghai 2nd")
    # 23:00 on 1 March in New York is already 2 March in UTC, but the 1st for its attendees.
    session_at(new_york, dt.datetime(2021, 3, 1, 23, 0, tzinfo=NEW_YORK), "New York 1st")
    session_at(new_york, dt.datetime(2021, 3, 2, 9, 0, tzinfo=NEW_YORK), "New York 2nd")

    response = api_client.get(SESSIONS_URL, {"day": "2021-03-02"})

    assert titles(response) == ["Shanghai 2nd", "New York 2nd"]


def test_day_filter_with_no_sessions_that_day_is_empty(api_client, shanghai_event):
    session_at(shanghai_event, dt.datetime(2021, 3, 2, 10, 0, tzinfo=SHANGHAI), "Tuesday")

    response = api_client.get(SESSIONS_URL, {"day": "2021-03-05"})

    assert response.status_code == 200
    assert titles(response) == []


def test_day_filter_copes_with_more_events_than_one_sqlite_expression_holds(api_client):
    # One condition per event (not per zone) once broke SQLite's expression depth of 1000.
    start = dt.datetime(2021, 3, 2, 9, 0, tzinfo=UTC)
    events = Event.objects.bulk_create(
        EventFactory.build(start=start, end=start + dt.timedelta(hours=8)) for _ in range(1100)
    )
    Session.objects.bulk_create(SessionFactory.build(event=event) for event in events)

    response = api_client.get(SESSIONS_URL, {"day": "2021-03-02", "page_size": 1})

    assert response.status_code == 200
    assert response.json()["count"] == 1100


def test_status_filter_keeps_cancelled_sessions(api_client, shanghai_event):
    SessionFactory(event=shanghai_event, title="On", status=SessionStatus.SCHEDULED)
    SessionFactory(event=shanghai_event, title="Off", status=SessionStatus.CANCELLED)

    response = api_client.get(SESSIONS_URL, {"status": "cancelled"})

    assert titles(response) == ["Off"]


def test_session_list_page_size_sets_the_number_of_results(api_client, shanghai_event):
    SessionFactory.create_batch(3, event=shanghai_event)

    response = api_client.get(SESSIONS_URL, {"page_size": 2})

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2
    assert response.json()["next"] == "http://testserver/api/v1/sessions/?page=2&page_size=2"


# --- Refused queries ---------------------------------------------------------------------------


def test_unknown_session_parameter_is_refused_by_name(api_client):
    response = api_client.get(SESSIONS_URL, {"date": "2021-03-02"})

    assert response.status_code == 400
    message = "Unknown query parameter. Use one of: day, event, page, page_size, status, track."
    assert response.json() == {
        "detail": f"date: {message}",
        "code": "invalid",
        "errors": {"date": [message]},
    }


@pytest.mark.parametrize("value", ["2021-02-30", "next tuesday", "2021-3"])
def test_malformed_day_is_refused(api_client, value):
    response = api_client.get(SESSIONS_URL, {"day": value})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "day: Enter a valid date.",
        "code": "invalid",
        "errors": {"day": ["Enter a valid date."]},
    }


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_day_at_the_edge_of_the_calendar_is_a_day_without_sessions(api_client, shanghai_event,
                                                                  value):
    # Midnight of these days in Shanghai cannot be shifted to UTC: the day is held to the
    # calendar's edge instead of being refused (the schema documents any date) or a 500.
    SessionFactory(event=shanghai_event)

    response = api_client.get(SESSIONS_URL, {"day": value})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_invalid_session_status_is_refused(api_client):
    response = api_client.get(SESSIONS_URL, {"status": "postponed"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "status": ["Select a valid choice. postponed is not one of the available choices."]
    }


@pytest.fixture
def some_sessions():
    create_event_with_programme(timezone="Asia/Shanghai")
    create_event_with_programme(timezone="America/New_York")


@pytest.mark.parametrize("name", SESSION_PARAMETERS)
@hypothesis.settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(value=st.text())
def test_session_list_never_fails_on_any_parameter_value(api_client, some_sessions, name, value):
    response = api_client.get(SESSIONS_URL, {name: value})

    assert response.status_code < 500


@hypothesis.settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(day=st.dates())
@example(day=dt.date.min)
@example(day=dt.date.max)
def test_session_list_never_fails_on_any_well_formed_day(api_client, some_sessions, day):
    response = api_client.get(SESSIONS_URL, {"day": day.isoformat()})

    assert response.status_code in (200, 400)


# --- The detail --------------------------------------------------------------------------------


def test_session_detail_shows_the_session_with_its_event_slug(api_client, shanghai_event):
    session = session_at(shanghai_event, dt.datetime(2021, 3, 2, 9, 0, tzinfo=SHANGHAI), "Keynote")

    response = api_client.get(f"{SESSIONS_URL}{session.pk}/")

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["event"], response.json()["start"]) == (
        "Keynote",
        "rbc-shanghai",
        "2021-03-02T09:00:00+08:00",
    )


def test_session_detail_of_a_draft_event_is_404_for_anonymous_visitors(api_client):
    session = SessionFactory(event=EventFactory(status=EventStatus.DRAFT))

    response = api_client.get(f"{SESSIONS_URL}{session.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


# --- Query bound -------------------------------------------------------------------------------


@pytest.mark.parametrize("event_count", [5, 40])
def test_session_list_queries_stay_constant_whatever_the_page_size(
    api_client, django_assert_num_queries, event_count
):
    for _ in range(event_count):
        create_event_with_programme(sessions=2, speakers_per_session=2)

    # count, page with event, room and track, speakers
    with django_assert_num_queries(3):
        response = api_client.get(SESSIONS_URL, {"page_size": 100})

    assert len(response.json()["results"]) == 2 * event_count


@pytest.mark.parametrize("event_count", [5, 40])
def test_session_list_by_day_queries_stay_constant(
    api_client, django_assert_max_num_queries, event_count
):
    start = dt.datetime(2021, 3, 2, 9, 0, tzinfo=SHANGHAI)
    for index in range(event_count):
        create_event_with_programme(
            sessions=1,
            timezone="Asia/Shanghai" if index % 2 else "Europe/Brussels",
            start=start,
            end=start + dt.timedelta(hours=8),
        )

    # time zones of the events, count, page, speakers
    with django_assert_max_num_queries(4):
        response = api_client.get(SESSIONS_URL, {"page_size": 100, "day": "2021-03-02"})

    assert len(response.json()["results"]) == event_count
