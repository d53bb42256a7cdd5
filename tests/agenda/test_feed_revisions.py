"""The feeds' validators: every change a feed shows raises its event's revision or link checksum
(``agenda.revisions``), and a conditional request reads that one row (``selectors``)."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from agenda.feeds.selectors import event_state_by_id
from agenda.models import Event, Room, Session, Tag, Track
from agenda.services import save_event, save_session
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    TrackFactory,
    create_event_with_programme,
)

pytestmark = pytest.mark.django_db

AGENDA = "/feeds/agenda.ics"


def feed_url(event) -> str:
    return f"/feeds/events/{event.slug}.ics"


def etag_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def revision_of(event: Event) -> int:
    return Event.objects.values_list("content_revision", flat=True).get(pk=event.pk)


def checksum_of(event: Event) -> int:
    return Event.objects.values_list("link_checksum", flat=True).get(pk=event.pk)


# --- Saves and deletions raise the revision -------------------------------------------------


def test_saving_a_speaker_raises_every_event_they_speak_at_and_no_other(client):
    speaker = SpeakerFactory(name="Ana")
    first, second, unrelated = EventFactory(), EventFactory(), EventFactory()
    SessionFactory(event=first, speakers=[speaker])
    SessionFactory(event=second, speakers=[speaker])
    etag = etag_of(client, feed_url(first))
    before = [revision_of(event) for event in (first, second, unrelated)]

    speaker.name = "Ana Ruiz"
    speaker.save()

    after = [revision_of(event) for event in (first, second, unrelated)]
    assert after == [before[0] + 1, before[1] + 1, before[2]]
    assert etag_of(client, feed_url(first)) != etag


def test_a_new_speaker_raises_nothing():
    event = EventFactory()
    SessionFactory(event=event)
    before = revision_of(event)

    SpeakerFactory()

    assert revision_of(event) == before


def test_renaming_a_topic_to_a_name_of_the_same_length_moves_the_feeds(client):
    tag = TagFactory(name="Climate")
    event = EventFactory(tags=[tag])
    other = EventFactory()
    etags = [etag_of(client, feed_url(event)), etag_of(client, AGENDA)]
    before = revision_of(other)

    tag.name = "Klimate"  # same length: the sums of name lengths cannot tell
    tag.save()

    assert etag_of(client, feed_url(event)) != etags[0]
    assert etag_of(client, AGENDA) != etags[1]
    assert revision_of(other) == before


@pytest.mark.parametrize("factory", [TrackFactory, RoomFactory])
def test_renaming_and_deleting_a_track_or_room_move_the_event_feed(client, factory):
    event = EventFactory()
    part = factory(event=event, name="Hall A")
    SessionFactory(event=event, **{factory._meta.model.__name__.lower(): part})
    etags = [etag_of(client, feed_url(event))]

    part.name = "Hall B"  # same length
    part.save()
    etags.append(etag_of(client, feed_url(event)))
    part.delete()
    etags.append(etag_of(client, feed_url(event)))

    assert len(set(etags)) == 3


def test_a_track_or_room_moved_to_another_event_raises_both():
    first, second = EventFactory(), EventFactory()
    track = TrackFactory(event=first)
    room = RoomFactory(event=first)
    before = [revision_of(first), revision_of(second)]

    track.event = second
    track.save()
    room.event = second
    room.save()

    assert [revision_of(first), revision_of(second)] == [before[0] + 2, before[1] + 2]


def test_creating_editing_and_deleting_a_session_raise_its_event():
    event = EventFactory()
    revisions = [revision_of(event)]

    session = SessionFactory(event=event)
    revisions.append(revision_of(event))
    session.title = "Edited"
    save_session(session=session)
    revisions.append(revision_of(event))
    session.delete()
    revisions.append(revision_of(event))

    assert revisions == [revisions[0] + step for step in range(4)]


def test_a_session_moved_to_another_event_raises_both():
    first = EventFactory()
    second = EventFactory(start=first.start, end=first.end)
    session = SessionFactory(event=first)
    before = [revision_of(first), revision_of(second)]

    session.event = second
    session.save()

    assert [revision_of(first), revision_of(second)] == [before[0] + 1, before[1] + 1]


def test_deleting_a_speaker_or_topic_raises_their_events(client):
    speaker = SpeakerFactory()
    tag = TagFactory()
    event = EventFactory(tags=[tag])
    SessionFactory(event=event, speakers=[speaker])
    etags = [etag_of(client, feed_url(event))]

    speaker.delete()
    etags.append(etag_of(client, feed_url(event)))
    tag.delete()
    etags.append(etag_of(client, feed_url(event)))

    assert len(set(etags)) == 3


def test_deleting_an_event_does_not_raise_it_once_per_session():
    event = create_event_with_programme(sessions=10)

    with CaptureQueriesContext(connection) as queries:
        event.delete()

    event_table = f'UPDATE "{Event._meta.db_table}"'
    assert [q["sql"] for q in queries.captured_queries if q["sql"].startswith(event_table)] == []


# --- Links move the checksum, and back --------------------------------------------------------


def test_adding_and_removing_speakers_moves_the_checksum_and_back(client):
    event = EventFactory()
    session = SessionFactory(event=event)
    ana, ben = SpeakerFactory(), SpeakerFactory()
    original = (checksum_of(event), etag_of(client, feed_url(event)))
    seen = set()

    session.speakers.add(ana)
    seen.add(checksum_of(event))
    ben.sessions.add(session)  # from the speaker's side
    seen.add(checksum_of(event))
    session.speakers.remove(ana)
    seen.add(checksum_of(event))
    session.speakers.clear()

    assert len(seen) == 3 and original[0] not in seen
    assert (checksum_of(event), etag_of(client, feed_url(event))) == original


def test_set_and_clear_from_either_side_give_the_old_checksum_back():
    event = EventFactory()
    session = SessionFactory(event=event)
    speakers = SpeakerFactory.create_batch(3)
    original = checksum_of(event)

    session.speakers.set(speakers)
    with_three = checksum_of(event)
    session.speakers.set(speakers[:1])
    speakers[0].sessions.clear()

    assert with_three != original
    assert checksum_of(event) == original


def test_removing_a_speaker_who_is_not_on_the_session_changes_nothing():
    event = EventFactory()
    session = SessionFactory(event=event, speakers=[SpeakerFactory()])
    before = checksum_of(event)

    session.speakers.remove(SpeakerFactory())

    assert checksum_of(event) == before


def test_adding_and_removing_topics_from_either_side_moves_the_feeds_and_back(client):
    event = EventFactory()
    tag = TagFactory()
    checksum = checksum_of(event)
    original = etag_of(client, feed_url(event)), etag_of(client, AGENDA)

    event.tags.add(tag)
    added = checksum_of(event), etag_of(client, feed_url(event)), etag_of(client, AGENDA)
    tag.events.remove(event)

    assert added[0] != checksum
    assert added[1] != original[0] and added[2] != original[1]
    assert checksum_of(event) == checksum
    assert (etag_of(client, feed_url(event)), etag_of(client, AGENDA)) == original


def test_links_sum_per_event_when_added_from_the_other_side():
    speaker = SpeakerFactory()
    first, second = EventFactory(), EventFactory()
    sessions = [SessionFactory(event=first), SessionFactory(event=second)]
    before = [checksum_of(first), checksum_of(second)]

    speaker.sessions.add(*sessions)

    after = [checksum_of(first), checksum_of(second)]
    assert after[0] != before[0] and after[1] != before[1]


# --- What does not move the validators ----------------------------------------------------------


def test_seat_counters_and_registrations_do_not_raise_the_revision(client):
    event = EventFactory(capacity=10)
    session = SessionFactory(event=event, capacity=5)
    before = (revision_of(event), checksum_of(event))
    etag = etag_of(client, feed_url(event))

    RegistrationFactory(event=event, session_ids=[session.pk])
    Event.objects.filter(pk=event.pk).update(seats_taken=3)
    Session.objects.filter(pk=session.pk).update(seats_taken=2)

    assert (revision_of(event), checksum_of(event)) == before
    assert client.get(feed_url(event), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_rolled_back_change_leaves_the_revision_as_it_was():
    event = EventFactory()
    before = revision_of(event)

    with pytest.raises(RuntimeError), transaction.atomic():
        TrackFactory(event=event)
        raise RuntimeError

    assert revision_of(event) == before


def test_saving_an_event_never_writes_back_a_revision_raised_meanwhile():
    event = EventFactory()
    stale = Event.objects.get(pk=event.pk)
    TrackFactory(event=event)
    SessionFactory(event=event, speakers=[SpeakerFactory()])
    raised = (revision_of(event), checksum_of(event))

    stale.title = "Edited in a form opened before"
    save_event(event=stale)

    assert (revision_of(event), checksum_of(event)) == raised


def test_last_modified_follows_a_change_of_the_programme(client):
    event = EventFactory()
    long_ago = timezone.now() - dt.timedelta(days=3)
    Event.objects.filter(pk=event.pk).update(updated_at=long_ago)

    RoomFactory(event=event)

    changed_at = Event.objects.values_list("content_changed_at", flat=True).get(pk=event.pk)
    assert changed_at > long_ago
    response = client.get(feed_url(event))
    assert response["Last-Modified"] == http_date(int(changed_at.timestamp()))


# --- The cost of a conditional request ----------------------------------------------------------


def test_every_public_304_costs_exactly_one_query(client, django_assert_num_queries):
    event = create_event_with_programme(sessions=5)
    session = event.sessions.first()
    urls = [
        AGENDA,
        feed_url(event),
        f"/feeds/events/{event.slug}/event.ics",
        f"/feeds/sessions/{session.uuid}.ics",
    ]

    for url in urls:
        etag = etag_of(client, url)
        with django_assert_num_queries(1):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_the_event_state_reads_no_session_or_speaker_rows():
    event = create_event_with_programme(sessions=3)

    with CaptureQueriesContext(connection) as queries:
        state = event_state_by_id(event.pk)

    assert state.found
    (query,) = queries.captured_queries
    for table in (Session._meta.db_table, Session.speakers.through._meta.db_table):
        assert f'"{table}"' not in query["sql"]


def test_the_event_state_is_the_same_for_the_same_data():
    event = create_event_with_programme(sessions=3)

    assert event_state_by_id(event.pk) == event_state_by_id(event.pk)


def test_queryset_renames_of_topics_rooms_and_tracks_still_move_the_state():
    tag = TagFactory(name="Climate")
    event = EventFactory(tags=[tag])
    track = TrackFactory(event=event, name="Policy")
    room = RoomFactory(event=event, name="Hall A")
    states = [event_state_by_id(event.pk).parts]

    Tag.objects.filter(pk=tag.pk).update(name="Climate and energy")
    states.append(event_state_by_id(event.pk).parts)
    Track.objects.filter(pk=track.pk).update(name="Policy and law")
    states.append(event_state_by_id(event.pk).parts)
    Room.objects.filter(pk=room.pk).update(name="Main hall A")
    states.append(event_state_by_id(event.pk).parts)

    assert len(set(states)) == 4
