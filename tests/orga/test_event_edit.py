"""The event's details, publishing and cancelling it, in the organizer area."""

import datetime as dt
import zoneinfo

import pytest

from agenda.enums import AuditVia, EventStatus, Role
from agenda.models import AuditEntry, Event
from notifications.enums import MessageKind
from notifications.models import Delivery
from registrations.services import cancel_registration
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    TagFactory,
    UserFactory,
    grant,
)
from tests.orga.support import in_a_month, local_input, organizer_of

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def event_post(event, **overrides) -> dict:
    data = {
        "title": event.title, "summary": event.summary, "description": event.description,
        "kind": event.kind, "format": event.format, "timezone": event.timezone,
        "start": local_input(event, event.start), "end": local_input(event, event.end),
        "venue_name": event.venue_name, "venue_address": event.venue_address,
        "online_url": event.online_url,
        "capacity": event.capacity if event.capacity is not None else "",
        "registration_opens_at": "", "registration_closes_at": "",
        "reminder_offsets": "7d, 1d, 1h",
        "tags": [tag.pk for tag in event.tags.all()],
    }
    data.update(overrides)
    return data


def change_notices() -> int:
    return Delivery.objects.filter(kind=MessageKind.CHANGE_NOTICE).count()


def test_edit_form_shows_times_as_wall_clock_times_in_the_events_zone(client):
    event = EventFactory(timezone="America/New_York",
                         start=dt.datetime(2031, 3, 3, 14, 0, tzinfo=dt.UTC),
                         end=dt.datetime(2031, 3, 3, 22, 0, tzinfo=dt.UTC))
    client.force_login(organizer_of(event))
    page = client.get(f"/orga/events/{event.slug}/edit/").content.decode()
    assert 'value="2031-03-03T09:00"' in page  # 14:00 UTC is 9:00 in New York


def test_saving_the_event_reads_typed_times_in_its_zone_and_records_who_did_it(client):
    event = EventFactory(status=EventStatus.DRAFT, timezone="America/New_York",
                         start=dt.datetime(2031, 3, 3, 14, 0, tzinfo=dt.UTC),
                         end=dt.datetime(2031, 3, 3, 22, 0, tzinfo=dt.UTC))
    organizer = organizer_of(event)
    topic = TagFactory()
    client.force_login(organizer)
    response = client.post(f"/orga/events/{event.slug}/edit/", event_post(
        event, title="Renamed forum", start="2031-03-03T10:30", tags=[topic.pk],
    ))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed forum"
    assert event.start == dt.datetime(2031, 3, 3, 10, 30, tzinfo=NEW_YORK)
    assert list(event.tags.all()) == [topic]
    entry = AuditEntry.objects.filter(event=event, action="changed").get()
    assert entry.actor == organizer
    assert entry.via == AuditVia.ORGA
    assert entry.changes["title"][1] == "Renamed forum"
    assert AuditEntry.objects.filter(event=event, action="links_changed").exists()


def test_invalid_event_details_come_back_with_the_rules_message_and_nothing_saved(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    before = (event.title, event.end)
    response = client.post(f"/orga/events/{event.slug}/edit/", event_post(
        event, title="Changed", end=local_input(event, event.start - dt.timedelta(hours=1)),
    ))
    assert response.status_code == 400
    assert "The event must end after it starts." in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.end) == before


def test_an_in_person_event_without_venue_is_refused_with_the_models_words(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/edit/",
                           event_post(event, venue_name=""))
    assert response.status_code == 400
    assert "An in-person or hybrid event needs a venue." in response.content.decode()


def test_moving_a_published_event_asks_first_and_saves_nothing_before_the_yes(client):
    event = EventFactory(start=in_a_month())
    RegistrationFactory.create_batch(3, event=event)
    cancel_registration(registration=RegistrationFactory(event=event))  # hears nothing
    client.force_login(organizer_of(event))
    notices = change_notices()
    new_start = event.start + dt.timedelta(hours=1)
    data = event_post(event, start=local_input(event, new_start))

    response = client.post(f"/orga/events/{event.slug}/edit/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "3 attendees will be emailed about this change." in page
    assert 'name="confirmed" value="1"' in page
    assert f'value="{data["start"]}"' in page  # the same fields go back
    event.refresh_from_db()
    assert event.start != new_start
    assert change_notices() == notices

    response = client.post(f"/orga/events/{event.slug}/edit/", {**data, "confirmed": "1"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.start == new_start
    assert change_notices() == notices + 3


def test_changes_nobody_hears_of_are_saved_without_a_confirmation(client):
    event = EventFactory()
    RegistrationFactory(event=event)
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/edit/",
                           event_post(event, title="Only the title"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Only the title"


def test_a_draft_moves_without_confirmation(client):
    event = EventFactory(status=EventStatus.DRAFT, start=in_a_month())
    client.force_login(organizer_of(event))
    new_start = event.start - dt.timedelta(days=1)
    response = client.post(f"/orga/events/{event.slug}/edit/",
                           event_post(event, start=local_input(event, new_start)))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.start == new_start


def test_publishing_a_draft_needs_no_confirmation(client):
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/status/", {"action": "publish"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_cancelling_a_published_event_says_who_is_emailed_then_cancels_on_yes(client):
    event = EventFactory()
    RegistrationFactory(event=event)
    client.force_login(organizer_of(event))
    notices = change_notices()
    response = client.post(f"/orga/events/{event.slug}/status/", {"action": "cancel"})
    assert response.status_code == 200
    assert "1 attendee will be emailed about this change." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert change_notices() == notices

    response = client.post(f"/orga/events/{event.slug}/status/",
                           {"action": "cancel", "confirmed": "1"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert change_notices() == notices + 1


def test_an_unknown_status_action_changes_nothing(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/status/", {"action": "delete"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


EVENT_URLS = ["edit/", "status/", "clone/", "preview/", "programme/", "programme/rooms/",
              "programme/tracks/", "programme/speakers/", "programme/sessions/new/"]


@pytest.mark.parametrize("url", EVENT_URLS)
def test_another_organizers_event_is_not_found_to_read_or_change(client, url):
    mine, theirs = EventFactory(), EventFactory(status=EventStatus.DRAFT)
    client.force_login(organizer_of(mine))
    assert client.get(f"/orga/events/{theirs.slug}/{url}").status_code in (404, 405)
    assert client.post(f"/orga/events/{theirs.slug}/{url}",
                       {"action": "publish", "title": "Taken over", "name": "X"}
                       ).status_code in (404, 405)
    theirs.refresh_from_db()
    assert theirs.status == EventStatus.DRAFT
    assert theirs.title != "Taken over"
    assert not theirs.rooms.exists() and not theirs.tracks.exists()
    assert not theirs.sessions.exists()


@pytest.mark.parametrize("url", ["edit/", "programme/", "clone/", "preview/"])
def test_a_check_in_helper_may_not_change_the_event(client, url):
    event = EventFactory()
    helper = UserFactory()
    grant(event, helper, role=Role.CHECKIN)
    client.force_login(helper)
    assert client.get(f"/orga/events/{event.slug}/{url}").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    event = EventFactory()
    response = client.get(f"/orga/events/{event.slug}/edit/")
    assert response.status_code == 302
    assert "/orga/login/" in response["Location"]


def test_the_event_tabs_lead_to_the_event_and_its_programme(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    page = client.get(f"/orga/events/{event.slug}/").content.decode()
    assert f'href="/orga/events/{event.slug}/edit/"' in page
    assert f'href="/orga/events/{event.slug}/programme/"' in page


def test_unchanged_events_stay_unchanged(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/edit/", event_post(event))
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).sequence == event.sequence


def test_nonsense_topic_ids_are_refused_with_a_message_not_an_error(client):
    event = EventFactory()
    client.force_login(organizer_of(event))
    for nonsense in ("abc", "99999999999999999999999"):
        response = client.post(f"/orga/events/{event.slug}/edit/",
                               event_post(event, tags=[nonsense]))
        assert response.status_code == 400, nonsense


def test_a_reminder_past_any_date_is_refused_on_the_form_and_nothing_saved(client):
    event = EventFactory(reminder_offsets=[60])
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/edit/",
                           event_post(event, reminder_offsets="99999999999999999999d"))
    assert response.status_code == 400
    assert "A reminder goes out at most 366 days" in response.content.decode()
    event.refresh_from_db()
    assert event.reminder_offsets == [60]


def test_moving_an_event_a_week_refuses_while_its_sessions_would_stay_behind(client):
    event = EventFactory(start=in_a_month())
    SessionFactory(event=event)
    client.force_login(organizer_of(event))
    week = dt.timedelta(days=7)
    response = client.post(f"/orga/events/{event.slug}/edit/", event_post(
        event, start=local_input(event, event.start + week),
        end=local_input(event, event.end + week),
    ))
    assert response.status_code == 400
    assert "would fall outside the event&#x27;s new dates" in response.content.decode()


def test_moving_an_event_with_its_sessions_moves_them_alike_after_confirmation(client):
    event = EventFactory(start=in_a_month())
    session = SessionFactory(event=event)
    RegistrationFactory(event=event, session_ids=[session.pk])
    client.force_login(organizer_of(event))
    notices = change_notices()
    week = dt.timedelta(days=7)
    data = event_post(event, start=local_input(event, event.start + week),
                      end=local_input(event, event.end + week), move_sessions="on")

    response = client.post(f"/orga/events/{event.slug}/edit/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 session moves with the event" in page
    assert "1 attendee will be emailed about this change." in page
    session.refresh_from_db()
    original_start = session.start

    response = client.post(f"/orga/events/{event.slug}/edit/", {**data, "confirmed": "1"})
    assert response.status_code == 302
    session.refresh_from_db()

    def wall(moment):
        return event.localize(moment).replace(tzinfo=None)

    # A week later, at the same wall-clock time in the event's zone.
    assert wall(session.start) == wall(original_start) + week
    assert session.sequence == 1
    assert change_notices() == notices + 1  # one notice tells of both changes


def test_a_session_that_cannot_follow_is_refused_on_the_form(client):
    event = EventFactory(start=in_a_month())
    SessionFactory(event=event, start=event.end - dt.timedelta(hours=1), end=event.end)
    client.force_login(organizer_of(event))
    response = client.post(f"/orga/events/{event.slug}/edit/", event_post(
        event, start=local_input(event, event.start + dt.timedelta(hours=2)),
        move_sessions="on",
    ))
    assert response.status_code == 400
    assert "The session must take place within its event" in response.content.decode()
    assert Event.objects.get(pk=event.pk).start == event.start
