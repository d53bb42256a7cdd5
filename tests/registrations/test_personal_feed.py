"""/feeds/me/{feed token}.ics: an attendee's own agenda, with the join link, kept in sync."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.enums import EventFormat
from agenda.services import cancel_event, cancel_session, save_session
from registrations import links, services
from registrations.enums import SessionChoiceStatus
from registrations.tokens import new_secret
from tests.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.ical_parsers import parse_with_every_parser, uids_of, unfolded_lines, vevent_by_uid

pytestmark = pytest.mark.django_db

DOMAIN = "agenda.example.org"
JOIN_LINK = "https://meet.example.org/private-room-7"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.SITE_DOMAIN = DOMAIN


def feed_path(registration) -> str:
    return f"/feeds/me/{registration.feed_token}.ics"


def fetch(client, registration, **headers) -> bytes:
    response = client.get(feed_path(registration), **headers)
    assert response.status_code == 200, response.content
    return response.content


def session_uid(session) -> str:
    return f"session-{session.uuid}@{DOMAIN}"


def event_uid(event) -> str:
    return f"event-{event.uuid}@{DOMAIN}"


def online_event(**fields):
    return EventFactory(format=EventFormat.HYBRID, online_url=JOIN_LINK, **fields)


def programme(event, count: int, **fields) -> list:
    return [
        SessionFactory(
            event=event,
            start=event.start + dt.timedelta(hours=index),
            end=event.start + dt.timedelta(hours=index, minutes=45),
            **fields,
        )
        for index in range(count)
    ]


# --- What it holds ------------------------------------------------------------------------------


def test_personal_feed_holds_the_event_and_the_chosen_sessions_in_every_parser(client):
    event = online_event()
    chosen, _not_chosen, also_chosen = programme(event, 3)
    registration = RegistrationFactory(event=event, session_ids=[chosen.pk, also_chosen.pk])

    body = fetch(client, registration)

    assert uids_of(body) == {event_uid(event), session_uid(chosen), session_uid(also_chosen)}
    for parser, occurrences in parse_with_every_parser(body).items():
        assert {occurrence.status for occurrence in occurrences.values()} == {"CONFIRMED"}, parser


def test_uids_are_those_of_the_public_feeds(client):
    event = online_event()
    session = programme(event, 1)[0]
    registration = RegistrationFactory(event=event, session_ids=[session.pk])

    personal = uids_of(fetch(client, registration))
    public = uids_of(client.get(f"/feeds/events/{event.slug}.ics").content)
    download = uids_of(client.get(f"/feeds/events/{event.slug}/event.ics").content)

    assert personal == public | download


def test_a_confirmed_attendee_gets_the_join_link_in_every_item(client):
    event = online_event()
    session = programme(event, 1)[0]
    registration = RegistrationFactory(event=event, session_ids=[session.pk])

    body = fetch(client, registration)

    for uid in (event_uid(event), session_uid(session)):
        description = str(vevent_by_uid(body, uid)["DESCRIPTION"])
        assert description.startswith(f"Join online: {JOIN_LINK}\n\n")
    assert JOIN_LINK.encode() not in client.get(f"/feeds/events/{event.slug}.ics").content


def test_a_waitlisted_attendee_gets_tentative_items_and_no_join_link(client):
    event = online_event(capacity=1)
    session = programme(event, 1)[0]
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, session_ids=[session.pk])

    body = fetch(client, waiting)

    assert JOIN_LINK.encode() not in body
    for uid in (event_uid(event), session_uid(session)):
        vevent = vevent_by_uid(body, uid)
        assert str(vevent["STATUS"]) == "TENTATIVE"
        assert str(vevent["DESCRIPTION"]).startswith("Your registration: Waitlisted\n\n")


def test_a_registration_awaiting_approval_is_tentative_without_join_link(client):
    event = online_event(requires_approval=True)
    session = programme(event, 1)[0]
    pending = RegistrationFactory(event=event, session_ids=[session.pk])

    body = fetch(client, pending)

    assert JOIN_LINK.encode() not in body
    assert str(vevent_by_uid(body, session_uid(session))["STATUS"]) == "TENTATIVE"


def test_a_session_waited_for_is_tentative_until_its_seat_is_confirmed(client):
    event = online_event()
    session = programme(event, 1, capacity=1)[0]
    holder = RegistrationFactory(event=event, session_ids=[session.pk])
    waiting = RegistrationFactory(event=event, session_ids=[session.pk], join_waitlist=True)
    waiting_body = fetch(client, waiting)

    services.cancel_registration(registration=holder)
    confirmed_body = fetch(client, waiting)

    waited = vevent_by_uid(waiting_body, session_uid(session))
    assert str(waited["STATUS"]) == "TENTATIVE"
    assert "Your seat: Waitlisted" in str(waited["DESCRIPTION"])
    assert str(vevent_by_uid(waiting_body, event_uid(event))["STATUS"]) == "CONFIRMED"
    assert str(vevent_by_uid(confirmed_body, session_uid(session))["STATUS"]) == "CONFIRMED"


def test_a_dropped_session_leaves_the_feed(client):
    event = online_event()
    kept, dropped = programme(event, 2)
    registration = RegistrationFactory(event=event, session_ids=[kept.pk, dropped.pk])

    services.change_sessions(registration=registration, session_ids=[kept.pk])

    assert uids_of(fetch(client, registration)) == {event_uid(event), session_uid(kept)}


def test_a_cancelled_registration_keeps_its_items_cancelled_with_a_higher_sequence(client):
    event = online_event()
    session = programme(event, 1)[0]
    registration = RegistrationFactory(event=event, session_ids=[session.pk])
    before = fetch(client, registration)

    services.cancel_registration(registration=registration)
    after = fetch(client, registration)

    assert uids_of(after) == uids_of(before)
    for uid in (event_uid(event), session_uid(session)):
        old, new = vevent_by_uid(before, uid), vevent_by_uid(after, uid)
        assert (str(new["STATUS"]), new["SEQUENCE"]) == ("CANCELLED", old["SEQUENCE"] + 1)
    assert JOIN_LINK.encode() not in after
    for parser, occurrences in parse_with_every_parser(after).items():
        assert {occurrence.status for occurrence in occurrences.values()} == {"CANCELLED"}, parser


def test_changes_to_the_agenda_reach_the_personal_feed(client):
    event = online_event()
    moved, dropped = programme(event, 2)
    registration = RegistrationFactory(event=event, session_ids=[moved.pk, dropped.pk])

    moved.start += dt.timedelta(minutes=15)
    moved.end += dt.timedelta(minutes=15)
    save_session(session=moved)
    cancel_session(session=dropped)
    body = fetch(client, registration)

    moved_vevent = vevent_by_uid(body, session_uid(moved))
    assert moved_vevent.decoded("DTSTART") == moved.start
    assert moved_vevent["SEQUENCE"] == 1
    assert str(vevent_by_uid(body, session_uid(dropped))["STATUS"]) == "CANCELLED"


def test_a_cancelled_event_cancels_every_personal_item(client):
    event = online_event()
    session = programme(event, 1)[0]
    registration = RegistrationFactory(event=event, session_ids=[session.pk])

    cancel_event(event=event)
    body = fetch(client, registration)

    assert {str(vevent["STATUS"]) for vevent in (
        vevent_by_uid(body, event_uid(event)), vevent_by_uid(body, session_uid(session))
    )} == {"CANCELLED"}
    assert JOIN_LINK.encode() not in body


def test_personal_feed_follows_the_format_rules(client):
    event = online_event(title="Forum — Łódź édition " * 5)
    session = programme(event, 1, abstract="Zoë and Łukasz on “due diligence” 🌍 " * 10)[0]
    registration = RegistrationFactory(event=event, session_ids=[session.pk])

    body = fetch(client, registration, QUERY_STRING="alarm=60")
    lines = unfolded_lines(body)

    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert [line for line in lines if line.startswith("METHOD")] == []
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert any(line.startswith("X-WR-CALNAME:Forum") for line in lines)
    assert b"ORGANIZER" not in body
    assert "TRIGGER:-PT1H" in lines


# --- HTTP ---------------------------------------------------------------------------------------


def test_personal_feed_is_a_private_inline_calendar(client):
    event = online_event(slug="forum")
    registration = RegistrationFactory(event=event)

    response = client.get(feed_path(registration))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="my-agenda-forum.ics"'
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["ETag"] and response["Last-Modified"]


def test_the_registrations_feed_url_serves_its_feed(api_client, client):
    registration = RegistrationFactory(event=online_event())

    body = api_client.get(f"/api/v1/registrations/{registration.manage_token}/").json()

    assert body["feed_url"] == links.feed_url(registration)
    path = body["feed_url"].removeprefix(f"https://{DOMAIN}")
    assert client.get(path).status_code == 200


def test_a_wrong_malformed_revoked_or_erased_token_gets_the_same_404(api_client, client):
    registration = RegistrationFactory()
    revoked = registration.feed_token
    api_client.post(f"/api/v1/registrations/{registration.manage_token}/feed-token/")
    registration.refresh_from_db()
    erased = RegistrationFactory()
    erased_token = erased.feed_token
    services.erase_personal_data(registration=erased)

    paths = [
        f"/feeds/me/{revoked}.ics",
        f"/feeds/me/{erased_token}.ics",
        f"/feeds/me/{uuid.uuid4().hex}{new_secret()}.ics",
        f"/feeds/me/{registration.feed_token[:32]}{new_secret()}.ics",
        f"/feeds/me/{registration.manage_token}.ics",
        "/feeds/me/not-a-token.ics",
        "/feeds/me/%20.ics",
        f"/feeds/me/{registration.feed_token[:40]}/{registration.feed_token[40:]}.ics",
    ]
    responses = [client.get(path) for path in paths]

    assert [response.status_code for response in responses] == [404] * len(paths)
    assert {response.content for response in responses} == {b"Not found.\n"}
    assert {response["Content-Type"] for response in responses} == {"text/plain; charset=utf-8"}
    assert client.get(feed_path(registration)).status_code == 200


def test_feed_options_are_checked_after_the_token(client):
    registration = RegistrationFactory()

    assert client.get(feed_path(registration), {"alarm": "0"}).status_code == 400
    assert client.get(f"/feeds/me/{uuid.uuid4().hex}x.ics", {"alarm": "0"}).status_code == 404
    assert client.get(feed_path(registration), {"kind": "forum"}).status_code == 400


def test_if_none_match_is_answered_304_until_a_seat_is_confirmed(client):
    event = online_event()
    session = programme(event, 1, capacity=1)[0]
    holder = RegistrationFactory(event=event, session_ids=[session.pk])
    waiting = RegistrationFactory(event=event, session_ids=[session.pk], join_waitlist=True)
    first = client.get(feed_path(waiting))

    not_modified = client.get(feed_path(waiting), HTTP_IF_NONE_MATCH=first["ETag"])
    services.cancel_registration(registration=holder)
    promoted = client.get(feed_path(waiting), HTTP_IF_NONE_MATCH=first["ETag"])

    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == "private, max-age=300"
    assert waiting.session_choices.get().status == SessionChoiceStatus.CONFIRMED
    assert promoted.status_code == 200
    assert promoted["ETag"] != first["ETag"]


def test_if_modified_since_alone_is_not_trusted_since_seats_move_no_timestamp(client):
    registration = RegistrationFactory(event=online_event())
    first = client.get(feed_path(registration))

    response = client.get(feed_path(registration), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert response.status_code == 200


def test_the_etag_follows_choices_cancellation_and_the_agenda(client):
    event = online_event()
    first_session, second_session = programme(event, 2)
    registration = RegistrationFactory(event=event, session_ids=[first_session.pk])
    etags = [client.get(feed_path(registration))["ETag"]]

    services.change_sessions(
        registration=registration, session_ids=[first_session.pk, second_session.pk]
    )
    etags.append(client.get(feed_path(registration))["ETag"])
    second_session.title = "Renamed"
    save_session(session=second_session)
    etags.append(client.get(feed_path(registration))["ETag"])
    services.cancel_registration(registration=registration)
    etags.append(client.get(feed_path(registration))["ETag"])

    assert len(set(etags)) == 4


def test_a_304_costs_three_queries_and_the_feed_a_constant_number(
    client, django_assert_max_num_queries
):
    event = online_event()
    small = RegistrationFactory(event=event, session_ids=[s.pk for s in programme(event, 2)])
    large = RegistrationFactory(event=event, session_ids=[s.pk for s in programme(event, 12)])
    etag = client.get(feed_path(large))["ETag"]

    with django_assert_max_num_queries(3):
        assert client.get(feed_path(large), HTTP_IF_NONE_MATCH=etag).status_code == 304

    def queries(registration) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(feed_path(registration)).status_code == 200
        return len(captured.captured_queries)

    assert queries(small) == queries(large) <= 7
