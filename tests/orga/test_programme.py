"""Sessions, rooms, tracks and speakers of an event, in the organizer area."""

import datetime as dt

import pytest

from agenda.enums import EventStatus, SessionStatus
from agenda.models import AuditEntry, Room, Session, Speaker, Track
from notifications.enums import MessageKind
from notifications.models import Delivery
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    grant,
)
from tests.orga.support import (
    event_with_session,
    in_a_month,
    local_input,
    organizer_of,
    session_post,
)

pytestmark = pytest.mark.django_db


def change_notices() -> int:
    return Delivery.objects.filter(kind=MessageKind.CHANGE_NOTICE).count()


def url(event, rest: str = "") -> str:
    return f"/orga/events/{event.slug}/programme/{rest}"


# --- Sessions ----------------------------------------------------------------------------


def test_the_programme_lists_the_events_sessions_only(client):
    event, session = event_with_session()
    _other, elsewhere = event_with_session()
    client.force_login(organizer_of(event))
    page = client.get(url(event)).content.decode()
    assert session.title in page
    assert elsewhere.title not in page


def test_adding_a_session_reads_its_times_in_the_events_zone(client):
    event = EventFactory(start=in_a_month(), timezone="Asia/Tokyo")
    room, track, speaker = RoomFactory(event=event), TrackFactory(event=event), SpeakerFactory()
    client.force_login(organizer_of(event))
    start = event.start + dt.timedelta(hours=2)
    response = client.post(url(event, "sessions/new/"), {
        "title": "Opening", "abstract": "", "start": local_input(event, start),
        "end": local_input(event, start + dt.timedelta(minutes=45)),
        "room": room.pk, "track": track.pk, "capacity": "", "speakers": [speaker.pk],
        "action": "save",
    })
    assert response.status_code == 302
    session = Session.objects.get(event=event, title="Opening")
    assert (session.start, session.room, session.track) == (start, room, track)
    assert list(session.speakers.all()) == [speaker]
    assert AuditEntry.objects.filter(event=event, action="created",
                                     object_id=str(session.pk)).exists()


def test_a_session_outside_its_event_is_refused_with_the_rules_message(client):
    event, session = event_with_session()
    client.force_login(organizer_of(event))
    late = event.end + dt.timedelta(hours=1)
    response = client.post(url(event, "sessions/new/"), session_post(
        session, title="Too late", start=local_input(event, late),
        end=local_input(event, late + dt.timedelta(hours=1)),
    ))
    assert response.status_code == 400
    assert "The session must take place within its event" in response.content.decode()
    assert not Session.objects.filter(title="Too late").exists()


def test_a_session_ending_before_it_starts_is_refused(client):
    event, session = event_with_session()
    client.force_login(organizer_of(event))
    response = client.post(url(event, "sessions/new/"), session_post(
        session, title="Backwards", end=local_input(event, session.start - dt.timedelta(minutes=5)),
    ))
    assert response.status_code == 400
    assert "The session must end after it starts." in response.content.decode()


@pytest.mark.parametrize("field", ["room", "track"])
def test_another_events_room_or_track_is_refused(client, field):
    event, session = event_with_session()
    other = EventFactory()
    foreign = RoomFactory(event=other) if field == "room" else TrackFactory(event=other)
    client.force_login(organizer_of(event))
    response = client.post(url(event, f"sessions/{session.pk}/"),
                           session_post(session, **{field: foreign.pk}))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    session.refresh_from_db()
    assert getattr(session, f"{field}_id") != foreign.pk


def test_the_session_form_offers_only_the_events_rooms_and_tracks(client):
    event, session = event_with_session()
    other_room, other_track = RoomFactory(), TrackFactory()
    client.force_login(organizer_of(event))
    page = client.get(url(event, f"sessions/{session.pk}/")).content.decode()
    assert session.room.name in page and session.track.name in page
    assert other_room.name not in page and other_track.name not in page


def test_the_speaker_picker_offers_the_events_speakers_and_search_finds_not_everyone(client):
    event, session = event_with_session()
    own = SpeakerFactory(name="Ada Own")
    session.speakers.add(own)
    stranger = SpeakerFactory(name="Zed Stranger", organization="Far Away Ltd")
    SessionFactory(event=EventFactory(), speakers=[stranger])
    client.force_login(organizer_of(event))
    page = client.get(url(event, f"sessions/{session.pk}/")).content.decode()
    assert "Ada Own" in page
    assert "Zed Stranger" not in page

    data = session_post(session, action="find", speaker_search="far away", title="")
    response = client.post(url(event, f"sessions/{session.pk}/"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zed Stranger" in page
    assert "This field is required" not in page  # a search judges nothing yet
    session.refresh_from_db()
    assert session.title != ""  # nor saves anything


def test_linking_another_events_speaker_is_allowed_and_changes_only_the_link(client):
    event, session = event_with_session()
    shared = SpeakerFactory(name="Shared Person")
    SessionFactory(event=EventFactory(), speakers=[shared])
    client.force_login(organizer_of(event))
    response = client.post(url(event, f"sessions/{session.pk}/"),
                           session_post(session, speakers=[shared.pk]))
    assert response.status_code == 302
    assert list(session.speakers.all()) == [shared]
    shared.refresh_from_db()
    assert shared.name == "Shared Person"


def test_moving_a_session_people_chose_asks_first_then_notifies_them(client):
    event, session = event_with_session(start=in_a_month())
    RegistrationFactory(event=event, session_ids=[session.pk])
    RegistrationFactory(event=event)  # registered for the event, not this session
    client.force_login(organizer_of(event))
    notices = change_notices()
    later = session.start + dt.timedelta(hours=2)
    data = session_post(session, start=local_input(event, later),
                        end=local_input(event, later + dt.timedelta(hours=1)))

    response = client.post(url(event, f"sessions/{session.pk}/"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 attendee will be emailed about this change." in page
    assert "Move the session?" in page
    session.refresh_from_db()
    assert session.start != later
    assert change_notices() == notices

    response = client.post(url(event, f"sessions/{session.pk}/"), {**data, "confirmed": "1"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.start == later
    assert change_notices() == notices + 1


def test_moving_a_session_nobody_chose_saves_at_once(client):
    event, session = event_with_session(start=in_a_month())
    client.force_login(organizer_of(event))
    other_room = RoomFactory(event=event)
    response = client.post(url(event, f"sessions/{session.pk}/"),
                           session_post(session, room=other_room.pk))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.room == other_room


def test_moving_a_session_of_a_draft_needs_no_confirmation(client):
    event, session = event_with_session(start=in_a_month())
    RegistrationFactory(event=event, session_ids=[session.pk])
    event.status = EventStatus.DRAFT
    event.save()
    client.force_login(organizer_of(event))
    other_room = RoomFactory(event=event)
    response = client.post(url(event, f"sessions/{session.pk}/"),
                           session_post(session, room=other_room.pk))
    assert response.status_code == 302


def test_cancelling_a_session_asks_first_then_notifies_its_attendees(client):
    event, session = event_with_session()
    RegistrationFactory.create_batch(2, event=event, session_ids=[session.pk])
    client.force_login(organizer_of(event))
    notices = change_notices()
    response = client.post(url(event, f"sessions/{session.pk}/cancel/"))
    assert response.status_code == 200
    assert "2 attendees will be emailed about this change." in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED

    response = client.post(url(event, f"sessions/{session.pk}/cancel/"), {"confirmed": "1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert change_notices() == notices + 2


def test_a_cancelled_session_is_scheduled_again_after_a_confirmation(client):
    event, session = event_with_session()
    RegistrationFactory(event=event, session_ids=[session.pk])
    session.status = SessionStatus.CANCELLED
    session.save()
    client.force_login(organizer_of(event))
    notices = change_notices()
    response = client.post(url(event, f"sessions/{session.pk}/reinstate/"))
    assert response.status_code == 200
    assert "1 attendee will be emailed about this change." in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED

    response = client.post(url(event, f"sessions/{session.pk}/reinstate/"), {"confirmed": "1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert change_notices() == notices + 1


def test_deleting_a_session_is_confirmed_on_a_page_then_done(client):
    event, session = event_with_session()
    RegistrationFactory(event=event, session_ids=[session.pk])
    client.force_login(organizer_of(event))
    page = client.get(url(event, f"sessions/{session.pk}/delete/")).content.decode()
    assert "Deleting it emails nobody" in page
    assert Session.objects.filter(pk=session.pk).exists()
    response = client.post(url(event, f"sessions/{session.pk}/delete/"))
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert AuditEntry.objects.filter(event=event, action="deleted").exists()


@pytest.mark.parametrize("rest", ["sessions/{pk}/", "sessions/{pk}/cancel/",
                                  "sessions/{pk}/reinstate/", "sessions/{pk}/delete/"])
def test_another_events_session_id_is_not_found_at_my_events_urls(client, rest):
    mine, _my_session = event_with_session()
    _theirs, their_session = event_with_session()
    client.force_login(organizer_of(mine))
    path = url(mine, rest.format(pk=their_session.pk))
    assert client.get(path).status_code in (404, 405)
    response = client.post(path, {**session_post(their_session, title="Hijacked"),
                                  "confirmed": "1"})
    assert response.status_code == 404
    their_session.refresh_from_db()
    assert their_session.title != "Hijacked"
    assert their_session.status == SessionStatus.SCHEDULED


# --- Rooms and tracks --------------------------------------------------------------------


def test_rooms_are_added_renamed_and_deleted_with_audit_entries(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    response = client.post(url(event, "rooms/"), {"new-name": "Auditorium", "new-capacity": "80"})
    assert response.status_code == 302
    room = Room.objects.get(event=event)
    assert (room.name, room.capacity) == ("Auditorium", 80)

    response = client.post(url(event, f"rooms/{room.pk}/"),
                           {f"room-{room.pk}-name": "Great Hall", f"room-{room.pk}-capacity": ""})
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("Great Hall", None)

    response = client.post(url(event, f"rooms/{room.pk}/delete/"))
    assert response.status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()
    assert list(AuditEntry.objects.filter(event=event, object_type="room")
                .order_by("pk").values_list("action", flat=True)) == [
        "created", "changed", "deleted"]


def test_a_second_room_of_the_same_name_is_refused_with_a_message(client):
    event = EventFactory()
    RoomFactory(event=event, name="Auditorium")
    client.force_login(organizer_of(event))
    response = client.post(url(event, "rooms/"), {"new-name": "Auditorium", "new-capacity": ""})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Room.objects.filter(event=event).count() == 1


def test_an_empty_room_name_is_refused(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    response = client.post(url(event, "rooms/"), {"new-name": "", "new-capacity": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_room_in_use_is_not_deleted_and_the_page_says_why(client):
    event, session = event_with_session()
    client.force_login(organizer_of(event))
    response = client.post(url(event, f"rooms/{session.room_id}/delete/"), follow=True)
    assert "1 session(s) take place in this room" in response.content.decode()
    assert Room.objects.filter(pk=session.room_id).exists()


def test_tracks_get_a_slug_once_and_keep_it_when_renamed(client):
    event = EventFactory()
    TrackFactory(event=event, name="Policy", slug="policy")
    client.force_login(organizer_of(event))
    client.post(url(event, "tracks/"), {"new-name": "Policy!", "new-color": "#112233"})
    track = Track.objects.get(event=event, name="Policy!")
    assert track.slug == "policy-2"
    client.post(url(event, f"tracks/{track.pk}/"),
                {f"track-{track.pk}-name": "Regulation", f"track-{track.pk}-color": ""})
    track.refresh_from_db()
    assert (track.name, track.slug) == ("Regulation", "policy-2")
    client.post(url(event, f"tracks/{track.pk}/delete/"))
    assert not Track.objects.filter(pk=track.pk).exists()


@pytest.mark.parametrize("kind", ["room", "track"])
def test_another_events_room_or_track_cannot_be_changed_from_my_event(client, kind):
    mine, theirs = EventFactory(), EventFactory()
    item = RoomFactory(event=theirs) if kind == "room" else TrackFactory(event=theirs)
    client.force_login(organizer_of(mine))
    response = client.post(url(mine, f"{kind}s/{item.pk}/"),
                           {f"{kind}-{item.pk}-name": "Hijacked"})
    assert response.status_code == 404
    assert client.post(url(mine, f"{kind}s/{item.pk}/delete/")).status_code == 404
    item.refresh_from_db()
    assert item.name != "Hijacked"


# --- Speakers ----------------------------------------------------------------------------


def test_adding_a_speaker_needs_a_name_role_or_organization(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    response = client.post(url(event, "speakers/"), {"new-name": "", "new-role": "",
                                                     "new-organization": "", "new-bio": ""})
    assert response.status_code == 400
    assert "Give the speaker a name, a role or an organization." in response.content.decode()
    response = client.post(url(event, "speakers/"), {"new-name": "Grace New", "new-role": "",
                                                     "new-organization": "", "new-bio": ""})
    assert response.status_code == 302
    assert Speaker.objects.filter(name="Grace New").exists()


def test_an_organizer_changes_a_speaker_of_their_own_events(client):
    event, session = event_with_session()
    speaker = SpeakerFactory(name="Old Name")
    session.speakers.add(speaker)
    client.force_login(organizer_of(event))
    response = client.post(url(event, f"speakers/{speaker.pk}/"), {
        "name": "New Name", "role": speaker.role, "organization": speaker.organization,
        "bio": "",
    })
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.name == "New Name"
    assert AuditEntry.objects.filter(event=event, object_type="speaker",
                                     action="changed").exists()


def test_a_speaker_shared_with_an_event_i_do_not_run_cannot_be_changed(client):
    event, session = event_with_session()
    shared = SpeakerFactory(name="Shared Name")
    session.speakers.add(shared)
    SessionFactory(event=EventFactory(), speakers=[shared])
    client.force_login(organizer_of(event))
    listing = client.get(url(event, "speakers/")).content.decode()
    assert "linked, not changeable" in listing
    page = client.get(url(event, f"speakers/{shared.pk}/"))
    assert "also speaks at events you do not run" in page.content.decode()
    response = client.post(url(event, f"speakers/{shared.pk}/"), {
        "name": "Renamed", "role": "", "organization": "", "bio": "",
    })
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.name == "Shared Name"


def test_a_speaker_shared_only_between_events_i_run_can_be_changed(client):
    event, session = event_with_session()
    organizer = organizer_of(event)
    second = EventFactory()
    grant(second, organizer)
    shared = SpeakerFactory(name="Shared Name")
    session.speakers.add(shared)
    SessionFactory(event=second, speakers=[shared])
    client.force_login(organizer)
    response = client.post(url(event, f"speakers/{shared.pk}/"), {
        "name": "Renamed", "role": "", "organization": "", "bio": "",
    })
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Renamed"
    assert AuditEntry.objects.filter(object_type="speaker", action="changed").count() == 2


def test_a_speaker_of_another_event_only_is_not_found_from_mine(client):
    mine = EventFactory()
    stranger = SpeakerFactory(name="Not Mine")
    SessionFactory(event=EventFactory(), speakers=[stranger])
    client.force_login(organizer_of(mine))
    assert client.get(url(mine, f"speakers/{stranger.pk}/")).status_code == 404
    response = client.post(url(mine, f"speakers/{stranger.pk}/"), {"name": "Hijacked"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.name == "Not Mine"


def test_nonsense_speaker_ids_are_refused_with_a_message_not_an_error(client):
    event, session = event_with_session()
    client.force_login(organizer_of(event))
    # "²" and "٥" are digits to str.isdigit(), not to int().
    for nonsense in ("abc", "99999999999999999999999", "-1", "\u00b2", "\u0665"):
        response = client.post(url(event, f"sessions/{session.pk}/"),
                               session_post(session, speakers=[nonsense]))
        assert response.status_code == 400, nonsense
    assert client.get(url(event, "sessions/99999999999999999999999/")).status_code == 404


def test_the_programme_pages_read_in_a_bounded_number_of_queries(client,
                                                                 django_assert_max_num_queries):
    event, session = event_with_session()
    client.force_login(organizer_of(event))

    def add_sessions(count):
        for _index in range(count):
            SessionFactory(event=event, room=session.room, track=session.track,
                           speakers=SpeakerFactory.create_batch(2))
            RegistrationFactory(event=event, session_ids=[session.pk])

    add_sessions(2)
    for path in ("", "speakers/"):
        with django_assert_max_num_queries(14):
            assert client.get(url(event, path)).status_code == 200
    add_sessions(8)
    for path in ("", "speakers/"):
        with django_assert_max_num_queries(14):
            assert client.get(url(event, path)).status_code == 200


def test_a_session_cannot_be_moved_to_another_event_through_the_form(client):
    event, session = event_with_session()
    other = EventFactory()
    grant(other, organizer := organizer_of(event))
    client.force_login(organizer)
    response = client.post(url(event, f"sessions/{session.pk}/"),
                           session_post(session, event=other.pk, title="Still here"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.event_id, session.title) == (event.pk, "Still here")
