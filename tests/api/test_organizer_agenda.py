"""Organizers write the agenda through the API: the admin's services, rules and messages,
scoped by role, audited as API changes."""

import datetime as dt

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agenda import signals
from agenda.enums import AuditVia, EventStatus, Role, SessionStatus
from agenda.models import AuditEntry, Event, EventRole, Room, Session, Speaker
from notifications.enums import MessageKind
from notifications.models import Delivery
from tests.factories import (
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db


def new_event_body(**fields) -> dict:
    start = dt.datetime(2031, 3, 10, 9, 0, tzinfo=dt.UTC)
    return {
        "slug": "spring-forum", "title": "Spring Forum", "kind": "forum", "format": "online",
        "timezone": "Europe/Paris", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=6)).isoformat(), **fields,
    }


def test_drf_create_token_gives_a_token_that_authenticates(organizer_a, event_a):
    call_command("drf_create_token", organizer_a.username)
    token = Token.objects.get(user=organizer_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(f"/api/v1/events/{event_a.slug}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_writes_without_credentials_are_401_with_the_scheme_to_use(event_a):
    response = APIClient().post(f"/api/v1/events/{event_a.slug}/publish/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_revoked_token_is_refused(client_a, organizer_a, event_a):
    Token.objects.filter(user=organizer_a).delete()

    response = client_a.patch(f"/api/v1/events/{event_a.slug}/", {"title": "X"}, format="json")

    assert response.status_code == 401


def test_organizer_creates_a_draft_and_becomes_its_organizer(client_a, organizer_a):
    response = client_a.post("/api/v1/events/", new_event_body(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["start"] == "2031-03-10T10:00:00+01:00"
    event = Event.objects.get(slug="spring-forum")
    assert EventRole.objects.filter(event=event, user=organizer_a,
                                    role=Role.ORGANIZER).exists()
    entry = AuditEntry.objects.get(event=event, action="created")
    assert (entry.actor, entry.via) == (organizer_a, AuditVia.API)


def test_draft_is_visible_to_its_organizers_only(client_a, client_b):
    client_a.post("/api/v1/events/", new_event_body(), format="json")

    assert client_a.get("/api/v1/events/spring-forum/").status_code == 200
    assert client_b.get("/api/v1/events/spring-forum/").status_code == 404
    assert APIClient().get("/api/v1/events/spring-forum/").status_code == 404
    assert client_b.patch("/api/v1/events/spring-forum/", {"title": "Mine"},
                          format="json").status_code == 404


def test_someone_organizing_nothing_cannot_create_events(db):
    from tests.factories import UserFactory

    response = client_for(UserFactory()).post("/api/v1/events/", new_event_body(),
                                              format="json")

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_invalid_event_gets_the_models_messages(client_a, event_a):
    response = client_a.patch(
        f"/api/v1/events/{event_a.slug}/",
        {"end": (event_a.start - dt.timedelta(hours=1)).isoformat()}, format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"end": ["The event must end after it starts."]}


def test_taken_slug_is_refused_with_the_admins_message(client_a, event_a):
    response = client_a.post("/api/v1/events/", new_event_body(slug=event_a.slug),
                             format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": ["Event with this Slug already exists."]}


def test_organizer_of_a_cannot_change_event_b(client_a, event_b):
    before = Event.objects.get(pk=event_b.pk)

    responses = [
        client_a.patch(f"/api/v1/events/{event_b.slug}/", {"title": "Hijacked"}, format="json"),
        client_a.post(f"/api/v1/events/{event_b.slug}/cancel/"),
        client_a.post(f"/api/v1/events/{event_b.slug}/reschedule/",
                      {"start": before.start.isoformat(), "end": before.end.isoformat()},
                      format="json"),
        client_a.delete(f"/api/v1/events/{event_b.slug}/"),
        client_a.post(f"/api/v1/events/{event_b.slug}/rooms/", {"name": "Mine"},
                      format="json"),
    ]

    assert [response.status_code for response in responses] == [403] * 5
    after = Event.objects.get(pk=event_b.pk)
    assert (after.title, after.status) == (before.title, before.status)
    assert not Room.objects.filter(event=event_b).exists()


def test_check_in_helper_cannot_change_the_event(helper_client, event_a):
    response = helper_client.patch(f"/api/v1/events/{event_a.slug}/", {"title": "X"},
                                   format="json")

    assert response.status_code == 403


def test_publish_is_an_action_that_sends_event_published(client_a, event_a):
    Event.objects.filter(pk=event_a.pk).update(status=EventStatus.DRAFT)
    SessionFactory(event=event_a)
    heard = []

    def listen(sender, **kwargs):
        heard.append(sender.__name__)

    signals.event_published.connect(listen, dispatch_uid="test.published")
    signals.session_published.connect(listen, dispatch_uid="test.session_published")
    try:
        response = client_a.post(f"/api/v1/events/{event_a.slug}/publish/")
    finally:
        signals.event_published.disconnect(dispatch_uid="test.published")
        signals.session_published.disconnect(dispatch_uid="test.session_published")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert heard == ["Event", "Session"]


def test_reschedule_moves_the_sessions_and_tells_the_attendees(client_a, event_a):
    session = SessionFactory(event=event_a)
    attendee = RegistrationFactory(event=event_a)
    shift = dt.timedelta(days=7)

    response = client_a.post(
        f"/api/v1/events/{event_a.slug}/reschedule/",
        {"start": (event_a.start + shift).isoformat(), "end": (event_a.end + shift).isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.json()
    moved = Session.objects.get(pk=session.pk)
    assert (moved.start, moved.sequence) == (session.start + shift, session.sequence + 1)
    assert Event.objects.get(pk=event_a.pk).sequence == event_a.sequence + 1
    assert Delivery.objects.filter(registration=attendee, kind=MessageKind.CHANGE_NOTICE).exists()
    entry = AuditEntry.objects.get(event=event_a, action="changed")
    assert entry.via == AuditVia.API and "start" in entry.changes


def test_event_with_registrations_cannot_be_deleted(client_a, event_a):
    RegistrationFactory(event=event_a)

    response = client_a.delete(f"/api/v1/events/{event_a.slug}/")

    assert response.status_code == 409
    assert response.json()["code"] == "event_has_registrations"
    assert Event.objects.filter(pk=event_a.pk).exists()


def test_organizer_adds_changes_cancels_and_deletes_a_session(client_a, event_a):
    room = RoomFactory(event=event_a)
    speaker = SpeakerFactory()
    start = event_a.start + dt.timedelta(hours=1)

    created = client_a.post("/api/v1/sessions/", {
        "event": event_a.slug, "title": "Opening", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(), "room": room.pk,
        "speakers": [speaker.pk],
    }, format="json")
    assert created.status_code == 201, created.json()
    session_id = created.json()["id"]
    assert created.json()["speakers"][0]["id"] == speaker.pk

    changed = client_a.patch(f"/api/v1/sessions/{session_id}/", {"title": "Welcome"},
                             format="json")
    assert (changed.status_code, changed.json()["title"]) == (200, "Welcome")

    cancelled = client_a.post(f"/api/v1/sessions/{session_id}/cancel/")
    assert cancelled.json()["status"] == SessionStatus.CANCELLED

    assert client_a.delete(f"/api/v1/sessions/{session_id}/").status_code == 204
    assert not Session.objects.filter(pk=session_id).exists()


def test_a_session_cannot_use_a_room_of_another_event(client_a, event_a, event_b):
    start = event_a.start + dt.timedelta(hours=1)

    response = client_a.post("/api/v1/sessions/", {
        "event": event_a.slug, "title": "Opening", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "room": RoomFactory(event=event_b).pk,
    }, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"room": ["The room belongs to another event."]}


def test_organizer_of_a_cannot_add_or_change_sessions_of_b(client_a, event_b):
    session = SessionFactory(event=event_b)
    start = event_b.start + dt.timedelta(hours=1)

    add = client_a.post("/api/v1/sessions/", {
        "event": event_b.slug, "title": "Mine", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
    }, format="json")
    change = client_a.patch(f"/api/v1/sessions/{session.pk}/", {"title": "Mine"},
                            format="json")
    cancel = client_a.post(f"/api/v1/sessions/{session.pk}/cancel/")

    assert [add.status_code, change.status_code, cancel.status_code] == [403, 403, 403]
    assert Session.objects.get(pk=session.pk).title == session.title


def test_session_reschedule_tells_its_attendees(client_a, event_a):
    session = SessionFactory(event=event_a)
    attendee = RegistrationFactory(event=event_a, session_ids=[session.pk])

    response = client_a.post(f"/api/v1/sessions/{session.pk}/reschedule/", {
        "start": (session.start + dt.timedelta(hours=2)).isoformat(),
        "end": (session.end + dt.timedelta(hours=2)).isoformat(),
    }, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["sequence"] == 1
    assert Delivery.objects.filter(registration=attendee, kind=MessageKind.CHANGE_NOTICE).exists()


def test_rooms_and_tracks_are_written_by_organizers_read_by_anyone(client_a, event_a):
    room = client_a.post(f"/api/v1/events/{event_a.slug}/rooms/", {"name": "Hall", "capacity": 80},
                         format="json")
    track = client_a.post(f"/api/v1/events/{event_a.slug}/tracks/",
                          {"name": "Policy", "slug": "policy", "color": "#114477"},
                          format="json")
    duplicate = client_a.post(f"/api/v1/events/{event_a.slug}/rooms/", {"name": "Hall"},
                              format="json")

    assert (room.status_code, track.status_code) == (201, 201)
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"] == {
        "__all__": ["Room with this Event and Name already exists."]
    }
    listed = APIClient().get(f"/api/v1/events/{event_a.slug}/rooms/").json()
    assert [item["name"] for item in listed] == ["Hall"]
    renamed = client_a.patch(f"/api/v1/events/{event_a.slug}/rooms/{room.json()['id']}/",
                             {"name": "Main hall"}, format="json")
    assert renamed.json()["name"] == "Main hall"
    assert client_a.delete(
        f"/api/v1/events/{event_a.slug}/tracks/{track.json()['id']}/"
    ).status_code == 204


def test_a_room_of_another_event_is_not_found_through_this_one(client_a, event_a, event_b):
    room = RoomFactory(event=event_b)
    TrackFactory(event=event_b)

    response = client_a.patch(f"/api/v1/events/{event_a.slug}/rooms/{room.pk}/",
                              {"name": "Mine"}, format="json")

    assert response.status_code == 404


def test_a_speaker_shared_with_someone_elses_event_cannot_be_changed(client_a, event_a,
                                                                     event_b):
    shared = SpeakerFactory(name="Ada")
    SessionFactory(event=event_a, speakers=[shared])
    SessionFactory(event=event_b, speakers=[shared])
    own = SpeakerFactory(name="Grace")
    SessionFactory(event=event_a, speakers=[own])

    refused = client_a.patch(f"/api/v1/speakers/{shared.pk}/", {"bio": "Mine"}, format="json")
    allowed = client_a.patch(f"/api/v1/speakers/{own.pk}/", {"bio": "Pioneer"}, format="json")

    assert refused.status_code == 403
    assert Speaker.objects.get(pk=shared.pk).bio == ""
    assert (allowed.status_code, allowed.json()["bio"]) == (200, "Pioneer")


def test_speakers_of_other_events_are_not_listed(client_a, event_b):
    SessionFactory(event=event_b, speakers=[SpeakerFactory(name="Hidden")])

    names = [speaker["name"] for speaker in client_a.get("/api/v1/speakers/").json()]

    assert "Hidden" not in names


def test_speaker_without_a_description_gets_the_models_message(client_a):
    response = client_a.post("/api/v1/speakers/", {"bio": "Nameless"}, format="json")

    assert response.status_code == 400
    # The admin's form shows the same two: the model's clean() and its constraint.
    assert response.json()["errors"]["__all__"][0] == (
        "Give the speaker a name, a role or an organization."
    )


def test_event_list_shows_drafts_to_their_organizers_only(client_a, event_a, event_b):
    Event.objects.filter(pk__in=[event_a.pk, event_b.pk]).update(status=EventStatus.DRAFT)

    public = APIClient().get("/api/v1/events/").json()
    own = client_a.get("/api/v1/events/").json()

    assert [event["slug"] for event in public["results"]] == []
    assert [event["slug"] for event in own["results"]] == ["event-a"]


def test_the_api_user_is_not_left_acting_after_the_request(client_a, event_a):
    from agenda import audit

    client_a.post(f"/api/v1/events/{event_a.slug}/cancel/")

    assert audit.current_actor() is None
