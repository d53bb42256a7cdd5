"""The event feed from stored VEVENTs (``agenda.feeds.store``): the same bytes as the feed built
from the database, VEVENTs built again exactly when what they show changed, and an edit that
rolls back leaving the stored ones valid."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda import ical
from agenda.enums import SessionStatus
from agenda.feeds import selectors
from agenda.feeds.options import FeedOptions
from agenda.feeds.views import event_feed_body
from agenda.models import FeedVevent, Session
from agenda.services import cancel_session, save_event, save_session, save_speaker
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    TrackFactory,
)
from tests.ical_parsers import assert_clients_read_as_icalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many VEVENTs the store built (the real builder, counted)."""
    counter = {"count": 0}
    real = ical.vevent_piece

    def counted(item):
        counter["count"] += 1
        return real(item)

    monkeypatch.setattr(ical, "vevent_piece", counted)

    def take() -> int:
        count, counter["count"] = counter["count"], 0
        return count

    return take


def both(event, options: FeedOptions = FeedOptions()) -> tuple[bytes, bytes]:
    """The event feed from the store and built plainly, from the same state."""
    state = selectors.event_state_by_id(event.pk)
    return (
        event_feed_body(state, options, use_store=True),
        event_feed_body(state, options, use_store=False),
    )


def assert_same_feed(event, options: FeedOptions = FeedOptions()) -> bytes:
    stored, plain = both(event, options)
    assert stored == plain
    return stored


def programme(sessions: int = 4):
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    event = EventFactory(
        title="Forum Zoë — Ståle & Łukasz; a title long enough to be folded " * 2,
        start=start, end=start + dt.timedelta(days=2), tags=TagFactory.create_batch(2),
    )
    rooms = [RoomFactory(event=event, name=f"Salle {n} — étage") for n in range(2)]
    tracks = [TrackFactory(event=event) for _ in range(2)]
    speakers = SpeakerFactory.create_batch(3)
    for n in range(sessions):
        SessionFactory(
            event=event, room=rooms[n % 2], track=tracks[n % 2],
            title=f"Séance {n}: due diligence",
            start=start + dt.timedelta(hours=n), end=start + dt.timedelta(hours=n, minutes=45),
            speakers=speakers[: n % 3 + 1],
        )
    return event


# --- The same bytes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [FeedOptions(), FeedOptions(alarm_minutes=30), FeedOptions(all_day=True, alarm_minutes=1),
     FeedOptions(alarm_minutes=7 * 24 * 60)],
)
def test_the_stored_feed_is_the_plain_feed_cold_and_warm(options):
    event = programme()
    cancel_session(session=event.sessions.order_by("start").first())

    cold = assert_same_feed(event, options)
    warm = assert_same_feed(event, options)

    assert cold == warm
    assert_clients_read_as_icalendar(cold)


def test_a_french_feed_is_stored_beside_the_english_one(builds):
    event = programme(sessions=2)
    assert_same_feed(event)
    with translation.override("fr"):
        assert_same_feed(event)
    assert builds() == 4
    with translation.override("fr"):
        assert_same_feed(event)
    assert_same_feed(event)

    assert builds() == 0
    assert sorted(FeedVevent.objects.values_list("language", flat=True)) == [
        "en", "en", "fr", "fr"
    ]


def test_an_event_without_sessions_is_its_own_item_either_way():
    event = EventFactory()
    assert_same_feed(event, FeedOptions(all_day=True))


_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=160
).filter(str.strip)

_edits = st.lists(
    st.sampled_from(
        ["retitle", "cancel", "reinstate", "add_speaker", "remove_speaker", "rename_speaker",
         "rename_room", "delete_room", "rename_tag", "untag", "edit_event", "move", "delete"]
    ),
    max_size=5,
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    titles=st.lists(_text, min_size=1, max_size=4),
    abstract=_text,
    alarm=st.one_of(st.none(), st.integers(1, 7 * 24 * 60)),
    edits=_edits,
    new_text=_text,
)
def test_the_stored_feed_is_the_plain_feed_through_edits(titles, abstract, alarm, edits, new_text):
    event = programme(sessions=0)
    room = event.rooms.first()
    speakers = SpeakerFactory.create_batch(2, name=new_text[:150])
    for n, title in enumerate(titles):
        SessionFactory(
            event=event, title=title[:200], abstract=abstract * (n + 1), room=room,
            start=event.start + dt.timedelta(hours=n),
            end=event.start + dt.timedelta(hours=n, minutes=30), speakers=speakers[: n % 3],
        )
    options = FeedOptions(alarm_minutes=alarm)
    assert_same_feed(event, options)

    for edit in edits:
        session = event.sessions.order_by("start", "pk").first()
        if session is None:
            break
        if edit == "retitle":
            session.title = new_text[:200]
            save_session(session=session)
        elif edit == "cancel":
            cancel_session(session=session)
        elif edit == "reinstate":
            session.status = SessionStatus.SCHEDULED
            save_session(session=session)
        elif edit == "add_speaker":
            session.speakers.add(SpeakerFactory(organization=new_text[:150]))
        elif edit == "remove_speaker":
            session.speakers.remove(*session.speakers.all()[:1])
        elif edit == "rename_speaker" and speakers:
            speakers[0].role = new_text[:150]
            save_speaker(speaker=speakers[0])
        elif edit == "rename_room":
            room.name = new_text[:100]
            room.save()
        elif edit == "delete_room":
            room.delete()
            room = RoomFactory(event=event)
        elif edit == "rename_tag":
            tag = event.tags.first()
            tag.name = f"{new_text[:60]} {tag.pk}"
            tag.save()
        elif edit == "untag":
            event.tags.remove(*event.tags.all()[:1])
        elif edit == "edit_event":
            event.refresh_from_db()
            event.title = new_text[:200]
            save_event(event=event)
        elif edit == "move":
            session.start += dt.timedelta(minutes=15)
            session.end += dt.timedelta(minutes=15)
            save_session(session=session)
        elif edit == "delete":
            session.delete()
        assert_same_feed(event, options)


# --- Built again exactly when needed ----------------------------------------------------------


def test_a_warm_feed_builds_nothing(builds):
    event = programme()
    both(event)
    assert builds() == 4

    assert_same_feed(event)
    assert builds() == 0


def test_an_edit_of_one_session_builds_that_vevent_alone(builds):
    event = programme()
    assert_same_feed(event)
    builds()
    session = event.sessions.order_by("start").last()

    session.title = "Renamed"
    save_session(session=session)

    assert b"SUMMARY:Renamed" in assert_same_feed(event)
    assert builds() == 1


def test_a_speaker_edit_builds_the_vevents_of_their_sessions(builds):
    event = programme()  # sessions have 1, 2, 3, 1 of the three speakers
    assert_same_feed(event)
    builds()
    speaker = event.sessions.order_by("start")[2].speakers.order_by("pk").last()

    speaker.name = "Someone Else"
    save_speaker(speaker=speaker)

    assert_same_feed(event)
    assert builds() == Session.objects.filter(speakers=speaker).count() == 1


def test_linking_a_speaker_builds_that_session_alone(builds):
    event = programme()
    assert_same_feed(event)
    builds()

    event.sessions.order_by("start").first().speakers.add(SpeakerFactory(name="Nova"))

    assert b"Nova" in assert_same_feed(event)
    assert builds() == 1


def test_a_room_rename_builds_the_sessions_in_it(builds):
    event = programme()
    assert_same_feed(event)
    builds()
    room = event.rooms.order_by("name").first()

    # A name of the same length: one of another length moves the event's state, which
    # builds every VEVENT again (so does a rename with update(), which sends no signal).
    room.name = "Salle 9 — étage"
    room.save()

    assert_same_feed(event)
    assert builds() == 2


def test_an_event_edit_or_a_topic_builds_every_vevent(builds):
    event = programme()
    assert_same_feed(event)
    builds()

    event.title = "Another forum"
    save_event(event=event)
    assert_same_feed(event)
    assert builds() == 4

    event.tags.add(TagFactory(name="Ocean"))
    assert b"Ocean" in assert_same_feed(event)
    assert builds() == 4


def test_an_edit_rolled_back_leaves_the_stored_vevents_valid(builds):
    event = programme()
    before = assert_same_feed(event)
    builds()
    session = event.sessions.order_by("start").first()

    with pytest.raises(RuntimeError), transaction.atomic():
        session.title = "Never saved"
        save_session(session=session)
        session.speakers.add(SpeakerFactory())
        raise RuntimeError("rolled back")

    assert assert_same_feed(event) == before
    assert builds() == 0


def test_a_vevent_built_from_data_older_than_its_revision_is_built_again(builds):
    """What a feed built while an edit committed stores (the revision it read before the
    data) does not count once the edit is there."""
    event = programme(sessions=1)
    assert_same_feed(event)
    session = event.sessions.get()
    stored = FeedVevent.objects.get(session=session)
    # As if stored by a request that read the revision before an edit and the data after it.
    Session.objects.filter(pk=session.pk).update(title="Edited meanwhile")
    FeedVevent.objects.filter(pk=stored.pk).update(revision=stored.revision - 1)
    builds()

    assert b"Edited meanwhile" in assert_same_feed(event)
    assert builds() == 1


def test_the_http_feed_serves_the_same_bytes_with_the_store_off(client):
    event = programme()
    url = f"/feeds/events/{event.slug}.ics?alarm=15"
    stored = client.get(url)
    with override_settings(FEED_STORE=False):
        plain = client.get(url)

    assert stored.content == plain.content
    assert stored["ETag"] == plain["ETag"]
