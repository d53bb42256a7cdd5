"""/api/v1/registrations/{token}/...: whoever holds the management link acts as the attendee."""

import base64
import datetime as dt
import uuid

import pytest
from django.conf import settings

from agenda.services import save_event
from notifications.models import Delivery
from registrations import selectors
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.tokens import new_secret
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def manage_url(token: str, action: str = "") -> str:
    return f"/api/v1/registrations/{token}/{action + '/' if action else ''}"


def status_of(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


def kinds(registration: Registration) -> list[str]:
    return sorted(registration.deliveries.values_list("kind", flat=True))


def never_issued_token() -> str:
    return uuid.uuid4().hex + new_secret()


# --- The token ----------------------------------------------------------------------------------


def test_manage_token_carries_at_least_128_bits_of_secret(api_client):
    event = EventFactory()
    response = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {"name": "Amina", "email": "amina@example.org", "consent": True},
        format="json",
    )
    token = response.json()["manage_url"].removeprefix(f"{settings.SITE_URL}/manage/")[:-1]

    public_id, secret = token[:32], token[32:]
    decoded = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))

    assert uuid.UUID(hex=public_id) == Registration.objects.get().public_id
    assert len(decoded) >= 16
    assert token == Registration.objects.get().manage_token


def test_every_registration_gets_its_own_secrets():
    event = EventFactory()
    first, second = RegistrationFactory.create_batch(2, event=event)

    secrets = {first.manage_secret, first.feed_secret, second.manage_secret, second.feed_secret}

    assert len(secrets) == 4
    assert first.manage_token != first.feed_token


def altered(token: str, index: int) -> str:
    replacement = "A" if token[index] != "A" else "B"
    if index < 32:
        replacement = "0" if token[index] != "0" else "1"
    return token[:index] + replacement + token[index + 1:]


WRONG_TOKENS = {
    "last secret char changed": lambda token: altered(token, len(token) - 1),
    "first secret char changed": lambda token: altered(token, 32),
    "id char changed": lambda token: altered(token, 5),
    "truncated by one": lambda token: token[:-1],
    "id only": lambda token: token[:32],
    "extended by one": lambda token: token + "A",
    "secret replaced": lambda token: token[:32] + "x" * (len(token) - 32),
    "garbage": lambda token: "not-a-token",
    "blank": lambda token: "%20",
    "zeroes": lambda token: "0" * len(token),
    "upper-cased": lambda token: token.upper(),
}


@pytest.mark.parametrize("mangle", WRONG_TOKENS.values(), ids=WRONG_TOKENS.keys())
def test_wrong_token_is_not_found_like_a_token_never_issued(api_client, mangle):
    registration = RegistrationFactory()
    unknown = api_client.get(manage_url(never_issued_token()))

    response = api_client.get(manage_url(mangle(registration.manage_token)))

    assert response.status_code == 404
    assert response.json() == unknown.json() == {"detail": "Not found.", "code": "not_found"}


def test_feed_token_is_not_a_manage_token(api_client):
    registration = RegistrationFactory()

    response = api_client.get(manage_url(registration.feed_token))

    assert response.status_code == 404


def test_another_registrations_secret_does_not_open_this_one(api_client):
    event = EventFactory()
    mine, theirs = RegistrationFactory.create_batch(2, event=event)

    response = api_client.get(manage_url(theirs.manage_token[:32] + mine.manage_secret))

    assert response.status_code == 404
    assert theirs.email not in response.content.decode()


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("get", ""), ("patch", ""), ("delete", ""), ("post", "cancel"), ("post", "erase"),
        ("get", "data"), ("post", "feed-token"),
    ],
)
def test_every_endpoint_refuses_a_wrong_token_and_changes_nothing(api_client, method, action):
    registration = RegistrationFactory(name="Amina Diallo")
    feed_secret = registration.feed_secret

    response = getattr(api_client, method)(
        manage_url(altered(registration.manage_token, 40), action), {"sessions": []},
        format="json",
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    registration.refresh_from_db()
    assert (registration.status, registration.name, registration.feed_secret) == (
        RegistrationStatus.CONFIRMED, "Amina Diallo", feed_secret,
    )
    assert registration.erased_at is None


# --- Reading and changing -----------------------------------------------------------------------


def test_get_by_token_shows_the_registration(api_client):
    event = EventFactory()
    session = SessionFactory(event=event, title="Opening plenary")
    registration = RegistrationFactory(event=event, name="Amina Diallo",
                                       email="amina@example.org", session_ids=[session.pk])

    response = api_client.get(manage_url(registration.manage_token))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(registration.public_id)
    assert (body["name"], body["email"], body["status"]) == (
        "Amina Diallo", "amina@example.org", "confirmed",
    )
    assert [(item["id"], item["title"], item["status"]) for item in body["sessions"]] == [
        (session.pk, "Opening plenary", "confirmed")
    ]
    assert body["api_url"] == (
        f"{settings.SITE_URL}/api/v1/registrations/{registration.manage_token}/"
    )


def test_patch_replaces_the_chosen_sessions_and_frees_dropped_seats(api_client):
    event = EventFactory()
    kept, dropped, added = (SessionFactory(event=event, capacity=3,
                                           start=event.start + dt.timedelta(hours=hour),
                                           end=event.start + dt.timedelta(hours=hour + 1))
                            for hour in range(3))
    registration = RegistrationFactory(event=event, session_ids=[kept.pk, dropped.pk])

    response = api_client.patch(manage_url(registration.manage_token),
                                {"sessions": [kept.pk, added.pk]}, format="json")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["sessions"]] == [kept.pk, added.pk]
    assert response.json()["conflicts"] == []
    for session in (kept, dropped, added):
        session.refresh_from_db()
    assert (kept.seats_taken, dropped.seats_taken, added.seats_taken) == (1, 0, 1)


def test_patch_with_overlapping_sessions_warns_in_conflicts(api_client):
    event = EventFactory()
    first = SessionFactory(event=event, start=event.start, end=event.start + dt.timedelta(hours=2))
    second = SessionFactory(event=event, start=event.start + dt.timedelta(hours=1),
                            end=event.start + dt.timedelta(hours=2))
    registration = RegistrationFactory(event=event)

    response = api_client.patch(manage_url(registration.manage_token),
                                {"sessions": [second.pk, first.pk]}, format="json")

    assert response.status_code == 200
    assert [item["sessions"] for item in response.json()["conflicts"]] == [[first.pk, second.pk]]
    again = api_client.get(manage_url(registration.manage_token))
    assert [item["sessions"] for item in again.json()["conflicts"]] == [[first.pk, second.pk]]


def test_patch_choosing_a_full_session_is_refused_and_keeps_the_old_choice(api_client):
    event = EventFactory()
    old = SessionFactory(event=event, capacity=5)
    full = SessionFactory(event=event, title="Small workshop", capacity=1)
    RegistrationFactory(event=event, session_ids=[full.pk])
    registration = RegistrationFactory(event=event, session_ids=[old.pk])

    response = api_client.patch(manage_url(registration.manage_token),
                                {"sessions": [full.pk]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "session_full"
    assert list(response.json()["errors"]) == ["sessions"]
    assert "Small workshop" in response.json()["errors"]["sessions"][0]
    old.refresh_from_db()
    assert old.seats_taken == 1
    assert [choice.session_id for choice in
            selectors.registration_by_manage_token(registration.manage_token).active_choices] == [
        old.pk
    ]


def test_dropping_a_session_confirms_the_first_waitlisted_choice(api_client):
    event = EventFactory()
    workshop = SessionFactory(event=event, capacity=1, title="Supplier audits")
    holder = RegistrationFactory(event=event, session_ids=[workshop.pk])
    first_waiting = RegistrationFactory(event=event, session_ids=[workshop.pk],
                                        join_waitlist=True)
    second_waiting = RegistrationFactory(event=event, session_ids=[workshop.pk],
                                         join_waitlist=True)

    response = api_client.patch(manage_url(holder.manage_token), {"sessions": []},
                                format="json")

    assert response.status_code == 200
    assert response.json()["sessions"] == []
    first_body = api_client.get(manage_url(first_waiting.manage_token)).json()
    second_body = api_client.get(manage_url(second_waiting.manage_token)).json()
    assert [item["status"] for item in first_body["sessions"]] == ["confirmed"]
    assert [item["status"] for item in second_body["sessions"]] == ["waitlisted"]
    assert list(first_waiting.deliveries.filter(kind="session_seat").values_list(
        "context", flat=True)) == [{"session_title": "Supplier audits"}]
    assert second_waiting.deliveries.filter(kind="session_seat").count() == 0
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


@pytest.mark.parametrize(
    "body",
    [{"sessions": "1"}, {"sessions": ["x"]}, {}, {"sessions": None}, {"sessions": [10**30]}],
)
def test_patch_with_bad_sessions_is_a_field_error(api_client, body):
    registration = RegistrationFactory()

    response = api_client.patch(manage_url(registration.manage_token), body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sessions"]


def test_patch_of_a_cancelled_registration_is_refused(api_client):
    registration = RegistrationFactory()
    api_client.post(manage_url(registration.manage_token, "cancel"))

    response = api_client.patch(manage_url(registration.manage_token), {"sessions": []},
                                format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "This registration has been cancelled.", "code": "registration_cancelled",
    }


# --- Cancelling and the waitlist ----------------------------------------------------------------


def test_cancelling_a_confirmed_seat_promotes_the_first_waitlisted_in_the_same_request(
    api_client,
):
    event = EventFactory(capacity=2)
    leaving, staying = RegistrationFactory.create_batch(2, event=event)
    first_waiting = RegistrationFactory(event=event)
    second_waiting = RegistrationFactory(event=event)

    response = api_client.post(manage_url(leaving.manage_token, "cancel"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"] is not None
    assert [status_of(r) for r in (leaving, staying, first_waiting, second_waiting)] == [
        "cancelled", "confirmed", "confirmed", "waitlisted",
    ]
    assert kinds(leaving) == ["cancelled", "registration_confirmed"]
    assert kinds(first_waiting) == ["promoted", "registration_waitlisted"]
    assert kinds(second_waiting) == ["registration_waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_cancelling_twice_changes_nothing_more(api_client):
    event = EventFactory(capacity=1)
    registration = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)

    first = api_client.post(manage_url(registration.manage_token, "cancel"))
    second = api_client.post(manage_url(registration.manage_token, "cancel"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["cancelled_at"] == first.json()["cancelled_at"]
    assert Delivery.objects.filter(kind="cancelled").count() == 1
    assert Delivery.objects.filter(kind="promoted", registration=waiting).count() == 1
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_cancelling_a_waitlisted_registration_frees_no_seat(api_client):
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting, behind = RegistrationFactory.create_batch(2, event=event)

    api_client.post(manage_url(waiting.manage_token, "cancel"))

    assert [status_of(r) for r in (confirmed, waiting, behind)] == [
        "confirmed", "cancelled", "waitlisted",
    ]
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_cancelling_releases_session_seats_to_their_waitlist(api_client):
    event = EventFactory()
    workshop = SessionFactory(event=event, capacity=1)
    holder = RegistrationFactory(event=event, session_ids=[workshop.pk])
    waiting = RegistrationFactory(event=event, session_ids=[workshop.pk], join_waitlist=True)

    api_client.post(manage_url(holder.manage_token, "cancel"))

    body = api_client.get(manage_url(waiting.manage_token)).json()
    assert [item["status"] for item in body["sessions"]] == ["confirmed"]
    assert api_client.get(manage_url(holder.manage_token)).json()["sessions"] == []
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


def test_promoted_registration_takes_seats_in_its_requested_sessions(api_client):
    event = EventFactory(capacity=1)
    session = SessionFactory(event=event, capacity=5)
    first = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, session_ids=[session.pk])

    api_client.post(manage_url(first.manage_token, "cancel"))

    body = api_client.get(manage_url(waiting.manage_token)).json()
    assert body["status"] == "confirmed"
    assert [item["status"] for item in body["sessions"]] == ["confirmed"]
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_raising_the_capacity_promotes_the_waitlist_in_arrival_order():
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    first, second, third = RegistrationFactory.create_batch(3, event=event)

    event.refresh_from_db()
    event.capacity = 3
    save_event(event=event)

    assert [status_of(r) for r in (confirmed, first, second, third)] == [
        "confirmed", "confirmed", "confirmed", "waitlisted",
    ]
    assert kinds(first) == ["promoted", "registration_waitlisted"]
    assert kinds(third) == ["registration_waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 3


# --- Data export and erasure --------------------------------------------------------------------


def test_data_export_is_a_json_attachment_with_the_persons_data(api_client):
    event = EventFactory(slug="forum-2026")
    registration = RegistrationFactory(event=event, name="Amina Diallo",
                                       email="amina@example.org", organization="Coop")

    response = api_client.get(manage_url(registration.manage_token, "data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="registration-forum-2026.json"'
    )
    body = response.json()
    assert (body["name"], body["email"], body["organization"]) == (
        "Amina Diallo", "amina@example.org", "Coop",
    )
    assert body["consent_version"] == settings.PRIVACY_NOTICE_VERSION
    assert body["exported_at"] is not None


@pytest.mark.parametrize("method", ["post_erase", "delete"])
def test_erasure_through_either_endpoint_anonymizes_and_retires_the_link(api_client, method):
    registration = RegistrationFactory(name="Amina Diallo", email="amina@example.org")
    token = registration.manage_token
    if method == "delete":
        response = api_client.delete(manage_url(token))
    else:
        response = api_client.post(manage_url(token, "erase"))

    assert response.status_code == 204
    assert api_client.get(manage_url(token)).status_code == 404
    registration.refresh_from_db()
    assert (registration.name, registration.organization) == ("", "")
    assert registration.email == f"erased-{registration.public_id.hex}@erased.invalid"
    assert registration.status == RegistrationStatus.CANCELLED


# --- The personal feed token --------------------------------------------------------------------


def test_rotating_the_feed_token_revokes_the_old_feed_link_only(api_client):
    registration = RegistrationFactory()
    old_feed_token = registration.feed_token
    before = api_client.get(manage_url(registration.manage_token)).json()

    response = api_client.post(manage_url(registration.manage_token, "feed-token"))

    assert response.status_code == 200
    new_feed_url = response.json()["feed_url"]
    assert new_feed_url != before["feed_url"]
    new_feed_token = new_feed_url.removeprefix(f"{settings.SITE_URL}/feeds/me/")[:-4]
    assert selectors.registration_by_feed_token(old_feed_token) is None
    assert selectors.registration_by_feed_token(new_feed_token) == registration
    assert response.json()["manage_url"] == before["manage_url"]
    assert api_client.get(manage_url(registration.manage_token)).status_code == 200


# --- The join link ------------------------------------------------------------------------------


def test_join_link_is_shown_to_confirmed_attendees_only(api_client):
    event = EventFactory(capacity=1, online_url="https://meet.example.org/private-room")
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)

    confirmed_body = api_client.get(manage_url(confirmed.manage_token)).json()
    waiting_body = api_client.get(manage_url(waiting.manage_token)).json()
    waiting_export = api_client.get(manage_url(waiting.manage_token, "data"))

    assert confirmed_body["online_url"] == "https://meet.example.org/private-room"
    assert waiting_body["online_url"] is None
    assert "private-room" not in waiting_export.content.decode()


def test_join_link_appears_once_a_waitlisted_attendee_is_promoted(api_client):
    event = EventFactory(capacity=1, online_url="https://meet.example.org/private-room")
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)

    api_client.post(manage_url(confirmed.manage_token, "cancel"))

    assert api_client.get(manage_url(waiting.manage_token)).json()["online_url"] == (
        "https://meet.example.org/private-room"
    )
    assert api_client.get(manage_url(confirmed.manage_token)).json()["online_url"] is None


def test_join_link_is_withheld_while_approval_is_pending(api_client):
    event = EventFactory(requires_approval=True, online_url="https://meet.example.org/room")
    pending = RegistrationFactory(event=event)

    body = api_client.get(manage_url(pending.manage_token)).json()

    assert (body["status"], body["online_url"]) == ("pending_approval", None)
