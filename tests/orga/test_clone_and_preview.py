"""Cloning an event as a draft, and previewing a draft as attendees will see it."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from agenda import audit, services
from agenda.enums import AuditVia, EventStatus, Role, SessionStatus
from agenda.models import AuditEntry, Event, EventRole
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    TrackFactory,
    UserFactory,
)
from tests.orga.support import organizer_of

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def source_event() -> Event:
    """An event in Brussels winter time (UTC+1) with a full programme."""
    event = EventFactory(
        start=dt.datetime(2031, 1, 14, 9, 0, tzinfo=BRUSSELS),
        end=dt.datetime(2031, 1, 15, 18, 0, tzinfo=BRUSSELS),
        registration_opens_at=dt.datetime(2030, 12, 1, 8, 0, tzinfo=BRUSSELS),
        registration_closes_at=dt.datetime(2031, 1, 13, 12, 0, tzinfo=BRUSSELS),
        capacity=120, requires_approval=True, reminder_offsets=[2880, 30],
        tags=TagFactory.create_batch(2),
    )
    room, track = RoomFactory(event=event, capacity=40), TrackFactory(event=event, color="#123456")
    speakers = SpeakerFactory.create_batch(2)
    SessionFactory(event=event, title="Opening", room=room, track=track, capacity=30,
                   start=dt.datetime(2031, 1, 14, 9, 30, tzinfo=BRUSSELS),
                   end=dt.datetime(2031, 1, 14, 10, 30, tzinfo=BRUSSELS), speakers=speakers)
    SessionFactory(event=event, title="Dropped", status=SessionStatus.CANCELLED,
                   start=dt.datetime(2031, 1, 15, 9, 0, tzinfo=BRUSSELS),
                   end=dt.datetime(2031, 1, 15, 10, 0, tzinfo=BRUSSELS))
    return event


def test_clone_copies_the_programme_as_a_draft_with_every_time_shifted_alike():
    event = source_event()
    RegistrationFactory(event=EventFactory())  # seats elsewhere stay elsewhere
    cloner = UserFactory()
    # Summer time (UTC+2) in Brussels: wall-clock times are kept, not UTC distances.
    new_start = dt.datetime(2031, 6, 10, 9, 0, tzinfo=BRUSSELS)
    with audit.acting_as(cloner, via=AuditVia.ORGA):
        clone = services.clone_event(event=event, new_start=new_start, slug="forum-june",
                                     title="Forum, June", cloned_by=cloner)

    clone.refresh_from_db()
    assert (clone.slug, clone.title, clone.status) == ("forum-june", "Forum, June",
                                                        EventStatus.DRAFT)
    assert clone.start == new_start
    assert clone.end == dt.datetime(2031, 6, 11, 18, 0, tzinfo=BRUSSELS)
    assert clone.registration_opens_at == dt.datetime(2031, 4, 27, 8, 0, tzinfo=BRUSSELS)
    assert clone.registration_closes_at == dt.datetime(2031, 6, 9, 12, 0, tzinfo=BRUSSELS)
    assert (clone.capacity, clone.requires_approval, clone.reminder_offsets) == (
        120, True, [2880, 30])
    assert clone.seats_taken == 0
    assert set(clone.tags.all()) == set(event.tags.all())
    room = clone.rooms.get()
    track = clone.tracks.get()
    assert (room.name, room.capacity) == (event.rooms.get().name, 40)
    assert (track.name, track.slug, track.color) == (event.tracks.get().name,
                                                     event.tracks.get().slug, "#123456")
    session = clone.sessions.get()  # the cancelled one stays behind
    original = event.sessions.get(title="Opening")
    assert (session.title, session.room, session.track, session.capacity) == (
        "Opening", room, track, 30)
    assert session.start == dt.datetime(2031, 6, 10, 9, 30, tzinfo=BRUSSELS)
    assert session.end == dt.datetime(2031, 6, 10, 10, 30, tzinfo=BRUSSELS)
    assert session.seats_taken == 0
    # Speakers are linked, not copied.
    assert set(session.speakers.all()) == set(original.speakers.all())
    assert EventRole.objects.filter(event=clone, user=cloner, role=Role.ORGANIZER).exists()
    entry = AuditEntry.objects.get(event=clone, action="cloned")
    assert entry.actor == cloner
    assert entry.changes["cloned_from"] == [None, event.slug]
    # The source is untouched.
    assert event.sessions.count() == 2 and event.rooms.count() == 1


def test_clone_to_a_taken_slug_is_refused_and_leaves_nothing_behind():
    event = source_event()
    taken = EventFactory()
    events_before = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.clone_event(event=event, new_start=event.start, slug=taken.slug,
                             title="Copy", cloned_by=UserFactory())
    assert "slug" in refused.value.message_dict
    assert Event.objects.count() == events_before


def test_the_clone_page_makes_a_draft_the_cloner_organizes(client):
    event = source_event()
    organizer = organizer_of(event)
    client.force_login(organizer)
    response = client.post(f"/orga/events/{event.slug}/clone/", {
        "title": "Forum again", "slug": "forum-again", "start": "2032-01-13T09:00",
    })
    assert response.status_code == 302
    assert response["Location"] == "/orga/events/forum-again/edit/"
    clone = Event.objects.get(slug="forum-again")
    assert clone.status == EventStatus.DRAFT
    assert clone.start == dt.datetime(2032, 1, 13, 9, 0, tzinfo=BRUSSELS)
    assert clone.sessions.get().start == dt.datetime(2032, 1, 13, 9, 30, tzinfo=BRUSSELS)
    assert AuditEntry.objects.filter(event=clone, action="cloned", actor=organizer,
                                     via=AuditVia.ORGA).exists()
    assert client.get("/orga/events/forum-again/edit/").status_code == 200


def test_the_clone_page_refuses_a_taken_slug_and_a_missing_start(client):
    event = source_event()
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/clone/", {
        "title": "Copy", "slug": event.slug, "start": "",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Another event has this address" in page
    assert "This field is required." in page


# --- Preview -----------------------------------------------------------------------------


def test_an_organizer_previews_a_draft_with_a_banner_and_registration_switched_off(client):
    event = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=event, title="Keynote on supply chains")
    client.force_login(organizer_of(event))
    response = client.get(f"/orga/events/{event.slug}/preview/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not published." in page
    assert session.title in page
    assert '<fieldset class="preview-disabled" disabled>' in page
    assert response["Cache-Control"] == "private, no-store"
    assert 'name="robots" content="noindex, nofollow"' in page


def test_the_preview_takes_no_registration(client):
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/preview/", {"name": "A", "email": "a@b.c"})
    assert response.status_code == 405
    assert not event.registrations.exists()


def test_the_public_page_of_a_draft_stays_not_found_even_for_its_organizer(client):
    event = EventFactory(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/").status_code == 404
    client.force_login(organizer_of(event))
    assert client.get(f"/events/{event.slug}/").status_code == 404


def test_nobody_else_previews_a_draft(client):
    event = EventFactory(status=EventStatus.DRAFT)
    assert client.get(f"/orga/events/{event.slug}/preview/").status_code == 302  # sign in
    client.force_login(organizer_of(EventFactory()))
    assert client.get(f"/orga/events/{event.slug}/preview/").status_code == 404


def test_the_public_page_shows_no_preview_banner(client):
    event = EventFactory()
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Preview — not published." not in page
    assert "preview-disabled" not in page


def test_the_event_work_pages_speak_french(client):
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(organizer_of(event))
    preview = client.get(f"/orga/events/{event.slug}/preview/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Aperçu — non publié." in preview.content.decode()
    programme = client.get(f"/orga/events/{event.slug}/programme/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Ajouter une session" in programme.content.decode()
