"""Random sequences of registrations, cancellations, capacity changes and agenda changes,
checked against a model of the rules kept here in plain Python.

The model: an event seat goes to whoever registers while one is free; otherwise they join the
end of the event's waitlist, and a freed or added seat goes to the head of that list. A
confirmed attendee choosing the full workshop joins the end of its waitlist (their choice's
arrival); a waitlisted attendee's choice is only a request, which takes a workshop seat, or
its place in the workshop's waitlist by the time it was made, once they get an event seat.

Each example runs in a savepoint that is rolled back at its end, inside the test's
transaction, so every example starts from an empty database.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import TestCase as DjangoTestCase
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from agenda.models import Event, Session
from agenda.services import save_event, save_session
from registrations import services
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.errors import RegistrationError
from registrations.models import Registration, SessionChoice
from tests.factories import EventFactory, SessionFactory

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
SEAT = SessionChoiceStatus.CONFIRMED
WAITING = SessionChoiceStatus.WAITLISTED
REQUESTED = SessionChoiceStatus.REQUESTED
RELEASED = SessionChoiceStatus.RELEASED

capacities = st.none() | st.integers(min_value=0, max_value=6)
workshop_capacities = st.none() | st.integers(min_value=0, max_value=3)
# Picks one of the people the model knows, by arrival. Small numbers keep the same few people
# coming back, which is where order bugs hide (drop a choice, others queue, choose it again).
someone = st.integers(min_value=0, max_value=5)


class RegistrationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.example = transaction.atomic()
        self.example.__enter__()
        self.event_id: int | None = None
        self.workshop_id: int | None = None
        self.capacity: int | None = None
        self.workshop_capacity: int | None = None
        # The model: registration statuses by pk, the waitlist in arrival order, and each
        # person's workshop choice with the moment (a counter) it was made.
        self.status: dict[int, str] = {}
        self.waitlist: list[int] = []
        self.choice: dict[int, str] = {}
        self.chosen_at: dict[int, int] = {}
        self.clock = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)

    # --- The model's rules ----------------------------------------------------------------

    def confirmed(self) -> list[int]:
        return [pk for pk, status in self.status.items() if status == CONFIRMED]

    def event_has_free_seat(self) -> bool:
        return self.capacity is None or len(self.confirmed()) < self.capacity

    def workshop_has_free_seat(self) -> bool:
        holders = [pk for pk, status in self.choice.items() if status == SEAT]
        return self.workshop_capacity is None or len(holders) < self.workshop_capacity

    def workshop_waitlist(self) -> list[int]:
        waiting = [
            pk for pk, status in self.choice.items()
            if status == WAITING and self.status[pk] == CONFIRMED
        ]
        return sorted(waiting, key=self.chosen_at.__getitem__)

    def fill_workshop(self) -> None:
        while self.workshop_has_free_seat() and self.workshop_waitlist():
            self.choice[self.workshop_waitlist()[0]] = SEAT

    def fill_event(self) -> None:
        while self.event_has_free_seat() and self.waitlist:
            pk = self.waitlist.pop(0)
            self.status[pk] = CONFIRMED
            if self.choice.get(pk) == REQUESTED:
                self.choice[pk] = SEAT if self.workshop_has_free_seat() else WAITING

    def new_choice(self, registration_status: str, *, join_waitlist: bool) -> str | None:
        """The status a new workshop choice gets; None if it is refused."""
        if registration_status != CONFIRMED:
            return REQUESTED
        if self.workshop_has_free_seat():
            return SEAT
        return WAITING if join_waitlist else None

    def record_choice(self, pk: int, status: str) -> None:
        self.clock += 1
        self.choice[pk] = status
        self.chosen_at[pk] = self.clock

    def pick(self, index: int, pks: list[int]) -> Registration:
        return Registration.objects.get(pk=sorted(pks)[index % len(pks)])

    def live(self) -> list[int]:
        return [pk for pk, status in self.status.items() if status != CANCELLED]

    def choosers(self) -> list[int]:
        return [pk for pk in self.live() if self.choice.get(pk, RELEASED) != RELEASED]

    def without_the_workshop(self) -> list[int]:
        return [pk for pk in self.live() if self.choice.get(pk, RELEASED) == RELEASED]

    def assert_promoted_from_the_head(self, waitlist_before: list[int]) -> None:
        promoted = set(waitlist_before) - set(
            Registration.objects.filter(event_id=self.event_id, status=WAITLISTED)
            .values_list("pk", flat=True)
        )
        assert sorted(promoted) == waitlist_before[: len(promoted)]

    # --- Steps ----------------------------------------------------------------------------

    @initialize(capacity=capacities, workshop_capacity=workshop_capacities)
    def create_event(self, capacity: int | None, workshop_capacity: int | None) -> None:
        event = EventFactory(capacity=capacity)
        self.workshop_id = SessionFactory(event=event, capacity=workshop_capacity).pk
        self.event_id = event.pk
        self.capacity = capacity
        self.workshop_capacity = workshop_capacity

    @rule(choose_workshop=st.booleans(), join_waitlist=st.booleans())
    def register(self, choose_workshop: bool, join_waitlist: bool) -> None:
        number = len(self.status)
        status = CONFIRMED if self.event_has_free_seat() else WAITLISTED
        arguments = dict(
            event=Event.objects.get(pk=self.event_id),
            name=f"Person {number}",
            email=f"person{number}@example.org",
            consent=True,
            session_ids=[self.workshop_id] if choose_workshop else [],
            join_waitlist=join_waitlist,
        )
        choice = self.new_choice(status, join_waitlist=join_waitlist) if choose_workshop else None
        if choose_workshop and choice is None:
            with pytest.raises(RegistrationError) as refusal:
                services.register(**arguments)
            assert refusal.value.code == "session_full"
            return  # refused as a whole: nobody is registered
        registration = services.register(**arguments).registration

        assert all(registration.pk > pk for pk in self.status)  # arrival order is pk order
        self.status[registration.pk] = status
        if status == WAITLISTED:
            self.waitlist.append(registration.pk)
        if choice is not None:
            self.record_choice(registration.pk, choice)

    @precondition(lambda self: self.live())
    @rule(index=someone)
    def cancel(self, index: int) -> None:
        registration = self.pick(index, self.live())
        waitlist_before = list(self.waitlist)

        services.cancel_registration(registration=registration)

        pk = registration.pk
        held_seat = self.status[pk] == CONFIRMED
        self.status[pk] = CANCELLED
        if pk in self.waitlist:
            self.waitlist.remove(pk)
        if pk in self.choice:
            held_workshop_seat = self.choice[pk] == SEAT
            self.choice[pk] = RELEASED
            if held_workshop_seat:
                self.fill_workshop()
        if held_seat:
            self.fill_event()
        self.assert_promoted_from_the_head([p for p in waitlist_before if p != pk])

    @precondition(lambda self: self.status)
    @rule(capacity=capacities)
    def change_capacity(self, capacity: int | None) -> None:
        event = Event.objects.get(pk=self.event_id)
        event.capacity = capacity
        if capacity is not None and capacity < len(self.confirmed()):
            with pytest.raises(ValidationError):
                save_event(event=event)
            return
        waitlist_before = list(self.waitlist)

        save_event(event=event)

        self.capacity = capacity
        self.fill_event()
        self.assert_promoted_from_the_head(waitlist_before)

    @precondition(lambda self: self.choice)
    @rule(capacity=workshop_capacities)
    def change_workshop_capacity(self, capacity: int | None) -> None:
        workshop = Session.objects.get(pk=self.workshop_id)
        workshop.capacity = capacity
        holders = [pk for pk, status in self.choice.items() if status == SEAT]
        if capacity is not None and capacity < len(holders):
            with pytest.raises(ValidationError):
                save_session(session=workshop)
            return

        save_session(session=workshop)

        self.workshop_capacity = capacity
        self.fill_workshop()

    @precondition(lambda self: self.without_the_workshop())
    @rule(index=someone)
    def choose_workshop(self, index: int) -> None:
        registration = self.pick(index, self.without_the_workshop())
        status = self.new_choice(self.status[registration.pk], join_waitlist=True)

        services.change_sessions(
            registration=registration, session_ids=[self.workshop_id], join_waitlist=True
        )

        self.record_choice(registration.pk, status)

    @precondition(lambda self: self.choosers())
    @rule(index=someone)
    def drop_workshop(self, index: int) -> None:
        registration = self.pick(index, self.choosers())

        services.change_sessions(registration=registration, session_ids=[])

        held_seat = self.choice[registration.pk] == SEAT
        self.choice[registration.pk] = RELEASED
        if held_seat:
            self.fill_workshop()

    # --- Invariants -----------------------------------------------------------------------

    @invariant()
    def the_database_agrees_with_the_model(self) -> None:
        if self.event_id is None:
            return
        event = Event.objects.get(pk=self.event_id)
        statuses = dict(
            Registration.objects.filter(event=event).values_list("pk", "status")
        )
        assert statuses == self.status
        confirmed = [pk for pk, status in statuses.items() if status == CONFIRMED]
        waitlisted = sorted(pk for pk, status in statuses.items() if status == WAITLISTED)
        assert event.capacity == self.capacity
        assert event.seats_taken == len(confirmed)
        if event.capacity is not None:
            assert event.seats_taken <= event.capacity
        if waitlisted:
            assert event.seats_taken == event.capacity  # no seat left free while someone waits
        # The waitlist is the model's, in arrival order, which is primary-key order.
        assert waitlisted == self.waitlist

        workshop = Session.objects.get(pk=self.workshop_id)
        choices = list(
            SessionChoice.objects.filter(session=workshop)
            .order_by("pk")
            .values_list("registration_id", "status")
        )
        assert dict(choices) == self.choice
        holders = [pk for pk, status in choices if status == SEAT]
        waiting = [pk for pk, status in choices if status == WAITING]
        assert workshop.capacity == self.workshop_capacity
        assert workshop.seats_taken == len(holders)
        if workshop.capacity is not None:
            assert workshop.seats_taken <= workshop.capacity
        if waiting:
            assert workshop.is_full
        # Nobody without an event seat holds, or waits for, a workshop seat.
        assert {statuses[pk] for pk in holders + waiting} <= {CONFIRMED}
        # The workshop's waitlist is served by primary key: that must be the order in which
        # the choices were made.
        assert waiting == self.workshop_waitlist()


class TestRegistrationMachine(RegistrationMachine.TestCase, DjangoTestCase):
    settings = settings(
        max_examples=40,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.mark.django_db
def test_a_workshop_chosen_again_joins_the_end_of_its_waitlist():
    """A sequence the machine found: choosing a dropped workshop again used to revive the old
    choice, and with it the old place, ahead of people who had queued in the meantime."""
    machine = RegistrationMachine()
    steps = [
        lambda: machine.create_event(capacity=None, workshop_capacity=1),
        lambda: machine.register(choose_workshop=False, join_waitlist=False),  # Ann
        lambda: machine.register(choose_workshop=False, join_waitlist=False),  # Bob
        lambda: machine.register(choose_workshop=False, join_waitlist=False),  # Cem
        lambda: machine.choose_workshop(index=0),  # Ann takes the seat
        lambda: machine.choose_workshop(index=0),  # Bob waits
        lambda: machine.drop_workshop(index=0),  # Ann drops it: Bob gets the seat
        lambda: machine.choose_workshop(index=1),  # Cem waits
        lambda: machine.choose_workshop(index=0),  # Ann comes back: behind Cem
        lambda: machine.drop_workshop(index=1),  # Bob drops it: the seat is Cem's
    ]
    try:
        for step in steps:
            step()
            machine.the_database_agrees_with_the_model()
    finally:
        machine.teardown()
