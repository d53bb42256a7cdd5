"""Feeds over HTTP: headers, validators, 304s and their cost, for clients that poll for months."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from agenda.models import Room, Session, Tag
from agenda.services import cancel_event, cancel_session, save_event, save_session
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    create_event_with_programme,
)

pytestmark = pytest.mark.django_db

AGENDA = "/feeds/agenda.ics"


def feed_url(event) -> str:
    return f"/feeds/events/{event.slug}.ics"


def public_urls(event, session) -> list[str]:
    return [
        AGENDA,
        feed_url(event),
        f"/feeds/events/{event.slug}/event.ics",
        f"/feeds/sessions/{session.uuid}.ics",
    ]


def etag_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


# --- Headers ------------------------------------------------------------------------------------


def test_every_public_feed_is_utf8_calendar_with_validators_and_public_caching(client):
    event = EventFactory(slug="forum")
    session = SessionFactory(event=event)

    for url in public_urls(event, session):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/calendar; charset=utf-8", url
        assert response["Cache-Control"] == "public, max-age=300", url
        assert response["ETag"].startswith('"') and response["ETag"].endswith('"'), url
        assert response["Last-Modified"].endswith(" GMT"), url
        response.content.decode("utf-8")


def test_subscriptions_are_inline_and_named_after_the_feed(client):
    event = EventFactory(slug="forum")

    assert client.get(AGENDA)["Content-Disposition"] == 'inline; filename="agenda.ics"'
    assert client.get(feed_url(event))["Content-Disposition"] == 'inline; filename="forum.ics"'


def test_last_modified_is_the_latest_change_in_the_feed(client):
    event = EventFactory()
    session = SessionFactory(event=event)
    session.refresh_from_db()
    event.refresh_from_db()

    response = client.get(feed_url(event))

    latest = max(event.updated_at, session.updated_at)
    assert response["Last-Modified"] == http_date(int(latest.timestamp()))


def test_head_answers_the_headers_of_get_without_a_body(client):
    event = EventFactory()
    SessionFactory(event=event)
    get = client.get(feed_url(event))

    head = client.head(feed_url(event))

    assert head.status_code == 200
    assert head.content == b""
    for header in ("ETag", "Last-Modified", "Content-Type", "Cache-Control"):
        assert head[header] == get[header]


def test_feeds_refuse_writes(client):
    event = EventFactory()

    assert client.post(feed_url(event)).status_code == 405
    assert client.post(AGENDA).status_code == 405


def test_unknown_feeds_are_a_plain_404(client):
    draft = EventFactory(status="draft")

    responses = [
        client.get("/feeds/events/no-such-event.ics"),
        client.get(feed_url(draft)),
        client.get("/feeds/events/no-such-event/event.ics"),
        client.get("/feeds/sessions/6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b.ics"),
    ]

    assert {response.status_code for response in responses} == {404}
    assert {response.content for response in responses} == {b"Not found.\n"}


# --- Conditional requests -----------------------------------------------------------------------


def test_if_none_match_with_the_current_etag_is_answered_304_with_the_validators(client):
    event = EventFactory()
    SessionFactory(event=event)
    first = client.get(feed_url(event))

    again = client.get(feed_url(event), HTTP_IF_NONE_MATCH=first["ETag"])
    weak = client.get(feed_url(event), HTTP_IF_NONE_MATCH=f'"other", W/{first["ETag"]}')
    stale = client.get(feed_url(event), HTTP_IF_NONE_MATCH='"not-the-etag"')

    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=300"
    assert weak.status_code == 304
    assert stale.status_code == 200


def test_if_modified_since_with_the_last_modified_date_is_answered_304(client):
    event = EventFactory()
    SessionFactory(event=event)
    first = client.get(feed_url(event))

    again = client.get(feed_url(event), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    older = client.get(
        feed_url(event), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT"
    )

    assert again.status_code == 304
    assert older.status_code == 200


def test_if_none_match_wins_over_if_modified_since(client):
    event = EventFactory()
    first = client.get(feed_url(event))

    response = client.get(
        feed_url(event),
        HTTP_IF_NONE_MATCH='"not-the-etag"',
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )

    assert response.status_code == 200


def test_every_public_feed_answers_304_to_its_own_etag(client):
    event = EventFactory()
    session = SessionFactory(event=event)

    for url in public_urls(event, session):
        etag = etag_of(client, url)
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_an_unchanged_feed_is_byte_identical_with_the_same_etag(client):
    event = create_event_with_programme(sessions=3)

    first, second = client.get(feed_url(event)), client.get(feed_url(event))
    agenda_first, agenda_second = client.get(AGENDA), client.get(AGENDA)

    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]
    assert agenda_first.content == agenda_second.content
    assert agenda_first["ETag"] == agenda_second["ETag"]


def test_options_and_filters_are_part_of_the_etag(client):
    event = EventFactory()

    plain = etag_of(client, feed_url(event))
    with_alarm = etag_of(client, f"{feed_url(event)}?alarm=30")
    agenda = etag_of(client, AGENDA)
    agenda_forums = etag_of(client, f"{AGENDA}?kind=forum")
    agenda_forums_again = etag_of(client, f"{AGENDA}?kind=forum&kind=forum")

    assert len({plain, with_alarm, agenda, agenda_forums, agenda_forums_again}) == 5


# --- The ETag follows every change --------------------------------------------------------------


def test_event_feed_etag_changes_on_edit_cancellation_deletion_and_new_session(client):
    event = EventFactory()
    first = SessionFactory(event=event)
    second = SessionFactory(event=event)
    etags = [etag_of(client, feed_url(event))]

    first.title = "Edited"
    save_session(session=first)
    etags.append(etag_of(client, feed_url(event)))
    cancel_session(session=first)
    etags.append(etag_of(client, feed_url(event)))
    second.delete()
    etags.append(etag_of(client, feed_url(event)))
    SessionFactory(event=event)
    etags.append(etag_of(client, feed_url(event)))
    event.title = "Renamed"
    save_event(event=event)
    etags.append(etag_of(client, feed_url(event)))

    assert len(set(etags)) == len(etags) == 6


def test_event_feed_etag_changes_with_speakers_topics_and_rooms(client):
    event = EventFactory()
    room = RoomFactory(event=event, name="Hall A")
    session = SessionFactory(event=event, room=room)
    speaker = SpeakerFactory(name="Ana")
    etags = [etag_of(client, feed_url(event))]

    session.speakers.add(speaker)
    etags.append(etag_of(client, feed_url(event)))
    speaker.name = "Ana Ruiz"
    speaker.save()
    etags.append(etag_of(client, feed_url(event)))
    session.speakers.add(SpeakerFactory(name="Ben"))
    etags.append(etag_of(client, feed_url(event)))
    tag = TagFactory(name="Climate")
    event.tags.add(tag)
    etags.append(etag_of(client, feed_url(event)))
    Tag.objects.filter(pk=tag.pk).update(name="Climate and energy")
    etags.append(etag_of(client, feed_url(event)))
    Room.objects.filter(pk=room.pk).update(name="Main hall A")
    etags.append(etag_of(client, feed_url(event)))

    assert len(set(etags)) == len(etags) == 7


def test_a_feed_back_to_what_it_was_has_its_old_etag_again(client):
    event = EventFactory()
    session = SessionFactory(event=event)
    before = client.get(feed_url(event))

    speaker = SpeakerFactory()
    session.speakers.add(speaker)
    with_speaker = etag_of(client, feed_url(event))
    session.speakers.remove(speaker)
    after = client.get(feed_url(event))

    assert with_speaker != before["ETag"]
    assert after["ETag"] == before["ETag"]
    assert after.content == before.content


def test_agenda_feed_etag_changes_on_edit_cancellation_deletion_and_new_event(client):
    event = EventFactory()
    other = EventFactory()
    etags = [etag_of(client, AGENDA)]

    event.title = "Edited"
    save_event(event=event)
    etags.append(etag_of(client, AGENDA))
    cancel_event(event=event)
    etags.append(etag_of(client, AGENDA))
    other.delete()
    etags.append(etag_of(client, AGENDA))
    EventFactory()
    etags.append(etag_of(client, AGENDA))
    event.tags.add(TagFactory())
    etags.append(etag_of(client, AGENDA))

    assert len(set(etags)) == len(etags) == 6


def test_a_304_turns_into_the_new_feed_after_a_change(client):
    event = EventFactory()
    session = SessionFactory(event=event)
    old = client.get(feed_url(event))

    session.start += dt.timedelta(minutes=30)
    session.end += dt.timedelta(minutes=30)
    save_session(session=session)
    response = client.get(feed_url(event), HTTP_IF_NONE_MATCH=old["ETag"])

    assert response.status_code == 200
    assert response.content != old.content


def test_a_304_carries_the_validators_and_caching_headers_of_the_200(client):
    event = create_event_with_programme(sessions=3)
    full = client.get(feed_url(event), HTTP_ACCEPT_LANGUAGE="fr")

    again = client.get(feed_url(event), HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=full["ETag"])

    assert again.status_code == 304
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert again[header] == full[header], header
    assert "Accept-Language" in full["Vary"]


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_by_another_connection_changes_the_etag_at_once(client):
    # The web thread keeps its connection between requests (CONN_MAX_AGE): what another
    # thread commits must show in the very next poll, with nothing cached in between.
    event = EventFactory()
    session = SessionFactory(event=event)
    etag = etag_of(client, feed_url(event))
    assert client.get(feed_url(event), HTTP_IF_NONE_MATCH=etag).status_code == 304

    def edit() -> None:
        try:
            edited = Session.objects.select_related("event").get(pk=session.pk)
            edited.title = "Moved to the big room"
            save_session(session=edited)
        finally:
            connection.close()

    writer = threading.Thread(target=edit)
    writer.start()
    writer.join()
    response = client.get(feed_url(event), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"Moved to the big room" in response.content


def test_seat_counters_do_not_change_the_feed(client):
    event = EventFactory(capacity=10)
    session = SessionFactory(event=event, capacity=5)
    before = client.get(feed_url(event))

    type(event).objects.filter(pk=event.pk).update(seats_taken=3)
    Session.objects.filter(pk=session.pk).update(seats_taken=2)

    assert client.get(feed_url(event), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304


# --- Cost ---------------------------------------------------------------------------------------


def test_a_304_costs_one_query_and_never_builds_the_calendar(client, django_assert_max_num_queries):
    event = create_event_with_programme(sessions=20)
    etag = etag_of(client, feed_url(event))
    agenda_etag = etag_of(client, AGENDA)

    with django_assert_max_num_queries(1):
        assert client.get(feed_url(event), HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_max_num_queries(1):
        assert client.get(AGENDA, HTTP_IF_NONE_MATCH=agenda_etag).status_code == 304


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_event_feed_costs_the_same_queries_for_5_and_50_sessions(
    client, django_assert_max_num_queries
):
    small = create_event_with_programme(sessions=5)
    large = create_event_with_programme(sessions=50)

    # A first request builds and stores the VEVENTs (agenda.feeds.store): the state, the
    # stored ones, the event (once, not its columns on every session's row), the sessions,
    # their speakers, and one upsert; a later one joins the stored ones.
    with django_assert_max_num_queries(6):
        client.get(feed_url(large))
    assert queries_for(client, feed_url(small)) == 6
    assert queries_for(client, feed_url(small)) == queries_for(client, feed_url(large)) <= 3


def test_the_agenda_feed_costs_the_same_queries_for_5_and_50_events(client):
    for _ in range(5):
        create_event_with_programme(sessions=2)
    few = queries_for(client, AGENDA)
    for _ in range(45):
        create_event_with_programme(sessions=2)

    assert queries_for(client, AGENDA) == few <= 4
