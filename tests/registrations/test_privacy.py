"""Personal data: seen only by its owner, exported on request, erased in place."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.services import send_delivery
from registrations import selectors, services
from registrations.enums import CancelledBy, RegistrationStatus
from registrations.models import IdempotencyRecord, Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def manage_url(token: str, action: str = "") -> str:
    return f"/api/v1/registrations/{token}/{action + '/' if action else ''}"


def past_event(**fields):
    start = timezone.now() - dt.timedelta(days=fields.pop("days_ago", 40))
    return EventFactory(start=start, end=start + dt.timedelta(hours=8), **fields)


def registered_before(event, **fields) -> Registration:
    """A registration made while the (now past) event was still open."""
    return RegistrationFactory(event=event, now=event.start - dt.timedelta(days=7), **fields)


# --- Export -------------------------------------------------------------------------------------


def test_data_export_contains_what_is_stored_about_the_person(api_client):
    event = EventFactory(slug="summit")
    session = SessionFactory(event=event, title="Opening plenary")
    registration = RegistrationFactory(event=event, name="Amina Diallo",
                                       email="amina@example.org", organization="Coop",
                                       session_ids=[session.pk])

    response = api_client.get(manage_url(registration.manage_token, "data"))

    body = response.json()
    assert response["Content-Disposition"] == 'attachment; filename="registration-summit.json"'
    assert {key: body[key] for key in ("id", "name", "email", "organization", "status")} == {
        "id": str(registration.public_id),
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "organization": "Coop",
        "status": "confirmed",
    }
    assert [item["title"] for item in body["sessions"]] == ["Opening plenary"]
    assert dt.datetime.fromisoformat(body["consented_at"]) == registration.consented_at
    assert dt.datetime.fromisoformat(body["created_at"]) == registration.created_at
    assert body["event"]["slug"] == "summit"


# --- Erasure ------------------------------------------------------------------------------------


def test_erasure_anonymizes_in_place_and_gives_the_seat_to_the_next_person(api_client):
    event = EventFactory(capacity=1)
    workshop = SessionFactory(event=event, capacity=1)
    erased = RegistrationFactory(event=event, name="Amina Diallo", email="amina@example.org",
                                 organization="Coop", session_ids=[workshop.pk],
                                 attendee_timezone="Africa/Dakar")
    waiting = RegistrationFactory(event=event, session_ids=[workshop.pk])
    manage_token, feed_token = erased.manage_token, erased.feed_token

    response = api_client.post(manage_url(manage_token, "erase"))

    assert response.status_code == 204
    erased.refresh_from_db()
    assert (erased.name, erased.organization, erased.timezone) == ("", "", "")
    assert erased.email == f"erased-{erased.public_id.hex}@erased.invalid"
    assert erased.status == RegistrationStatus.CANCELLED
    assert erased.cancelled_by == CancelledBy.ERASURE
    assert erased.erased_at is not None
    assert Registration.objects.filter(event=event).count() == 2
    assert Registration.objects.filter(name__icontains="Amina").count() == 0
    assert Registration.objects.filter(email__icontains="amina").count() == 0
    # Nothing more is sent to the erased address; the next person gets the seat.
    assert sorted(erased.deliveries.values_list("kind", flat=True)) == ["registration_confirmed"]
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert sorted(waiting.deliveries.values_list("kind", flat=True)) == [
        "promoted", "registration_waitlisted",
    ]
    event.refresh_from_db()
    workshop.refresh_from_db()
    assert (event.seats_taken, workshop.seats_taken) == (1, 1)
    assert api_client.get(manage_url(manage_token)).status_code == 404
    assert api_client.get(manage_url(manage_token, "data")).status_code == 404
    assert selectors.registration_by_feed_token(feed_token) is None


def test_email_still_pending_for_an_erased_registration_is_not_sent(api_client):
    registration = RegistrationFactory(email="amina@example.org")
    confirmation = registration.deliveries.get()
    api_client.delete(manage_url(registration.manage_token))

    sent = send_delivery(delivery_id=confirmation.pk)

    confirmation.refresh_from_db()
    assert (sent, confirmation.status) == (False, DeliveryStatus.SKIPPED)
    assert mail.outbox == []


def test_erasing_a_registration_for_a_past_event_keeps_it_in_the_attendance():
    event = past_event(capacity=10)
    registration = registered_before(event, name="Amina Diallo")

    services.erase_personal_data(registration=registration)

    registration.refresh_from_db()
    assert (registration.status, registration.name) == (RegistrationStatus.CONFIRMED, "")
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_erasing_twice_keeps_the_first_erasure():
    registration = RegistrationFactory()
    services.erase_personal_data(registration=registration)
    registration.refresh_from_db()
    first = (registration.erased_at, registration.email, registration.manage_secret)

    services.erase_personal_data(registration=registration)

    registration.refresh_from_db()
    assert (registration.erased_at, registration.email, registration.manage_secret) == first


def test_anonymizing_past_registrations_erases_only_events_over_long_enough():
    long_over = registered_before(past_event(days_ago=40), name="Long Ago")
    recently_over = registered_before(past_event(days_ago=10), name="Recently")
    upcoming = RegistrationFactory(name="Upcoming")

    erased = services.anonymize_past_registrations(older_than=dt.timedelta(days=30))
    again = services.anonymize_past_registrations(older_than=dt.timedelta(days=30))

    assert (erased, again) == (1, 0)
    names = [Registration.objects.get(pk=r.pk).name for r in (long_over, recently_over, upcoming)]
    assert names == ["", "Recently", "Upcoming"]


def test_erasure_also_forgets_the_replayable_first_response(api_client):
    event = EventFactory()
    created = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {"name": "Amina Diallo", "email": "amina@example.org", "consent": True},
        format="json",
        HTTP_IDEMPOTENCY_KEY="first-try",
    )
    other = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {"name": "Someone Else", "email": "else@example.org", "consent": True},
        format="json",
        HTTP_IDEMPOTENCY_KEY="other-try",
    )
    token = Registration.objects.get(email="amina@example.org").manage_token

    api_client.post(manage_url(token, "erase"))

    assert (created.status_code, other.status_code) == (201, 201)
    remaining = [record.response_body["email"] for record in IdempotencyRecord.objects.all()]
    assert remaining == ["else@example.org"]


def test_anonymize_command_erases_registrations_of_events_over_long_enough():
    long_over = registered_before(past_event(days_ago=40), name="Long Ago")
    recently_over = registered_before(past_event(days_ago=10), name="Recently")
    out = StringIO()

    call_command("anonymize_past_registrations", "--older-than", "30d", stdout=out)

    assert out.getvalue() == "Anonymized 1 registration(s).\n"
    long_over.refresh_from_db()
    recently_over.refresh_from_db()
    assert (long_over.name, recently_over.name) == ("", "Recently")
    assert long_over.email == f"erased-{long_over.public_id.hex}@erased.invalid"


@pytest.mark.parametrize("older_than", ["soon", "30d, 1d", ""])
def test_anonymize_command_refuses_a_duration_it_cannot_read(older_than):
    registration = registered_before(past_event(days_ago=40), name="Long Ago")

    with pytest.raises(CommandError):
        call_command("anonymize_past_registrations", "--older-than", older_than)

    registration.refresh_from_db()
    assert registration.name == "Long Ago"


# --- Who sees what ------------------------------------------------------------------------------


def test_there_is_no_public_list_of_registrations(api_client):
    event = EventFactory()
    RegistrationFactory(event=event, name="Amina Diallo")

    everyone = api_client.get("/api/v1/registrations/")
    of_event = api_client.get(f"/api/v1/events/{event.slug}/registrations/")

    assert everyone.status_code in (404, 405)
    assert of_event.status_code == 401  # the event's organizers' list, with credentials only
    assert "Amina" not in everyone.content.decode()
    assert "Amina" not in of_event.content.decode()


def test_public_event_api_shows_neither_attendees_nor_the_join_link(api_client):
    event = EventFactory(online_url="https://meet.example.org/private-room")
    RegistrationFactory(event=event, name="Amina Diallo", email="amina@example.org")

    detail = api_client.get(f"/api/v1/events/{event.slug}/").content.decode()
    listing = api_client.get("/api/v1/events/").content.decode()

    for text in (detail, listing):
        assert "private-room" not in text
        assert "Amina" not in text
        assert "amina@example.org" not in text


def test_waitlisted_registration_never_carries_the_join_link(api_client):
    event = EventFactory(capacity=1, online_url="https://meet.example.org/private-room")
    RegistrationFactory(event=event)

    created = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {"name": "Amina", "email": "amina@example.org", "consent": True},
        format="json",
    )
    registration = Registration.objects.get(email="amina@example.org")
    shown = api_client.get(manage_url(registration.manage_token))
    rotated = api_client.post(manage_url(registration.manage_token, "feed-token"))

    assert created.json()["status"] == "waitlisted"
    for response in (created, shown, rotated):
        assert response.json()["online_url"] is None
        assert "private-room" not in response.content.decode()


def test_waitlist_email_does_not_carry_the_join_link():
    event = EventFactory(capacity=1, online_url="https://meet.example.org/private-room")
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    notice = waiting.deliveries.get(kind=MessageKind.REGISTRATION_WAITLISTED)

    send_delivery(delivery_id=notice.pk)

    assert len(mail.outbox) == 1
    assert "private-room" not in mail.outbox[0].body
    assert Delivery.objects.get(pk=notice.pk).status == DeliveryStatus.SENT
