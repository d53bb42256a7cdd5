import datetime as dt
import json
import re
import zoneinfo

import hypothesis
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from agenda.enums import EventFormat, EventKind, EventStatus, Role, SessionStatus
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
UTC = dt.UTC
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

EVENT_PARAMETERS = [
    "starts_after", "starts_before", "kind", "format", "status", "tag", "track", "q",
    "page", "page_size",
]


def event_url(slug: str) -> str:
    return f"{EVENTS_URL}{slug}/"


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def starting(moment: dt.datetime, **fields):
    """A published event starting at ``moment``, slugged by its UTC start for readable asserts."""
    fields.setdefault("slug", moment.astimezone(UTC).strftime("utc-%Y%m%d-%H%M"))
    return EventFactory(start=moment, end=moment + dt.timedelta(hours=2), **fields)


# --- The list ----------------------------------------------------------------------------------


def test_event_list_is_paginated_with_count_next_and_results(api_client):
    EventFactory.create_batch(3)

    response = api_client.get(EVENTS_URL, {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/events/?page=2&page_size=2"
    assert body["previous"] is None
    assert len(body["results"]) == 2


def test_event_list_second_page_holds_the_rest(api_client):
    EventFactory.create_batch(3)

    response = api_client.get(EVENTS_URL, {"page_size": 2, "page": 2})

    assert response.json()["next"] is None
    assert len(response.json()["results"]) == 1


def test_event_list_page_size_sets_the_number_of_results(api_client):
    EventFactory.create_batch(3)

    response = api_client.get(EVENTS_URL, {"page_size": 1})

    assert len(response.json()["results"]) == 1


def test_event_list_is_ordered_by_start(api_client):
    later = starting(dt.datetime(2021, 9, 1, 9, tzinfo=UTC))
    earliest = starting(dt.datetime(2021, 3, 1, 9, tzinfo=UTC))
    middle = starting(dt.datetime(2021, 6, 1, 9, tzinfo=UTC))

    response = api_client.get(EVENTS_URL)

    assert slugs(response) == [earliest.slug, middle.slug, later.slug]


def test_event_list_item_shows_the_public_fields_of_an_event(api_client, settings):
    settings.SITE_URL = "https://agenda.example.org"
    event = EventFactory(
        slug="rbc-shanghai-2021",
        title="Responsible Business Conduct in Asia",
        summary="Supply chains from the buyer's side.",
        kind=EventKind.CONFERENCE,
        format=EventFormat.HYBRID,
        timezone="Asia/Shanghai",
        start=dt.datetime(2021, 3, 2, 9, 0, tzinfo=SHANGHAI),
        end=dt.datetime(2021, 3, 2, 17, 30, tzinfo=SHANGHAI),
        venue_name="Expo Centre",
        venue_address="1099 Guozhan Road, Shanghai",
        capacity=120,
        tags=[
            TagFactory(slug="due-diligence", name="Due diligence"),
            TagFactory(slug="climate", name="Climate"),
        ],
    )

    response = api_client.get(EVENTS_URL)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "slug": "rbc-shanghai-2021",
            "title": "Responsible Business Conduct in Asia",
            "summary": "Supply chains from the buyer's side.",
            "kind": "conference",
            "format": "hybrid",
            "timezone": "Asia/Shanghai",
            "start": "2021-03-02T09:00:00+08:00",
            "end": "2021-03-02T17:30:00+08:00",
            "venue": {"name": "Expo Centre", "address": "1099 Guozhan Road, Shanghai"},
            "capacity": 120,
            "status": "published",
            "tags": [
                {"slug": "climate", "name": "Climate"},
                {"slug": "due-diligence", "name": "Due diligence"},
            ],
            "links": {
                "self": f"https://agenda.example.org/api/v1/events/{event.slug}/",
                "page": f"https://agenda.example.org/events/{event.slug}/",
                "ical": f"https://agenda.example.org/feeds/events/{event.slug}.ics",
            },
        }
    ]


def test_event_list_shows_times_with_the_offset_the_event_has_on_that_day(api_client):
    starting(dt.datetime(2021, 7, 1, 10, tzinfo=BRUSSELS), timezone="Europe/Brussels")
    starting(dt.datetime(2021, 12, 1, 10, tzinfo=BRUSSELS), timezone="Europe/Brussels")

    response = api_client.get(EVENTS_URL)

    assert [item["start"] for item in response.json()["results"]] == [
        "2021-07-01T10:00:00+02:00",
        "2021-12-01T10:00:00+01:00",
    ]


def test_event_list_shows_no_venue_for_online_events(api_client):
    EventFactory(format=EventFormat.ONLINE, venue_name="", venue_address="")

    response = api_client.get(EVENTS_URL)

    assert response.json()["results"][0]["venue"] is None


def test_event_list_shows_no_venue_for_an_event_moved_online(api_client):
    EventFactory(format=EventFormat.ONLINE, venue_name="Old hall", venue_address="Somewhere")

    response = api_client.get(EVENTS_URL)

    assert response.json()["results"][0]["venue"] is None


def test_event_list_hides_drafts_from_anonymous_visitors(api_client):
    published = EventFactory(status=EventStatus.PUBLISHED)
    EventFactory(status=EventStatus.DRAFT)

    response = api_client.get(EVENTS_URL)

    assert slugs(response) == [published.slug]
    assert response.json()["count"] == 1


def test_event_list_lists_cancelled_events_with_status_cancelled(api_client):
    cancelled = EventFactory(status=EventStatus.CANCELLED)

    response = api_client.get(EVENTS_URL)

    assert [(item["slug"], item["status"]) for item in response.json()["results"]] == [
        (cancelled.slug, "cancelled")
    ]


def test_event_list_shows_drafts_to_their_staff_organizers_only(api_client):
    organizer = OrganizerFactory()
    own_draft = EventFactory(status=EventStatus.DRAFT, slug="own-draft")
    grant(own_draft, organizer)
    EventFactory(status=EventStatus.DRAFT, slug="someone-elses-draft")
    api_client.force_login(organizer)

    response = api_client.get(EVENTS_URL)

    assert slugs(response) == ["own-draft"]


def test_event_list_shows_every_draft_to_a_superuser(api_client):
    EventFactory(status=EventStatus.DRAFT, slug="draft-a")
    EventFactory(status=EventStatus.DRAFT, slug="draft-b")
    api_client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = api_client.get(EVENTS_URL)

    assert sorted(slugs(response)) == ["draft-a", "draft-b"]


def test_event_list_lists_an_event_once_for_an_organizer_among_several(api_client):
    organizer = OrganizerFactory()
    event = EventFactory()
    grant(event, organizer, OrganizerFactory())
    api_client.force_login(organizer)

    response = api_client.get(EVENTS_URL)

    assert slugs(response) == [event.slug]


# --- Filters -----------------------------------------------------------------------------------


def test_starts_after_a_date_includes_that_whole_day_in_brussels(api_client):
    # 00:30 in Brussels on 1 June is still 31 May in UTC.
    starting(dt.datetime(2021, 5, 31, 23, 30, tzinfo=BRUSSELS), slug="the-day-before")
    starting(dt.datetime(2021, 6, 1, 0, 30, tzinfo=BRUSSELS), slug="just-after-midnight")

    response = api_client.get(EVENTS_URL, {"starts_after": "2021-06-01"})

    assert slugs(response) == ["just-after-midnight"]


def test_starts_before_a_date_includes_that_whole_day_in_brussels(api_client):
    starting(dt.datetime(2021, 6, 30, 23, 30, tzinfo=BRUSSELS), slug="late-on-the-day")
    # 00:30 in Brussels on 1 July is still 30 June in UTC, yet it is the next day.
    starting(dt.datetime(2021, 7, 1, 0, 30, tzinfo=BRUSSELS), slug="the-day-after")

    response = api_client.get(EVENTS_URL, {"starts_before": "2021-06-30"})

    assert slugs(response) == ["late-on-the-day"]


def test_starts_after_and_before_the_same_date_give_the_events_of_that_day(api_client):
    starting(dt.datetime(2021, 6, 1, 23, 59, tzinfo=BRUSSELS), slug="on-the-day")
    starting(dt.datetime(2021, 6, 2, 0, 0, tzinfo=BRUSSELS), slug="next-day")
    starting(dt.datetime(2021, 5, 31, 23, 59, tzinfo=BRUSSELS), slug="day-before")

    response = api_client.get(
        EVENTS_URL, {"starts_after": "2021-06-01", "starts_before": "2021-06-01"}
    )

    assert slugs(response) == ["on-the-day"]


def test_starts_after_a_datetime_with_an_offset_is_inclusive(api_client):
    starting(dt.datetime(2021, 6, 1, 6, 59, tzinfo=UTC), slug="too-early")
    starting(dt.datetime(2021, 6, 1, 7, 0, tzinfo=UTC), slug="on-the-dot")

    response = api_client.get(EVENTS_URL, {"starts_after": "2021-06-01T09:00:00+02:00"})

    assert slugs(response) == ["on-the-dot"]


def test_starts_after_a_datetime_in_utc_with_z(api_client):
    starting(dt.datetime(2021, 6, 1, 8, 59, tzinfo=UTC), slug="too-early")
    starting(dt.datetime(2021, 6, 1, 9, 0, tzinfo=UTC), slug="on-the-dot")

    response = api_client.get(EVENTS_URL, {"starts_after": "2021-06-01T09:00:00Z"})

    assert slugs(response) == ["on-the-dot"]


def test_starts_after_a_datetime_without_offset_is_read_in_brussels(api_client):
    starting(dt.datetime(2021, 6, 1, 8, 30, tzinfo=BRUSSELS), slug="too-early")
    starting(dt.datetime(2021, 6, 1, 9, 0, tzinfo=BRUSSELS), slug="on-the-dot")

    response = api_client.get(EVENTS_URL, {"starts_after": "2021-06-01T09:00"})

    assert slugs(response) == ["on-the-dot"]


def test_starts_before_a_datetime_with_an_offset_is_inclusive(api_client):
    starting(dt.datetime(2021, 6, 1, 7, 0, tzinfo=UTC), slug="on-the-dot")
    starting(dt.datetime(2021, 6, 1, 7, 1, tzinfo=UTC), slug="too-late")

    response = api_client.get(EVENTS_URL, {"starts_before": "2021-06-01T09:00:00+02:00"})

    assert slugs(response) == ["on-the-dot"]


def test_starts_before_a_datetime_without_offset_is_read_in_brussels(api_client):
    starting(dt.datetime(2021, 6, 1, 9, 0, tzinfo=BRUSSELS), slug="on-the-dot")
    starting(dt.datetime(2021, 6, 1, 9, 30, tzinfo=BRUSSELS), slug="too-late")

    response = api_client.get(EVENTS_URL, {"starts_before": "2021-06-01T09:00:00"})

    assert slugs(response) == ["on-the-dot"]


def test_kind_filter_keeps_events_of_that_kind(api_client):
    EventFactory(kind=EventKind.WEBINAR, slug="webinar")
    EventFactory(kind=EventKind.FORUM, slug="forum")

    response = api_client.get(EVENTS_URL, {"kind": "webinar"})

    assert slugs(response) == ["webinar"]


def test_repeated_kind_filter_keeps_events_of_any_of_those_kinds(api_client):
    starting(dt.datetime(2021, 1, 1, tzinfo=UTC), kind=EventKind.WEBINAR, slug="webinar")
    starting(dt.datetime(2021, 1, 2, tzinfo=UTC), kind=EventKind.FORUM, slug="forum")
    starting(dt.datetime(2021, 1, 3, tzinfo=UTC), kind=EventKind.TRAINING, slug="training")

    response = api_client.get(f"{EVENTS_URL}?kind=webinar&kind=training")

    assert slugs(response) == ["webinar", "training"]


def test_format_filter_keeps_events_of_that_format(api_client):
    EventFactory(format=EventFormat.ONLINE, venue_name="", slug="online")
    EventFactory(format=EventFormat.IN_PERSON, slug="in-person")
    EventFactory(format=EventFormat.HYBRID, slug="hybrid")

    response = api_client.get(EVENTS_URL, {"format": "in_person"})

    assert slugs(response) == ["in-person"]


def test_tag_filter_keeps_events_with_that_topic_slug(api_client):
    climate = TagFactory(slug="climate", name="Climate")
    EventFactory(slug="tagged", tags=[climate, TagFactory()])
    EventFactory(slug="other-topic", tags=[TagFactory()])
    EventFactory(slug="untagged")

    response = api_client.get(EVENTS_URL, {"tag": "climate"})

    assert slugs(response) == ["tagged"]


def test_track_filter_keeps_events_with_a_track_of_that_slug(api_client):
    with_track = EventFactory(slug="with-track")
    TrackFactory(event=with_track, slug="due-diligence")
    TrackFactory(event=EventFactory(slug="other-track"), slug="climate")

    response = api_client.get(EVENTS_URL, {"track": "due-diligence"})

    assert slugs(response) == ["with-track"]


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("title", "Textile Sourcing Summit", "sourcing"),
        ("summary", "Living wages in garment factories.", "GARMENT"),
        ("description", "A session on conflict minerals.", "minerals"),
        ("venue_name", "Palais des Nations", "palais"),
    ],
)
def test_text_search_matches_event_fields(api_client, field, value, query):
    EventFactory(slug="match", **{field: value})
    EventFactory(slug="no-match")

    response = api_client.get(EVENTS_URL, {"q": query})

    assert slugs(response) == ["match"]


def test_text_search_matches_topic_names(api_client):
    EventFactory(slug="match", tags=[TagFactory(name="Deforestation")])
    EventFactory(slug="no-match", tags=[TagFactory(name="Climate")])

    response = api_client.get(EVENTS_URL, {"q": "deforest"})

    assert slugs(response) == ["match"]


def test_text_search_needs_every_word_to_match_somewhere(api_client):
    EventFactory(slug="both", title="Textile forum", venue_name="Brussels hall")
    EventFactory(slug="one", title="Textile forum", venue_name="Geneva hall")

    response = api_client.get(EVENTS_URL, {"q": "textile brussels"})

    assert slugs(response) == ["both"]


def test_status_filter_keeps_cancelled_events(api_client):
    EventFactory(status=EventStatus.PUBLISHED, slug="published")
    EventFactory(status=EventStatus.CANCELLED, slug="cancelled")

    response = api_client.get(EVENTS_URL, {"status": "cancelled"})

    assert slugs(response) == ["cancelled"]


def test_status_filter_for_drafts_shows_anonymous_visitors_nothing(api_client):
    EventFactory(status=EventStatus.DRAFT)

    response = api_client.get(EVENTS_URL, {"status": "draft"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


# --- Refused queries ---------------------------------------------------------------------------


def test_unknown_query_parameter_is_refused_by_name(api_client):
    response = api_client.get(EVENTS_URL, {"start_after": "2021-06-01"})

    assert response.status_code == 400
    message = (
        "Unknown query parameter. Use one of: format, kind, page, page_size, q, "
        "starts_after, starts_before, status, tag, track."
    )
    assert response.json() == {
        "detail": f"start_after: {message}",
        "code": "invalid",
        "errors": {"start_after": [message]},
    }


@pytest.mark.parametrize(
    "value", ["2021-13-01", "2021-02-30", "tomorrow", "2021-06-01T25:00", "01/06/2021"]
)
def test_malformed_date_is_refused(api_client, value):
    response = api_client.get(EVENTS_URL, {"starts_after": value})

    assert response.status_code == 400
    message = "Enter an ISO 8601 date (2021-06-01) or date-time (2021-06-01T09:00:00+02:00)."
    assert response.json() == {
        "detail": f"starts_after: {message}",
        "code": "invalid",
        "errors": {"starts_after": [message]},
    }


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        # The calendar's first and last days are valid bounds (the schema says "date"): their
        # midnight in Brussels or at an offset falls outside what Python can shift to UTC, so
        # the bound is held to the calendar's edge, not refused and never a 500.
        ("starts_after", "0001-01-01", ["early", "late"]),
        ("starts_after", "0001-01-01T00:00:00+05:00", ["early", "late"]),
        ("starts_before", "9999-12-31", ["early", "late"]),
        ("starts_before", "9999-12-31T23:59:00-05:00", ["early", "late"]),
        ("starts_after", "9999-12-31", []),
        ("starts_after", "9999-12-31T23:59:00-05:00", []),
        ("starts_before", "0001-01-01", []),
        ("starts_before", "0001-01-01T00:00:00+05:00", []),
    ],
)
def test_a_bound_on_the_edge_of_the_calendar_is_held_to_it(api_client, name, value, expected):
    starting(dt.datetime(2021, 6, 1, 9, 0, tzinfo=BRUSSELS), slug="early")
    starting(dt.datetime(2031, 6, 1, 9, 0, tzinfo=BRUSSELS), slug="late")

    response = api_client.get(EVENTS_URL, {name: value})

    assert response.status_code == 200
    assert sorted(slugs(response)) == expected


def test_invalid_choice_is_refused(api_client):
    response = api_client.get(EVENTS_URL, {"kind": "party"})

    assert response.status_code == 400
    message = "Select a valid choice. party is not one of the available choices."
    assert response.json() == {
        "detail": f"kind: {message}",
        "code": "invalid",
        "errors": {"kind": [message]},
    }


def test_overlong_search_is_refused(api_client):
    response = api_client.get(EVENTS_URL, {"q": "x" * 201})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["q"]


def test_page_beyond_the_last_is_a_json_404(api_client):
    response = api_client.get(EVENTS_URL, {"page": 9})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page.", "code": "not_found"}


@pytest.fixture
def some_events():
    create_event_with_programme(timezone="Asia/Shanghai")
    create_event_with_programme(timezone="America/New_York", status=EventStatus.CANCELLED)


@pytest.mark.parametrize("name", EVENT_PARAMETERS)
@hypothesis.settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(value=st.text())
def test_event_list_never_fails_on_any_parameter_value(api_client, some_events, name, value):
    response = api_client.get(EVENTS_URL, {name: value})

    assert response.status_code < 500


iso_moments = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(dt.datetime.isoformat),
    st.datetimes(timezones=st.timezones()).map(dt.datetime.isoformat),
)


@pytest.mark.parametrize("name", ["starts_after", "starts_before"])
@hypothesis.settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(value=iso_moments)
@example(value="0001-01-01")
@example(value="9999-12-31T23:59:59.999999")
def test_event_list_never_fails_on_any_well_formed_moment(api_client, some_events, name, value):
    # Well-formed values get past the parser into the query, and the calendar's edges with them.
    response = api_client.get(EVENTS_URL, {name: value})

    assert response.status_code in (200, 400)


# --- The detail --------------------------------------------------------------------------------


def test_event_detail_includes_sessions_with_speakers_track_and_room(api_client, settings):
    settings.SITE_URL = "https://agenda.example.org"
    event = EventFactory(
        slug="rbc-2021",
        timezone="Asia/Shanghai",
        start=dt.datetime(2021, 3, 2, 9, 0, tzinfo=SHANGHAI),
        end=dt.datetime(2021, 3, 2, 17, 0, tzinfo=SHANGHAI),
        description="Practitioners compare notes.",
        registration_opens_at=dt.datetime(2021, 2, 1, 9, 0, tzinfo=UTC),
        registration_closes_at=dt.datetime(2021, 3, 1, 9, 0, tzinfo=UTC),
        requires_approval=True,
    )
    track = TrackFactory(event=event, slug="due-diligence", name="Due diligence", color="#336699")
    room = RoomFactory(event=event, name="Hall A")
    speaker = SpeakerFactory(
        name="Ana Ruiz", role="Buyer", organization="Retailer", bio="Twenty years in sourcing."
    )
    session = SessionFactory(
        event=event,
        title="Opening panel",
        abstract="Why it matters.",
        start=dt.datetime(2021, 3, 2, 9, 30, tzinfo=SHANGHAI),
        end=dt.datetime(2021, 3, 2, 10, 30, tzinfo=SHANGHAI),
        track=track,
        room=room,
        capacity=40,
        speakers=[speaker],
    )

    response = api_client.get(event_url("rbc-2021"))

    assert response.status_code == 200
    body = response.json()
    assert body["description"] == "Practitioners compare notes."
    assert body["registration_opens_at"] == "2021-02-01T17:00:00+08:00"
    assert body["registration_closes_at"] == "2021-03-01T17:00:00+08:00"
    assert body["requires_approval"] is True
    assert body["tracks"] == [
        {"slug": "due-diligence", "name": "Due diligence", "color": "#336699"}
    ]
    assert body["links"]["self"] == "https://agenda.example.org/api/v1/events/rbc-2021/"
    assert body["sessions"] == [
        {
            "id": session.pk,
            "uuid": str(session.uuid),
            "title": "Opening panel",
            "abstract": "Why it matters.",
            "start": "2021-03-02T09:30:00+08:00",
            "end": "2021-03-02T10:30:00+08:00",
            "status": "scheduled",
            "room": {"id": room.pk, "name": "Hall A"},
            "track": {"slug": "due-diligence", "name": "Due diligence", "color": "#336699"},
            "speakers": [
                {
                    "id": speaker.pk,
                    "name": "Ana Ruiz",
                    "role": "Buyer",
                    "organization": "Retailer",
                    "display_name": "Ana Ruiz (Buyer, Retailer)",
                    "bio": "Twenty years in sourcing.",
                }
            ],
            "capacity": 40,
        }
    ]


def test_event_detail_lists_sessions_by_start(api_client):
    event = EventFactory(start=dt.datetime(2021, 3, 2, 8, tzinfo=UTC))
    SessionFactory(event=event, title="Second", start=event.start + dt.timedelta(hours=2))
    SessionFactory(event=event, title="First", start=event.start + dt.timedelta(hours=1))

    response = api_client.get(event_url(event.slug))

    assert [item["title"] for item in response.json()["sessions"]] == ["First", "Second"]


def test_event_detail_lists_cancelled_sessions_marked_cancelled(api_client):
    event = EventFactory()
    SessionFactory(event=event, status=SessionStatus.CANCELLED)

    response = api_client.get(event_url(event.slug))

    assert [item["status"] for item in response.json()["sessions"]] == ["cancelled"]


def test_event_detail_of_a_draft_is_404_for_anonymous_visitors(api_client):
    draft = EventFactory(status=EventStatus.DRAFT)

    response = api_client.get(event_url(draft.slug))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_event_detail_of_a_draft_is_visible_to_its_staff_organizer(api_client):
    organizer = OrganizerFactory()
    draft = EventFactory(status=EventStatus.DRAFT)
    grant(draft, organizer)
    api_client.force_login(organizer)

    response = api_client.get(event_url(draft.slug))

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_event_detail_of_a_draft_is_visible_to_a_superuser(api_client):
    draft = EventFactory(status=EventStatus.DRAFT)
    api_client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = api_client.get(event_url(draft.slug))

    assert response.status_code == 200


def test_event_detail_of_a_draft_is_404_for_another_staff_user(api_client):
    draft = EventFactory(status=EventStatus.DRAFT)
    grant(draft, OrganizerFactory())
    api_client.force_login(OrganizerFactory())

    response = api_client.get(event_url(draft.slug))

    assert response.status_code == 404


def test_event_detail_of_a_draft_is_404_for_its_check_in_helper(api_client):
    user = UserFactory(is_staff=False)
    draft = EventFactory(status=EventStatus.DRAFT)
    grant(draft, user, role=Role.CHECKIN)
    api_client.force_login(user)

    response = api_client.get(event_url(draft.slug))

    assert response.status_code == 404


def test_event_detail_of_a_cancelled_event_shows_status_cancelled(api_client):
    cancelled = EventFactory(status=EventStatus.CANCELLED)

    response = api_client.get(event_url(cancelled.slug))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_event_detail_of_an_unknown_slug_is_a_json_404(api_client):
    response = api_client.get(event_url("no-such-event"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_unknown_url_under_the_api_is_a_json_404(api_client):
    response = api_client.get("/api/v1/no-such-resource/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_slug_the_api_cannot_route_is_a_json_404(api_client):
    response = api_client.get("/api/v1/events/not%20a%20slug/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_writing_to_the_api_without_credentials_is_a_json_401(api_client):
    response = api_client.post(EVENTS_URL, {"slug": "new"}, format="json")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_a_method_no_endpoint_has_is_a_json_405(db):
    from tests.api.conftest import client_for
    from tests.factories import UserFactory

    response = client_for(UserFactory()).delete(EVENTS_URL)

    assert response.status_code == 405
    assert response.json() == {
        "detail": 'Method "DELETE" not allowed.', "code": "method_not_allowed",
    }


# --- The private join link ---------------------------------------------------------------------


SECRET_JOIN_URL = "https://meet.example.org/join/very-secret-room"
PUBLIC_AGENDA_PATHS = (
    "/api/v1/events/", "/api/v1/events/{slug}/", "/api/v1/sessions/", "/api/v1/sessions/{id}/",
)


@pytest.fixture
def online_session():
    event = EventFactory(format=EventFormat.ONLINE, venue_name="", online_url=SECRET_JOIN_URL)
    return SessionFactory(event=event)


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_online_join_url_never_appears_in_a_public_response(api_client, online_session, accept):
    slug = online_session.event.slug

    responses = [
        api_client.get(EVENTS_URL, HTTP_ACCEPT=accept),
        api_client.get(event_url(slug), HTTP_ACCEPT=accept),
        api_client.get("/api/v1/sessions/", HTTP_ACCEPT=accept),
        api_client.get(f"/api/v1/sessions/{online_session.pk}/", HTTP_ACCEPT=accept),
    ]

    assert [response.status_code for response in responses] == [200] * 4
    assert [SECRET_JOIN_URL.encode() in response.content for response in responses] == [False] * 4
    assert [b"online_url" in response.content for response in responses] == [False] * 4


def test_online_join_url_never_appears_in_the_schema(api_client, online_session):
    yaml_schema = api_client.get("/api/schema/")
    json_schema = api_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )

    assert [yaml_schema.status_code, json_schema.status_code] == [200, 200]
    assert SECRET_JOIN_URL.encode() not in yaml_schema.content
    assert SECRET_JOIN_URL.encode() not in json_schema.content


def test_public_agenda_schemas_have_no_online_url_field(api_client):
    schema = api_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    # The attendee's own registration carries the link by design, and so do the organizers'
    # write answers; the public reads of the agenda never do.
    public = referenced_schema(schema, PUBLIC_AGENDA_PATHS, methods=("get",))

    assert sorted(public["paths"]) == sorted(PUBLIC_AGENDA_PATHS)
    assert {"Event", "EventDetail", "SessionList"} <= set(public["components"])
    assert "online_url" not in json.dumps(public)


def referenced_schema(schema: dict, paths: tuple[str, ...],
                      methods: tuple[str, ...] | None = None) -> dict:
    """The given paths of an OpenAPI document (only ``methods`` of them, if given) with every
    component they reach through $ref."""
    found = {"paths": {
        path: {method: operation for method, operation in schema["paths"][path].items()
               if methods is None or method in methods}
        for path in paths
    }, "components": {}}
    pending = [found["paths"]]
    while pending:
        for name in re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(pending.pop())):
            if name not in found["components"]:
                found["components"][name] = schema["components"]["schemas"][name]
                pending.append(found["components"][name])
    return found


# --- Query bound -------------------------------------------------------------------------------


@pytest.mark.parametrize("event_count", [5, 40])
def test_event_list_queries_stay_constant_whatever_the_page_size(
    api_client, django_assert_num_queries, event_count
):
    for _ in range(event_count):
        create_event_with_programme(sessions=2, tags=3)

    # count, page, topics
    with django_assert_num_queries(3):
        response = api_client.get(EVENTS_URL, {"page_size": 100})

    assert len(response.json()["results"]) == event_count


@pytest.mark.parametrize("event_count", [5, 40])
def test_filtered_event_list_queries_stay_constant(
    api_client, django_assert_max_num_queries, event_count
):
    tag = TagFactory(slug="climate", name="Climate")
    for _ in range(event_count):
        event = create_event_with_programme(sessions=1)
        event.tags.add(tag)

    with django_assert_max_num_queries(3):
        response = api_client.get(
            EVENTS_URL,
            {"page_size": 100, "tag": "climate", "q": "forum", "starts_after": "2000-01-01"},
        )

    assert len(response.json()["results"]) == event_count


@pytest.mark.parametrize("session_count", [5, 40])
def test_event_detail_queries_stay_constant_whatever_the_number_of_sessions(
    api_client, django_assert_max_num_queries, session_count
):
    event = create_event_with_programme(sessions=session_count, speakers_per_session=3)

    # event, topics, tracks, sessions with room and track, speakers
    with django_assert_max_num_queries(5):
        response = api_client.get(event_url(event.slug))

    assert len(response.json()["sessions"]) == session_count


# --- API documentation -------------------------------------------------------------------------


def test_schema_is_an_openapi_3_document(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Agenda API"
    assert {"/api/v1/events/", "/api/v1/events/{slug}/", "/api/v1/sessions/"} <= set(
        schema["paths"]
    )


def test_schema_documents_the_event_filters(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    parameters = response.json()["paths"]["/api/v1/events/"]["get"]["parameters"]
    assert sorted(parameter["name"] for parameter in parameters) == sorted(EVENT_PARAMETERS)


def test_api_docs_page_is_html(api_client):
    response = api_client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_moment_before_standard_time_is_given_in_utc_not_with_a_seconds_offset(api_client):
    # Brussels kept local mean time (+00:17:30) until 1892: RFC 3339 has no seconds offsets.
    moment = dt.datetime(1850, 6, 1, 12, tzinfo=UTC)
    starting(moment, slug="old-forum", timezone="Europe/Brussels")

    event = api_client.get(event_url("old-forum")).json()

    assert (event["start"], event["end"]) == ("1850-06-01T12:00:00+00:00",
                                              "1850-06-01T14:00:00+00:00")


def test_a_moment_in_standard_time_keeps_the_events_offset(api_client):
    starting(dt.datetime(2021, 7, 1, 10, tzinfo=BRUSSELS), slug="summer-forum",
             timezone="Europe/Brussels")

    assert api_client.get(event_url("summer-forum")).json()["start"] == (
        "2021-07-01T10:00:00+02:00")
