"""The registration rush (issue 13): many people at once, on PostgreSQL with real threads, and
what the short path of ``services.register`` must keep: no seat sold twice, the waitlist in
arrival order, one registration per address, no seat left free while someone waits, and the
response and queries of the registration request.
"""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import Client

from agenda.models import Event
from notifications.models import Delivery
from registrations import selectors, services
from registrations.api.views import _body_of, _registration_body
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
)

from .test_concurrency import on_postgresql, run_together, statuses_by_pk

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED


def registrations_url(event: Event) -> str:
    return f"/api/v1/events/{event.slug}/registrations/"


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rush_on_ten_seats_sells_each_seat_once_in_arrival_order(settings):
    settings.REGISTRATION_RATE_LIMIT = "off"
    event = EventFactory(capacity=10)
    # 35 people, and 10 of them a second time at the same moment (a double click): 45
    # connections, so that this and the 50 of test_concurrency fit in the server's 100 when
    # two test processes run them at once.
    addresses = [f"person{index}@example.org" for index in range(35)]
    attempts = addresses + [address.upper() for address in addresses[:10]]

    def post(address: str) -> int:
        # raise_request_exception (the default) turns a 500 into an exception in the thread.
        response = Client().post(
            registrations_url(event),
            {"name": "Someone", "email": address, "consent": True},
            content_type="application/json",
        )
        return response.status_code

    codes = run_together(post, attempts)

    assert Counter(codes) == {201: 35, 409: 10}
    statuses = statuses_by_pk(event)
    # Positions 1..25 of the waitlist are the arrival order: the primary keys, assigned
    # under the event row's lock, and every confirmed one before every waitlisted one.
    assert statuses == [CONFIRMED] * 10 + [WAITLISTED] * 25
    event.refresh_from_db()
    assert event.seats_taken == 10 == statuses.count(CONFIRMED)
    assert sorted(
        email.lower()
        for email in Registration.objects.filter(event=event).values_list("email", flat=True)
    ) == sorted(addresses)
    # One confirmation or waitlist email per registration, none lost, none doubled.
    assert Counter(
        Delivery.objects.filter(registration__event=event).exclude(
            kind="already_registered"
        ).values_list("registration_id", flat=True)
    ) == {pk: 1 for pk in Registration.objects.filter(event=event).values_list("pk", flat=True)}


def wait_until_someone_waits_for_a_lock(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics are read once per transaction unless the snapshot is dropped.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("nobody waited for the event's lock")


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seat_freed_while_a_registration_found_the_event_full_goes_to_that_registration():
    # The race: a registration finds the event full; a cancellation frees the seat and finds
    # nobody (committed) to promote; the registration must not then join the waitlist while
    # the seat sits free. Forced here: the cancellation holds the event's lock until the
    # registration, which has already seen the event full, waits for it.
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event)
    holding_lock = threading.Event()
    outcome: dict = {}

    def cancel() -> None:
        with transaction.atomic():
            services.lock_event(event.pk)
            holding_lock.set()
            wait_until_someone_waits_for_a_lock()
            services.cancel_registration(registration=leaving)

    def register() -> None:
        holding_lock.wait(timeout=30)
        outcome["registration"] = services.register(
            event=Event.objects.get(pk=event.pk), name="Late", email="late@example.org",
            consent=True,
        ).registration

    run_together(lambda action: action(), [cancel, register])

    assert outcome["registration"].status == CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert statuses_by_pk(event) == [RegistrationStatus.CANCELLED, CONFIRMED]


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancellations_racing_registrations_never_leave_a_seat_free_while_someone_waits():
    event = EventFactory(capacity=5)
    holders = RegistrationFactory.create_batch(5, event=event)

    def act(index: int) -> None:
        if index < 5:
            services.cancel_registration(registration=holders[index])
        else:
            services.register(event=Event.objects.get(pk=event.pk), name="New",
                              email=f"new{index}@example.org", consent=True)

    run_together(act, range(25))

    event.refresh_from_db()
    confirmed = Registration.objects.filter(event=event, status=CONFIRMED)
    waiting = Registration.objects.filter(event=event, status=WAITLISTED)
    assert event.seats_taken == confirmed.count() == 5
    assert waiting.count() == 15
    # Whoever waits arrived after everyone confirmed among the newcomers.
    newcomers = list(
        Registration.objects.filter(event=event, email__startswith="new")
        .order_by("pk").values_list("status", flat=True)
    )
    assert newcomers == [CONFIRMED] * 5 + [WAITLISTED] * 15


@pytest.mark.django_db
def test_registration_request_takes_seven_queries_confirmed_and_eight_waitlisted(
    api_client, django_assert_num_queries, settings
):
    # The event (which says it asks no questions), outside any lock; then the seat's UPDATE,
    # the registration, its email and the webhook lookup (BEGIN and COMMIT are savepoints
    # here, inside the test's transaction). No duplicate check: the unique index is it.
    # Waitlisted: the shared read of the seats; the webhook lookup is not made again for
    # registration.waitlisted, in the same transaction.
    settings.REGISTRATION_RATE_LIMIT = "off"
    event = EventFactory(capacity=1)

    def post(address: str) -> str:
        response = api_client.post(
            registrations_url(event), {"name": "Amina", "email": address, "consent": True},
            format="json",
        )
        assert response.status_code == 201
        return response.json()["status"]

    with django_assert_num_queries(7):
        assert post("first@example.org") == CONFIRMED
    with django_assert_num_queries(8):
        assert post("second@example.org") == WAITLISTED


@pytest.mark.django_db
def test_an_event_that_asks_questions_has_them_read_and_checked(
    api_client, django_assert_num_queries, settings
):
    settings.REGISTRATION_RATE_LIMIT = "off"
    event = EventFactory()
    question = QuestionFactory(event=event, required=True)
    body = {"name": "Amina", "email": "amina@example.org", "consent": True}

    with django_assert_num_queries(2):  # the event, then its questions; refused before more
        refused = api_client.post(registrations_url(event), body, format="json")
    answered = api_client.post(registrations_url(event),
                               {**body, "answers": {str(question.pk): "Yes"}}, format="json")

    assert refused.status_code == 400
    assert str(question.pk) in refused.json()["errors"]["answers"]
    assert answered.status_code == 201


def _registered_in_memory_and_read_back(**options) -> tuple[dict, dict]:
    outcome = services.register(consent=True, **options)
    fast = _body_of(outcome.registration, outcome.conflicts)
    plain = _registration_body(outcome.registration, outcome.conflicts)
    return fast, plain


@pytest.mark.django_db
@pytest.mark.parametrize("case", [
    "plain", "full_event", "approval", "sessions_and_answers", "full_session_waitlisted",
    "waitlisted_with_sessions", "french", "online",
])
def test_new_registration_body_from_memory_equals_the_body_read_back(case):
    event = EventFactory(capacity=3, requires_approval=case == "approval",
                         format="online" if case == "online" else "in_person",
                         online_url="https://meet.example.org/x" if case == "online" else "")
    room = RoomFactory(event=event)
    first = SessionFactory(event=event, room=room, capacity=1)
    overlapping = SessionFactory(event=event, start=first.start, end=first.end)
    later = SessionFactory(event=event, room=room, start=first.end, end=first.end + (
        first.end - first.start))
    questions = [
        QuestionFactory(event=event, kind="one_choice", position=2),
        QuestionFactory(event=event, kind="short_text", position=1),
        QuestionFactory(event=event, kind="yes_no", position=1),
        QuestionFactory(event=event, kind="several_choices", position=0),
    ]
    options = {"event": event, "name": "Amina", "email": "amina@Example.ORG"}
    if case in ("sessions_and_answers", "full_session_waitlisted", "waitlisted_with_sessions",
                "french"):
        options["session_ids"] = [later.pk, overlapping.pk, first.pk]
        options["answers"] = {
            str(questions[0].pk): "vegan", str(questions[1].pk): "Wheelchair access",
            str(questions[2].pk): True, str(questions[3].pk): ["vegan", "none"],
        }
    if case == "full_session_waitlisted":
        RegistrationFactory(event=event, session_ids=[first.pk])
        options["join_waitlist"] = True
    if case in ("full_event", "waitlisted_with_sessions"):
        RegistrationFactory.create_batch(3, event=event)
    if case == "french":
        options["language"] = "fr"
        options["attendee_timezone"] = "America/New_York"

    fast, plain = _registered_in_memory_and_read_back(**options)

    assert fast == plain
    registration = Registration.objects.get(public_id=fast["id"])
    assert fast["status"] == registration.status


@pytest.mark.django_db
def test_new_registration_keeps_its_sessions_in_start_order_with_seats_and_waitlist():
    event = EventFactory(capacity=None)
    early = SessionFactory(event=event, capacity=1)
    late = SessionFactory(event=event, start=early.end, end=early.end + (early.end - early.start))
    RegistrationFactory(event=event, session_ids=[early.pk])

    outcome = services.register(event=event, name="Amina", email="amina@example.org",
                                consent=True, session_ids=[late.pk, early.pk],
                                join_waitlist=True)

    detailed = selectors.registration_with_answers().get(pk=outcome.registration.pk)
    assert [(choice.session_id, choice.status) for choice in detailed.active_choices] == [
        (early.pk, SessionChoiceStatus.WAITLISTED), (late.pk, SessionChoiceStatus.CONFIRMED),
    ] == [(choice.session_id, choice.status)
          for choice in outcome.registration.active_choices]
