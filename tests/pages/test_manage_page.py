"""The manage page (/manage/{token}/) and its actions: whoever holds the link is the attendee."""

import datetime as dt
import json
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from registrations.enums import CancelledBy, RegistrationStatus
from registrations.models import Registration
from registrations.tokens import new_secret
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def page_of(registration: Registration, action: str = "") -> str:
    return f"/manage/{registration.manage_token}/{action + '/' if action else ''}"


def test_manage_page_shows_the_registration(client):
    event = EventFactory(title="Fair Wages Forum")
    session = SessionFactory(event=event, title="Living wage panel")
    registration = RegistrationFactory(event=event, name="Amina Diallo",
                                       email="amina@example.org", session_ids=[session.pk])

    response = client.get(page_of(registration))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Amina Diallo" in html and "amina@example.org" in html
    assert "Fair Wages Forum" in html
    assert "Confirmed" in html
    assert "Living wage panel" in html


def test_pages_under_a_token_are_private(client):
    registration = RegistrationFactory()

    for path in (page_of(registration), page_of(registration, "cancel"),
                 page_of(registration, "erase"), page_of(registration, "data")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path
        assert response["Referrer-Policy"] == "same-origin", path
    html = client.get(page_of(registration)).content.decode()
    assert '<meta name="referrer" content="same-origin">' in html
    assert 'property="og:' not in html  # nothing to share


def test_a_wrong_token_is_a_404_that_hints_at_nothing(client):
    registration = RegistrationFactory()
    wrong_secret = registration.public_id.hex + new_secret()
    unknown = uuid.uuid4().hex + new_secret()

    answers = [client.get(f"/manage/{token}/") for token in (wrong_secret, unknown, "abc")]

    assert [answer.status_code for answer in answers] == [404, 404, 404]
    bodies = {answer.content.decode() for answer in answers}
    assert all("Page not found" in body for body in bodies)
    assert all(registration.event.title not in body for body in bodies)


def test_changing_sessions_goes_through_the_service_and_redirects(client):
    event = EventFactory()
    kept = SessionFactory(event=event, title="Kept")
    dropped = SessionFactory(event=event, title="Dropped", capacity=3)
    added = SessionFactory(event=event, title="Added")
    registration = RegistrationFactory(event=event, session_ids=[kept.pk, dropped.pk])

    response = client.post(page_of(registration), {"sessions": [kept.pk, added.pk]})

    assert response.status_code == 302
    assert response["Location"] == page_of(registration)
    chosen = registration.session_choices.exclude(status="released")
    assert sorted(chosen.values_list("session_id", flat=True)) == [kept.pk, added.pk]
    dropped.refresh_from_db()
    assert dropped.seats_taken == 0
    assert "Your sessions are updated." in client.get(page_of(registration)).content.decode()


def test_changing_sessions_warns_of_overlaps(client):
    event = EventFactory()
    first = SessionFactory(event=event, start=event.start, end=event.start + dt.timedelta(hours=1))
    second = SessionFactory(event=event, start=event.start + dt.timedelta(minutes=15),
                            end=event.start + dt.timedelta(minutes=45))
    registration = RegistrationFactory(event=event)

    response = client.post(page_of(registration), {"sessions": [first.pk, second.pk]}, follow=True)

    assert "Some of your sessions overlap in time" in response.content.decode()


def test_a_full_session_cannot_be_added_but_a_held_one_stays_ticked(client):
    event = EventFactory()
    held = SessionFactory(event=event, title="Held", capacity=1)
    registration = RegistrationFactory(event=event, session_ids=[held.pk])
    full = SessionFactory(event=event, title="Full one", capacity=1)
    RegistrationFactory(event=event, session_ids=[full.pk])

    html = client.get(page_of(registration)).content.decode()
    refused = client.post(page_of(registration), {"sessions": [held.pk, full.pk]})

    assert f'value="{held.pk}" id="session-{held.pk}" checked>' in html
    assert f'value="{full.pk}" id="session-{full.pk}" disabled>' in html
    assert refused.status_code == 400
    assert "has just filled up" in refused.content.decode()


def test_cancelling_asks_first_then_cancels(client):
    event = EventFactory(capacity=1)
    registration = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)

    confirm = client.get(page_of(registration, "cancel"))
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED
    response = client.post(page_of(registration, "cancel"))

    assert "Yes, cancel my registration" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == page_of(registration)
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_by == CancelledBy.ATTENDEE
    assert waiting.status == RegistrationStatus.CONFIRMED
    page = client.get(page_of(registration)).content.decode()
    assert "Your registration is cancelled." in page
    assert "Cancel my registration" not in page


def test_a_finished_event_can_no_longer_be_changed(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    over = timezone.now() - dt.timedelta(days=1)
    type(event).objects.filter(pk=event.pk).update(start=over - dt.timedelta(hours=3), end=over)

    page = client.get(page_of(registration)).content.decode()
    refused = client.post(page_of(registration, "cancel"), follow=True)

    assert "Save my sessions" not in page
    assert "Cancel my registration" not in page
    assert "This event is over; the registration can no longer be changed." in (
        refused.content.decode()
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_erasing_asks_first_then_anonymizes_and_kills_the_link(client):
    registration = RegistrationFactory(name="Amina Diallo")
    token = registration.manage_token

    confirm = client.get(page_of(registration, "erase"))
    response = client.post(f"/manage/{token}/erase/")

    assert "Yes, erase my data" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/manage/erased/"
    registration.refresh_from_db()
    assert registration.name == ""
    assert registration.erased_at is not None
    assert client.get(f"/manage/{token}/").status_code == 404
    erased = client.get("/manage/erased/")
    assert "Your data is erased" in erased.content.decode()


def test_download_my_data_is_the_apis_json(client):
    event = EventFactory(slug="fair-wages")
    registration = RegistrationFactory(event=event, name="Amina Diallo")

    response = client.get(page_of(registration, "data"))

    body = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="registration-fair-wages.json"'
    assert body["name"] == "Amina Diallo"
    assert body["manage_url"] == f"{settings.SITE_URL}/manage/{registration.manage_token}/"
    assert body["consent_version"] == registration.consent_version
    assert "exported_at" in body


def test_personal_feed_can_be_subscribed_and_renewed(client):
    registration = RegistrationFactory()
    old_feed = f"{settings.SITE_URL}/feeds/me/{registration.feed_token}.ics"
    host = settings.SITE_URL.split("://", 1)[1]

    html = client.get(page_of(registration)).content.decode()
    response = client.post(page_of(registration, "calendar-link"))

    assert f'href="webcal://{host}/feeds/me/{registration.feed_token}.ics"' in html
    assert old_feed in html
    assert response.status_code == 302
    registration.refresh_from_db()
    renewed = client.get(page_of(registration)).content.decode()
    assert old_feed not in renewed
    assert f"/feeds/me/{registration.feed_token}.ics" in renewed
    assert "the old one no longer works" in renewed


def test_reminders_can_be_turned_off_and_on(client):
    registration = RegistrationFactory()

    client.post(page_of(registration, "reminders"), {"enabled": "off"})
    registration.refresh_from_db()
    off = registration.reminders_enabled
    page = client.get(page_of(registration)).content.decode()
    client.post(page_of(registration, "reminders"), {"enabled": "on"})
    registration.refresh_from_db()

    assert off is False
    assert "Turn reminders on" in page
    assert registration.reminders_enabled is True


def test_actions_refuse_get_where_they_change_state(client):
    registration = RegistrationFactory()

    assert client.get(page_of(registration, "calendar-link")).status_code == 405
    assert client.get(page_of(registration, "reminders")).status_code == 405


def test_the_join_link_is_for_confirmed_attendees_only(client):
    event = EventFactory(capacity=1, online_url="https://meet.example.org/room-42")
    confirmed = RegistrationFactory(event=event)
    waitlisted = RegistrationFactory(event=event)

    assert "room-42" in client.get(page_of(confirmed)).content.decode()
    assert "room-42" not in client.get(page_of(waitlisted)).content.decode()
