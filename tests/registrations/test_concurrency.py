"""Many people register, and cancel, at the same moment: real threads, each with its own
database connection, released together by a barrier.

Arrival order is the order in which the threads get the event's lock, and a registration's
primary key is assigned while the lock is held, so "first come, first served" means: the
lowest primary keys got the seats, and the waitlist is promoted lowest primary key first.
"""

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from agenda.models import Event, Session
from notifications.enums import MessageKind
from notifications.models import Delivery
from registrations import services
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration, SessionChoice
from tests.factories import EventFactory, SessionFactory

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency: runs in the PostgreSQL pass "
    "(DATABASE_URL=postgres://...)",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the embedded default's write lock: runs in the SQLite pass",
)


def run_together(action: Callable[[Any], object], arguments: Sequence) -> list:
    """Run ``action(argument)`` in one thread per argument, all released at once.

    Returns the results in the order of ``arguments``; fails with every exception a thread
    raised. Each thread closes its own database connection when it is done.
    """
    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)
    errors: list[BaseException] = []

    def work(index: int, argument: object) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = action(argument)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(index, argument), daemon=True)
        for index, argument in enumerate(arguments)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [thread for thread in threads if thread.is_alive()] == []
    assert errors == []
    return results


def register_everyone(event: Event, count: int, **options) -> None:
    def register(index: int) -> services.RegistrationOutcome:
        return services.register(
            event=event,
            name=f"Person {index}",
            email=f"person{index}@example.org",
            consent=True,
            **options,
        )

    outcomes = run_together(register, range(count))
    assert [outcome.created for outcome in outcomes] == [True] * count


def statuses_by_pk(event: Event) -> list[str]:
    return list(
        Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True)
    )


def cancel_together(registrations: Sequence[Registration]) -> None:
    run_together(
        lambda registration: services.cancel_registration(registration=registration),
        registrations,
    )


def assert_first_come_first_served(event: Event, *, seats: int, people: int) -> None:
    assert statuses_by_pk(event) == [CONFIRMED] * seats + [WAITLISTED] * (people - seats)
    event.refresh_from_db()
    assert event.seats_taken == seats


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_fill_the_seats_in_arrival_order_then_promote_in_order():
    event = EventFactory(capacity=10)

    register_everyone(event, 50)

    assert_first_come_first_served(event, seats=10, people=50)
    registrations = list(Registration.objects.filter(event=event).order_by("pk"))
    leaving = [registrations[1], registrations[4], registrations[8]]
    first_waiting = registrations[10:13]

    cancel_together(leaving)

    assert Counter(statuses_by_pk(event)) == {CONFIRMED: 10, WAITLISTED: 37, CANCELLED: 3}
    assert {
        registration.pk
        for registration in Registration.objects.filter(event=event, status=CONFIRMED)
    } == {registration.pk for registration in registrations[:10] + first_waiting} - {
        registration.pk for registration in leaving
    }
    event.refresh_from_db()
    assert event.seats_taken == 10
    # Each promoted person is told once, whichever cancellation gave them the seat.
    assert sorted(
        Delivery.objects.filter(kind=MessageKind.PROMOTED).values_list(
            "registration_id", flat=True
        )
    ) == [registration.pk for registration in first_waiting]


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_choices_fill_a_session_in_arrival_order_then_promote_in_order():
    event = EventFactory(capacity=None)
    workshop = SessionFactory(event=event, capacity=10)

    register_everyone(event, 50, session_ids=[workshop.pk], join_waitlist=True)

    assert statuses_by_pk(event) == [CONFIRMED] * 50
    choices = list(SessionChoice.objects.filter(session=workshop).order_by("pk"))
    assert [choice.status for choice in choices] == (
        [SessionChoiceStatus.CONFIRMED] * 10 + [SessionChoiceStatus.WAITLISTED] * 40
    )
    assert Session.objects.get(pk=workshop.pk).seats_taken == 10
    leaving = [choices[0].registration, choices[5].registration, choices[9].registration]
    first_waiting = choices[10:13]

    cancel_together(leaving)

    statuses = {
        choice.pk: choice.status
        for choice in SessionChoice.objects.filter(session=workshop)
    }
    assert Counter(statuses.values()) == {
        SessionChoiceStatus.CONFIRMED: 10,
        SessionChoiceStatus.WAITLISTED: 37,
        SessionChoiceStatus.RELEASED: 3,
    }
    assert {pk for pk, status in statuses.items() if status == SessionChoiceStatus.CONFIRMED} == {
        choice.pk for choice in choices[:10] + first_waiting
    } - {choice.pk for choice in choices if choice.registration in leaving}
    assert Session.objects.get(pk=workshop.pk).seats_taken == 10


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_agenda_changes_fill_a_session_in_arrival_order():
    # Unlike registering, changing the agenda writes no event counter: only the event lock
    # and the session's conditional UPDATE keep the seats and the order.
    event = EventFactory(capacity=None)
    workshop = SessionFactory(event=event, capacity=10)
    register_everyone(event, 50)
    registrations = list(Registration.objects.filter(event=event))

    run_together(
        lambda registration: services.change_sessions(
            registration=registration, session_ids=[workshop.pk], join_waitlist=True
        ),
        registrations,
    )

    assert list(
        SessionChoice.objects.filter(session=workshop).order_by("pk").values_list(
            "status", flat=True
        )
    ) == [SessionChoiceStatus.CONFIRMED] * 10 + [SessionChoiceStatus.WAITLISTED] * 40
    assert Session.objects.get(pk=workshop.pk).seats_taken == 10


def post_registrations_together(event: Event, people: int) -> list[tuple[int, str]]:
    url = f"/api/v1/events/{event.slug}/registrations/"

    def post(index: int) -> tuple[int, str]:
        # raise_request_exception (the default) turns a 500 into an exception in the thread.
        response = Client().post(
            url,
            {"name": f"Person {index}", "email": f"person{index}@example.org", "consent": True},
            content_type="application/json",
        )
        return response.status_code, response.json().get("status")

    return run_together(post, range(people))


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_are_all_answered_201_confirmed_or_waitlisted(settings):
    settings.REGISTRATION_RATE_LIMIT = "off"
    event = EventFactory(capacity=10)

    answers = post_registrations_together(event, 50)

    assert Counter(answers) == {(201, CONFIRMED): 10, (201, WAITLISTED): 40}
    assert_first_come_first_served(event, seats=10, people=50)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_takes_concurrent_registrations_without_database_is_locked():
    event = EventFactory(capacity=5)

    register_everyone(event, 20)

    assert_first_come_first_served(event, seats=5, people=20)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_answers_concurrent_posts_201_and_never_500(settings):
    settings.REGISTRATION_RATE_LIMIT = "off"
    event = EventFactory(capacity=5)

    answers = post_registrations_together(event, 20)

    assert Counter(answers) == {(201, CONFIRMED): 5, (201, WAITLISTED): 15}
    assert_first_come_first_served(event, seats=5, people=20)
