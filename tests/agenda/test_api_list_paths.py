"""The list endpoints' rows path (``agenda.api.listing``) against the plain path it replaced
(the viewsets' ``serialized_list``, through the serializers): the same status and the same
bytes for every query, user and kind of data; and a fixed number of queries whatever the size."""

import datetime as dt
import json

import hypothesis
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from rest_framework.test import APIRequestFactory, force_authenticate

from agenda.api.views import EventViewSet, SessionViewSet
from agenda.enums import EventFormat, EventKind, EventStatus, SessionStatus
from tests.factories import (
    EventFactory,
    OrganizerFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    TrackFactory,
    UserFactory,
    create_event_with_programme,
    grant,
)

pytestmark = pytest.mark.django_db

EVENTS_URL = "/api/v1/events/"
SESSIONS_URL = "/api/v1/sessions/"
UTC = dt.UTC


class PlainEventViewSet(EventViewSet):
    list = EventViewSet.serialized_list


class PlainSessionViewSet(SessionViewSet):
    list = SessionViewSet.serialized_list


def both_paths(viewset, plain_viewset, path: str, params: dict, user=None):
    """(status, body) of the rows path and of the plain path for one request."""
    answers = []
    for view in (viewset, plain_viewset):
        request = APIRequestFactory().get(path, params)
        if user is not None:
            force_authenticate(request, user=user)
        response = view.as_view({"get": "list"})(request)
        response.render()
        answers.append((response.status_code, response.content))
    return answers


def assert_same(answers) -> dict | None:
    (rows_status, rows_body), (plain_status, plain_body) = answers
    assert (rows_status, rows_body.decode()) == (plain_status, plain_body.decode())
    # Equal bytes are equal JSON with its keys in the same order; said again for the reader.
    assert list(json.loads(rows_body)) == list(json.loads(plain_body))
    return json.loads(rows_body) if rows_status == 200 else None


@pytest.fixture
def varied_agenda():
    """Events and sessions with every shape the lists show."""
    start = dt.datetime(2031, 3, 30, 8, 15, 30, 123456, tzinfo=UTC)  # across a DST change
    climate = TagFactory(slug="climate", name="Klimaat – Ünïcode ✓")
    labour = TagFactory(slug="labour", name="Arbeid")
    hybrid = EventFactory(
        slug="hybrid-forum", title="Forum «été» 2031 \u2028 line separator",
        timezone="Europe/Brussels",
        start=start, end=start + dt.timedelta(days=2), capacity=120,
        kind=EventKind.CONFERENCE, tags=[climate, labour],
    )
    moved_online = EventFactory(
        slug="moved-online", format=EventFormat.ONLINE, timezone="Asia/Kolkata",
        start=start + dt.timedelta(days=3), end=start + dt.timedelta(days=4),
        venue_name="Left over hall", tags=[labour],
    )
    EventFactory(
        slug="no-venue", format=EventFormat.IN_PERSON, venue_name="", venue_address="",
        timezone="America/New_York", start=start - dt.timedelta(days=1), end=start,
        summary="",
    )
    cancelled = EventFactory(
        slug="called-off", status=EventStatus.CANCELLED, timezone="Pacific/Chatham",
        start=start + dt.timedelta(days=5), end=start + dt.timedelta(days=6),
    )
    draft = EventFactory(slug="secret-draft", status=EventStatus.DRAFT, start=start,
                         end=start + dt.timedelta(hours=3))
    same_start = EventFactory(slug="a-same-start", start=start, end=start + dt.timedelta(hours=1))

    track = TrackFactory(event=hybrid, slug="climate", name="Klimaat", color="#00aa00")
    colourless = TrackFactory(event=hybrid, slug="plain", name="Plain", color="")
    room = RoomFactory(event=hybrid, name="Salle Ï")
    twin_a = SpeakerFactory(name="", role="Auditor", organization="Same", bio="")
    twin_b = SpeakerFactory(name="", role="Auditor", organization="Same", bio="Bio 🌍")
    named = SpeakerFactory(name="Zoë O'Neil", role="", organization="", bio="Line 1\nLine 2")
    full = SpeakerFactory(name="Ana", role="CEO", organization="Coop \"Fair\"")
    SessionFactory(event=hybrid, title="Keynote 🌍", room=room, track=track, capacity=40,
                   start=start, end=start + dt.timedelta(minutes=45),
                   speakers=[twin_b, named, twin_a, full])
    SessionFactory(event=hybrid, title="Bare", abstract="", room=None, track=None,
                   start=start, end=start + dt.timedelta(minutes=45))
    SessionFactory(event=hybrid, title="Off", status=SessionStatus.CANCELLED, track=colourless,
                   start=start + dt.timedelta(days=1), end=start + dt.timedelta(days=1, hours=1),
                   speakers=[named])
    SessionFactory(event=moved_online, title="Webinar", speakers=[full],
                   start=moved_online.start, end=moved_online.start + dt.timedelta(hours=1))
    SessionFactory(event=cancelled, title="Never held", room=RoomFactory(event=cancelled))
    SessionFactory(event=draft, title="Draft talk")
    SessionFactory(event=same_start, title="Bare", start=start,
                   end=start + dt.timedelta(minutes=45))
    return {"draft": draft}


EVENT_QUERIES = [
    {},
    {"page_size": 2},
    {"page_size": 2, "page": 2},
    {"page_size": 2, "page": 3},
    {"page": 99},
    {"page": "last", "page_size": 4},
    {"page_size": 500},
    {"starts_after": "2031-03-31"},
    {"starts_before": "2031-03-30T10:00:00+02:00"},
    {"kind": ["conference", "forum"]},
    {"format": "online"},
    {"status": "cancelled"},
    {"status": "draft"},
    {"tag": "climate"},
    {"track": "climate"},
    {"q": "Forum été"},
    {"q": "nothing-matches"},
    {"unknown": "1"},
    {"starts_after": "yesterday"},
]


@pytest.mark.parametrize("user_kind", ["anonymous", "organizer", "superuser"])
@pytest.mark.parametrize("params", EVENT_QUERIES)
def test_event_list_rows_path_gives_the_serializers_bytes(varied_agenda, params, user_kind):
    user = {
        "anonymous": None,
        "organizer": OrganizerFactory(),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }[user_kind]
    if user_kind == "organizer":
        grant(varied_agenda["draft"], user)

    body = assert_same(both_paths(EventViewSet, PlainEventViewSet, EVENTS_URL, params, user))

    if not params:
        assert len(body["results"]) == 5 + (user is not None)


SESSION_QUERIES = [
    {},
    {"page_size": 2},
    {"page_size": 2, "page": 2},
    {"page_size": 3, "page": 3},
    {"page": 99},
    {"page_size": 50},
    {"event": "hybrid-forum"},
    {"event": "secret-draft"},
    {"track": "climate"},
    {"day": "2031-03-30"},
    {"day": "2031-04-02", "event": "moved-online"},
    {"status": "cancelled"},
    {"status": "scheduled", "page_size": 1},
    {"unknown": "1"},
    {"day": "2031-02-30"},
]


@pytest.mark.parametrize("user_kind", ["anonymous", "organizer"])
@pytest.mark.parametrize("params", SESSION_QUERIES)
def test_session_list_rows_path_gives_the_serializers_bytes(varied_agenda, params, user_kind):
    user = OrganizerFactory() if user_kind == "organizer" else None
    if user is not None:
        grant(varied_agenda["draft"], user)

    body = assert_same(both_paths(SessionViewSet, PlainSessionViewSet, SESSIONS_URL, params, user))

    if not params:
        assert len(body["results"]) == 6 + (user is not None)


ZONES = ["Europe/Brussels", "Asia/Kathmandu", "America/St_Johns", "UTC", "Australia/Lord_Howe"]
# Text as people type it, control characters and all (not NUL: PostgreSQL refuses it).
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
               max_size=12)


@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    events=st.lists(
        st.fixed_dictionaries({
            "title": TEXT,
            "summary": TEXT,
            "venue_name": TEXT,
            "venue_address": TEXT,
            "format": st.sampled_from(list(EventFormat)),
            "status": st.sampled_from([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
            "timezone": st.sampled_from(ZONES),
            "capacity": st.none() | st.integers(0, 2**31 - 1),
            "minutes": st.integers(-10**6, 10**6),
            "sessions": st.lists(
                st.fixed_dictionaries({
                    "title": TEXT,
                    "abstract": TEXT,
                    "status": st.sampled_from(list(SessionStatus)),
                    "capacity": st.none() | st.integers(0, 1000),
                    "with_room": st.booleans(),
                    "with_track": st.booleans(),
                    "speakers": st.lists(st.tuples(TEXT, TEXT, TEXT), max_size=3),
                }),
                max_size=3,
            ),
        }),
        min_size=1,
        max_size=4,
    ),
    page_size=st.integers(1, 5),
)
def test_list_rows_paths_agree_with_the_serializers_on_any_text(events, page_size):
    with transaction.atomic():
        base = dt.datetime(2030, 6, 1, 12, tzinfo=UTC)
        for index, fields in enumerate(events):
            start = base + dt.timedelta(minutes=fields["minutes"])
            event = EventFactory(
                title=fields["title"], summary=fields["summary"], format=fields["format"],
                venue_name=fields["venue_name"], venue_address=fields["venue_address"],
                status=fields["status"], timezone=fields["timezone"],
                capacity=fields["capacity"], start=start, end=start + dt.timedelta(days=1),
                tags=[TagFactory(slug=f"tag-{index}", name=fields["title"] + f" {index}")],
            )
            for number, session in enumerate(fields["sessions"]):
                SessionFactory(
                    event=event, title=session["title"], abstract=session["abstract"],
                    status=session["status"], capacity=session["capacity"],
                    start=start + dt.timedelta(minutes=7 * number),
                    end=start + dt.timedelta(minutes=7 * number + 30),
                    room=RoomFactory(event=event) if session["with_room"] else None,
                    track=TrackFactory(event=event, color="#123456")
                    if session["with_track"] else None,
                    speakers=[
                        SpeakerFactory(name=name, role=role, organization=organization or "x")
                        for name, role, organization in session["speakers"]
                    ],
                )
        for page in (1, 2):
            params = {"page_size": page_size, "page": page}
            assert_same(both_paths(EventViewSet, PlainEventViewSet, EVENTS_URL, params))
            assert_same(both_paths(SessionViewSet, PlainSessionViewSet, SESSIONS_URL, params))
        transaction.set_rollback(True)


# --- Query guards ------------------------------------------------------------------------------


def test_filtered_lists_run_three_queries_too(api_client, django_assert_num_queries):
    for _ in range(4):
        event = create_event_with_programme(sessions=2, tags=1)
        event.tags.add(TagFactory(slug="climate", name="Climate"))

    with django_assert_num_queries(3):
        api_client.get(EVENTS_URL, {"tag": "climate", "q": "forum", "starts_after": "2000-01-01"})
    with django_assert_num_queries(3):
        api_client.get(SESSIONS_URL, {"event": event.slug, "status": "scheduled"})


def test_speakers_of_a_session_are_listed_in_one_stable_order(api_client):
    twins = [SpeakerFactory(name="", role="Auditor", organization="Same") for _ in range(3)]
    session = SessionFactory(speakers=list(reversed(twins)))

    response = api_client.get(SESSIONS_URL)

    speakers = response.json()["results"][0]["speakers"]
    assert response.json()["results"][0]["id"] == session.pk
    assert [speaker["id"] for speaker in speakers] == [twin.pk for twin in twins]



@pytest.mark.django_db
def test_list_rows_write_moments_before_standard_time_in_utc(api_client):
    """Brussels kept local mean time (+00:17:30) until 1892: RFC 3339 cannot write that
    offset, so the rows path writes such moments in UTC, as the serializers do."""
    start = dt.datetime(1850, 6, 1, 9, 0, tzinfo=dt.UTC)
    event = EventFactory(
        status=EventStatus.PUBLISHED, timezone="Europe/Brussels", start=start,
        end=start + dt.timedelta(hours=8),
    )
    SessionFactory(event=event, start=start, end=start + dt.timedelta(hours=1))

    events = api_client.get("/api/v1/events/?starts_after=1850-01-01").json()["results"]
    sessions = api_client.get("/api/v1/sessions/").json()["results"]

    assert [(item["start"], item["end"]) for item in events] == [
        ("1850-06-01T09:00:00+00:00", "1850-06-01T17:00:00+00:00")
    ]
    assert [(item["start"], item["end"]) for item in sessions] == [
        ("1850-06-01T09:00:00+00:00", "1850-06-01T10:00:00+00:00")
    ]
