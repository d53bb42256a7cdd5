"""POST /api/v1/events/{slug}/registrations/: who gets in, what is refused, and what it leaves."""

import datetime as dt
import json

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from agenda.enums import EventStatus, SessionStatus
from agenda.models import Event
from notifications.models import Delivery
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def registrations_url(event) -> str:
    return f"/api/v1/events/{event.slug}/registrations/"


def payload(**overrides) -> dict:
    body = {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "organization": "Cocoa Producers' Cooperative",
        "consent": True,
    }
    body.update(overrides)
    return body


def register(api_client, event, **overrides):
    return api_client.post(registrations_url(event), payload(**overrides), format="json")


def delivery_kinds(registration: Registration) -> list[str]:
    return sorted(registration.deliveries.values_list("kind", flat=True))


def counts(event) -> tuple[int, int]:
    """Registrations of the event and its seats taken, as stored."""
    event.refresh_from_db()
    return Registration.objects.filter(event=event).count(), event.seats_taken


# --- Success ------------------------------------------------------------------------------------


def test_register_confirms_when_a_seat_is_free(api_client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=10)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = register(api_client, event)

    assert response.status_code == 201
    body = response.json()
    registration = Registration.objects.get()
    assert body["status"] == "confirmed"
    assert body["name"] == "Amina Diallo"
    assert body["email"] == "amina@example.org"
    assert body["organization"] == "Cocoa Producers' Cooperative"
    assert body["sessions"] == []
    assert body["conflicts"] == []
    assert body["event"]["slug"] == event.slug
    assert body["manage_url"] == f"{settings.SITE_URL}/manage/{registration.manage_token}/"
    assert body["feed_url"] == f"{settings.SITE_URL}/feeds/me/{registration.feed_token}.ics"
    assert body["consent_version"] == settings.PRIVACY_NOTICE_VERSION
    assert dt.datetime.fromisoformat(body["consented_at"]) == registration.consented_at
    assert registration.consent_version == settings.PRIVACY_NOTICE_VERSION
    assert registration.status == RegistrationStatus.CONFIRMED
    assert delivery_kinds(registration) == ["registration_confirmed"]
    # The confirmation is published to the broker once the registration is committed.
    assert len(callbacks) == 1
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_register_without_organization_stores_it_empty(api_client):
    event = EventFactory()
    body = payload()
    del body["organization"]

    response = api_client.post(registrations_url(event), body, format="json")

    assert response.status_code == 201
    assert response.json()["organization"] == ""


def test_register_waitlists_when_the_event_is_full(api_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    response = register(api_client, event)

    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    registration = Registration.objects.get(email="amina@example.org")
    assert delivery_kinds(registration) == ["registration_waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_third_registration_for_two_seats_is_waitlisted(api_client):
    event = EventFactory(capacity=2)

    statuses = [
        register(api_client, event, email=f"person{index}@example.org").json()["status"]
        for index in range(3)
    ]

    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_register_awaits_approval_when_the_event_requires_it(api_client):
    event = EventFactory(capacity=10, requires_approval=True)

    response = register(api_client, event)

    assert response.status_code == 201
    assert response.json()["status"] == "pending_approval"
    registration = Registration.objects.get()
    assert delivery_kinds(registration) == ["registration_pending"]
    event.refresh_from_db()
    assert event.seats_taken == 0


def test_register_with_sessions_returns_the_chosen_sessions(api_client):
    event = EventFactory()
    morning = SessionFactory(event=event, title="Morning panel", start=event.start,
                             end=event.start + dt.timedelta(hours=1))
    afternoon = SessionFactory(event=event, title="Afternoon workshop", capacity=5,
                               start=event.start + dt.timedelta(hours=4),
                               end=event.start + dt.timedelta(hours=5))

    response = register(api_client, event, sessions=[afternoon.pk, morning.pk])

    assert response.status_code == 201
    body = response.json()
    assert [(item["id"], item["title"], item["status"]) for item in body["sessions"]] == [
        (morning.pk, "Morning panel", "confirmed"),
        (afternoon.pk, "Afternoon workshop", "confirmed"),
    ]
    assert body["conflicts"] == []
    afternoon.refresh_from_db()
    assert afternoon.seats_taken == 1


def test_register_warns_about_overlapping_sessions_but_succeeds(api_client):
    event = EventFactory()
    first = SessionFactory(event=event, title="Due diligence 101", start=event.start,
                           end=event.start + dt.timedelta(hours=2))
    second = SessionFactory(event=event, title="Living wages",
                            start=event.start + dt.timedelta(hours=1),
                            end=event.start + dt.timedelta(hours=3))

    response = register(api_client, event, sessions=[first.pk, second.pk])

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert [item["id"] for item in body["sessions"]] == [first.pk, second.pk]
    assert body["conflicts"] == [
        {
            "sessions": [first.pk, second.pk],
            "message": "\u201cDue diligence 101\u201d and \u201cLiving wages\u201d overlap in "
            "time.",
        }
    ]


def test_sessions_back_to_back_are_not_a_conflict(api_client):
    event = EventFactory()
    first = SessionFactory(event=event, start=event.start,
                           end=event.start + dt.timedelta(hours=1))
    second = SessionFactory(event=event, start=first.end, end=first.end + dt.timedelta(hours=1))

    response = register(api_client, event, sessions=[first.pk, second.pk])

    assert response.json()["conflicts"] == []


def test_waitlisted_registration_requests_its_sessions_without_holding_seats(api_client):
    event = EventFactory(capacity=1)
    session = SessionFactory(event=event, capacity=3)
    RegistrationFactory(event=event)

    response = register(api_client, event, sessions=[session.pk])

    assert response.json()["status"] == "waitlisted"
    assert [item["status"] for item in response.json()["sessions"]] == ["requested"]
    session.refresh_from_db()
    assert session.seats_taken == 0


# --- The same address twice ---------------------------------------------------------------------


def test_same_email_in_other_case_is_refused_without_revealing_the_registration(api_client):
    event = EventFactory()
    first = register(api_client, event, name="Amina Diallo", email="amina@example.org")
    existing = Registration.objects.get()

    response = register(api_client, event, name="Someone Else", email="AMINA@Example.ORG")

    assert first.status_code == 201
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This email address is already registered for this event. We have sent the "
        "link to manage that registration to the address.",
        "code": "already_registered",
    }
    text = response.content.decode()
    assert existing.manage_token not in text
    assert existing.manage_secret not in text
    assert existing.feed_secret not in text
    assert str(existing.public_id) not in text
    assert "Amina" not in text
    assert Registration.objects.count() == 1
    assert delivery_kinds(existing) == ["already_registered", "registration_confirmed"]


def test_repeated_attempts_with_a_registered_email_send_one_link(api_client):
    event = EventFactory()
    existing = RegistrationFactory(event=event, email="amina@example.org")

    statuses = [register(api_client, event).status_code for _ in range(4)]

    assert statuses == [409, 409, 409, 409]
    assert existing.deliveries.filter(kind="already_registered").count() == 1


@pytest.mark.parametrize("capacity", [3, 1])
def test_a_refused_second_registration_gives_back_the_seat_it_tried(api_client, capacity):
    # The unique index refuses it after the seat's UPDATE: the whole transaction rolls back.
    event = EventFactory(capacity=capacity)
    assert register(api_client, event, email="amina@example.org").status_code == 201

    again = register(api_client, event, email="Amina@Example.org", sessions=[])

    assert again.status_code == 409
    event.refresh_from_db()
    assert (event.seats_taken, Registration.objects.count()) == (1, 1)
    assert register(api_client, event, email="zoe@example.org").json()["status"] == (
        "confirmed" if capacity > 1 else "waitlisted")


def test_an_address_may_register_again_after_cancelling(api_client):
    event = EventFactory()
    first = register(api_client, event)
    api_client.post(f"/api/v1/registrations/{Registration.objects.get().manage_token}/cancel/")

    second = register(api_client, event)

    assert first.status_code == 201
    assert second.status_code == 201
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "cancelled", "confirmed",
    ]


def test_same_email_may_register_for_another_event(api_client):
    register(api_client, EventFactory())

    response = register(api_client, EventFactory())

    assert response.status_code == 201


# --- Registration window ------------------------------------------------------------------------


def test_registration_before_it_opens_is_refused(api_client):
    event = EventFactory(registration_opens_at=timezone.now() + dt.timedelta(days=2))

    response = register(api_client, event)

    assert response.status_code == 409
    assert response.json()["code"] == "not_open_yet"
    assert response.json()["detail"].startswith("Registration for this event opens on ")
    assert response.json()["detail"].endswith("(Europe/Brussels).")
    assert counts(event) == (0, 0)


def test_registration_after_it_closes_is_refused(api_client):
    event = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))

    response = register(api_client, event)

    assert response.status_code == 409
    assert response.json()["code"] == "closed"
    assert response.json()["detail"].startswith("Registration for this event closed on ")
    assert counts(event) == (0, 0)


def test_registration_closes_at_the_start_when_no_closing_time_is_set(api_client):
    start = timezone.now() - dt.timedelta(minutes=5)
    event = EventFactory(start=start, end=start + dt.timedelta(hours=3))

    response = register(api_client, event)

    assert response.status_code == 409
    assert response.json()["code"] == "closed"
    assert counts(event) == (0, 0)


def test_registration_inside_the_window_is_accepted(api_client):
    now = timezone.now()
    event = EventFactory(
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=1),
    )

    response = register(api_client, event)

    assert response.status_code == 201


def test_registration_for_a_draft_event_is_not_found(api_client):
    event = EventFactory(status=EventStatus.DRAFT)

    response = register(api_client, event)

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No event with this address is open for registration.",
        "code": "event_not_found",
    }
    assert counts(event) == (0, 0)


def test_registration_for_a_cancelled_event_is_refused(api_client):
    event = EventFactory(status=EventStatus.CANCELLED)

    response = register(api_client, event)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "This event has been cancelled; registration is closed.",
        "code": "event_cancelled",
    }
    assert counts(event) == (0, 0)


def test_registration_for_an_unknown_event_is_not_found(api_client):
    response = api_client.post(
        "/api/v1/events/no-such-event/registrations/", payload(), format="json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"
    assert Registration.objects.count() == 0


# --- Session choices ----------------------------------------------------------------------------


def test_choosing_a_full_session_is_refused_naming_the_session(api_client):
    event = EventFactory()
    workshop = SessionFactory(event=event, title="Grievance mechanisms workshop", capacity=1)
    RegistrationFactory(event=event, session_ids=[workshop.pk])

    response = register(api_client, event, sessions=[workshop.pk])

    assert response.status_code == 400
    message = (
        "The session \u201cGrievance mechanisms workshop\u201d is full. Choose another session, "
        "or send \u201cjoin_waitlist\u201d: true to join its waitlist."
    )
    assert response.json() == {
        "detail": message, "code": "session_full", "errors": {"sessions": [message]},
    }
    assert counts(event) == (1, 1)
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


def test_choosing_a_full_session_with_join_waitlist_waitlists_the_choice(api_client):
    event = EventFactory()
    workshop = SessionFactory(event=event, capacity=1)
    RegistrationFactory(event=event, session_ids=[workshop.pk])

    response = register(api_client, event, sessions=[workshop.pk], join_waitlist=True)

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert [item["status"] for item in response.json()["sessions"]] == ["waitlisted"]
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


@pytest.mark.parametrize("which", ["other_event", "unknown", "cancelled"])
def test_sessions_that_cannot_be_chosen_are_refused_and_nothing_is_written(api_client, which):
    event = EventFactory(capacity=5)
    fine = SessionFactory(event=event, capacity=5)
    other = SessionFactory(title="Elsewhere")
    cancelled = SessionFactory(event=event, title="Called off", status=SessionStatus.CANCELLED)
    bad_id, message = {
        "other_event": (other.pk, f"These sessions do not exist in this event: {other.pk}."),
        "unknown": (999_999, "These sessions do not exist in this event: 999999."),
        "cancelled": (cancelled.pk, "The session \u201cCalled off\u201d has been cancelled."),
    }[which]

    response = register(api_client, event, sessions=[fine.pk, bad_id])

    assert response.status_code == 400
    assert response.json()["errors"] == {"sessions": [message]}
    assert counts(event) == (0, 0)
    fine.refresh_from_db()
    assert fine.seats_taken == 0
    assert Delivery.objects.count() == 0


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"consent": "maybe"}, "consent"),
        ({"name": ""}, "name"),
        ({"name": True}, "name"),
        ({"name": {"first": "Amina"}}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Amina\x00"}, "name"),
        ({"name": "Amina \ud800"}, "name"),
        ({"organization": ["a", "b"]}, "organization"),
        ({"sessions": "1,2"}, "sessions"),
        ({"sessions": ["one"]}, "sessions"),
        ({"sessions": [1.5]}, "sessions"),
        ({"sessions": [0]}, "sessions"),
        ({"sessions": [None]}, "sessions"),
        ({"sessions": list(range(1, 200))}, "sessions"),
        ({"join_waitlist": "perhaps"}, "join_waitlist"),
    ],
)
def test_invalid_input_is_refused_with_a_field_message(api_client, overrides, field):
    event = EventFactory()
    body = payload(**overrides)

    response = api_client.post(
        registrations_url(event), json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [field]
    assert counts(event) == (0, 0)


@pytest.mark.parametrize("missing", ["name", "email", "consent"])
def test_missing_required_field_is_refused(api_client, missing):
    event = EventFactory()
    body = payload()
    del body[missing]

    response = api_client.post(registrations_url(event), body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {missing: ["This field is required."]}
    assert counts(event) == (0, 0)


def test_missing_consent_gets_a_message_people_understand(api_client):
    event = EventFactory()

    response = register(api_client, event, consent=False)

    assert response.json()["errors"] == {
        "consent": [
            "Please accept the privacy notice: we need your consent to store your registration."
        ]
    }


@pytest.mark.parametrize("field", ["name", "email", "organization", "timezone"])
def test_a_number_for_a_text_field_is_refused_not_turned_into_text(api_client, field):
    event = EventFactory()

    response = register(api_client, event, **{field: 5})

    assert response.status_code == 400
    assert response.json()["errors"] == {field: ["Must be a string."]}
    assert Registration.objects.count() == 0


def test_a_huge_session_id_is_an_unknown_session(api_client):
    event = EventFactory()

    response = register(api_client, event, sessions=[10**30])

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sessions"]
    assert counts(event) == (0, 0)


@pytest.mark.parametrize("body", ['{"name": "Amina",', "{'name': 'Amina'}", "", "nul"])
def test_malformed_json_is_a_bad_request(api_client, body):
    event = EventFactory()

    response = api_client.post(registrations_url(event), body, content_type="application/json")

    assert response.status_code == 400
    assert counts(event) == (0, 0)


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null", "[1, 2]"])
def test_json_that_is_not_an_object_is_a_bad_request(api_client, body):
    event = EventFactory()

    response = api_client.post(registrations_url(event), body, content_type="application/json")

    assert response.status_code == 400
    assert counts(event) == (0, 0)


def test_oversized_body_is_refused_as_too_large(api_client):
    event = EventFactory()
    body = json.dumps(payload(organization="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE))

    response = api_client.post(registrations_url(event), body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is too large "
        f"(at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes).",
        "code": "too_large",
    }
    assert counts(event) == (0, 0)


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/xml"]
)
def test_body_that_is_not_json_is_an_unsupported_media_type(api_client, content_type):
    event = EventFactory()

    response = api_client.post(
        registrations_url(event), "name=Amina&consent=true", content_type=content_type
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert counts(event) == (0, 0)


def test_multipart_form_is_an_unsupported_media_type(api_client):
    event = EventFactory()

    response = api_client.post(registrations_url(event), payload(), format="multipart")

    assert response.status_code == 415
    assert counts(event) == (0, 0)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["name", "email", "organization", "sessions", "consent", "join_waitlist"]
)
REGISTRATION_LIKE = st.dictionaries(FIELDS | st.text(max_size=8), JSON_VALUES, max_size=7)
PLAUSIBLE = st.fixed_dictionaries(
    {"name": st.text(max_size=30), "email": st.emails(), "consent": st.just(True)},
    optional={
        "organization": JSON_VALUES,
        "sessions": st.lists(st.integers(), max_size=3) | JSON_VALUES,
        "join_waitlist": JSON_VALUES,
    },
)


@hypothesis.settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=JSON_VALUES | REGISTRATION_LIKE | PLAUSIBLE)
def test_any_json_body_gets_an_answer_not_a_server_error(api_client, body):
    # Examples share the test's transaction, so the event is made once.
    event = Event.objects.filter(slug="fuzzed").first() or EventFactory(slug="fuzzed", capacity=3)

    response = api_client.post(
        registrations_url(event), json.dumps(body), content_type="application/json"
    )

    assert response.status_code < 500
    assert response.status_code in (201, 400, 409)
    assert "detail" in response.json() or response.status_code == 201


# --- Idempotency-Key ----------------------------------------------------------------------------


def test_retried_post_with_the_same_idempotency_key_replays_the_first_response(api_client):
    event = EventFactory()
    session = SessionFactory(event=event)
    body = payload(sessions=[session.pk])

    first = api_client.post(registrations_url(event), body, format="json",
                            HTTP_IDEMPOTENCY_KEY="retry-1")
    second = api_client.post(registrations_url(event), body, format="json",
                             HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json() == first.json()
    assert Registration.objects.count() == 1
    registration = Registration.objects.get()
    assert delivery_kinds(registration) == ["registration_confirmed"]
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_same_idempotency_key_with_another_body_is_unprocessable(api_client):
    event = EventFactory()
    api_client.post(registrations_url(event), payload(), format="json",
                    HTTP_IDEMPOTENCY_KEY="retry-1")

    response = api_client.post(registrations_url(event), payload(email="other@example.org"),
                               format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "This Idempotency-Key was already used for a different request. Use a new key "
        "for a new registration.",
        "code": "idempotency_key_reused",
    }
    assert list(Registration.objects.values_list("email", flat=True)) == ["amina@example.org"]


def test_different_idempotency_keys_are_independent_requests(api_client):
    event = EventFactory()

    first = api_client.post(registrations_url(event), payload(), format="json",
                            HTTP_IDEMPOTENCY_KEY="key-a")
    other = api_client.post(registrations_url(event), payload(email="other@example.org"),
                            format="json", HTTP_IDEMPOTENCY_KEY="key-b")
    same_body = api_client.post(registrations_url(event), payload(), format="json",
                                HTTP_IDEMPOTENCY_KEY="key-c")

    assert (first.status_code, other.status_code, same_body.status_code) == (201, 201, 409)
    assert first.json()["manage_url"] != other.json()["manage_url"]
    assert Registration.objects.count() == 2


def test_same_idempotency_key_on_another_event_is_a_new_request(api_client):
    first_event, second_event = EventFactory(), EventFactory()

    first = api_client.post(registrations_url(first_event), payload(), format="json",
                            HTTP_IDEMPOTENCY_KEY="shared")
    second = api_client.post(registrations_url(second_event), payload(), format="json",
                             HTTP_IDEMPOTENCY_KEY="shared")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Registration.objects.count() == 2


def test_refused_request_is_judged_afresh_when_retried_with_its_key(api_client):
    event = EventFactory(capacity=5)
    workshop = SessionFactory(event=event, capacity=1)
    holder = RegistrationFactory(event=event, session_ids=[workshop.pk])
    body = payload(sessions=[workshop.pk])

    refused = api_client.post(registrations_url(event), body, format="json",
                              HTTP_IDEMPOTENCY_KEY="retry-1")
    api_client.patch(f"/api/v1/registrations/{holder.manage_token}/", {"sessions": []},
                     format="json")
    retried = api_client.post(registrations_url(event), body, format="json",
                              HTTP_IDEMPOTENCY_KEY="retry-1")

    assert (refused.status_code, retried.status_code) == (400, 201)


def test_overlong_idempotency_key_is_refused(api_client):
    event = EventFactory()

    response = api_client.post(registrations_url(event), payload(), format="json",
                               HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_too_long"
    assert Registration.objects.count() == 0


# --- Rate limit ---------------------------------------------------------------------------------


def test_fourth_registration_in_a_minute_from_one_address_is_throttled(api_client, settings):
    settings.REGISTRATION_RATE_LIMIT = "3/m"
    cache.clear()
    event = EventFactory()

    statuses = [
        register(api_client, event, email=f"person{index}@example.org").status_code
        for index in range(3)
    ]
    throttled = register(api_client, event, email="person4@example.org")

    assert statuses == [201, 201, 201]
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) in range(1, 61)
    assert throttled.json()["code"] == "throttled"
    assert throttled.json()["detail"].startswith("Request was throttled.")
    assert Registration.objects.count() == 3


def test_other_addresses_are_not_throttled_by_one_client(api_client, settings):
    settings.REGISTRATION_RATE_LIMIT = "1/m"
    cache.clear()
    event = EventFactory()

    first = api_client.post(registrations_url(event), payload(), format="json",
                            REMOTE_ADDR="192.0.2.1")
    second = api_client.post(registrations_url(event), payload(email="b@example.org"),
                             format="json", REMOTE_ADDR="192.0.2.2")

    assert (first.status_code, second.status_code) == (201, 201)


def test_rate_limit_off_lets_every_request_through(api_client, settings):
    settings.REGISTRATION_RATE_LIMIT = "off"
    cache.clear()
    event = EventFactory()

    statuses = [
        register(api_client, event, email=f"person{index}@example.org").status_code
        for index in range(6)
    ]

    assert statuses == [201] * 6



def test_register_keeps_the_attendees_time_zone(api_client):
    event = EventFactory()

    response = register(api_client, event, timezone="America/New_York")

    assert response.status_code == 201
    assert response.json()["timezone"] == "America/New_York"
    assert Registration.objects.get().timezone == "America/New_York"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "UTC+2"])
def test_register_refuses_a_time_zone_that_is_not_one(api_client, zone):
    event = EventFactory()

    response = register(api_client, event, timezone=zone)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "timezone": [f'"{zone}" is not an IANA time zone. Use a name such as "Europe/Brussels".']
    }
    assert Registration.objects.count() == 0
