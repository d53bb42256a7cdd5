"""registrations.services.check_in and friends: one check-in per person, said clearly, undone
on request, in the audit log, and signalled to the floors above."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from agenda.audit import acting_as
from agenda.enums import AuditVia
from agenda.models import AuditEntry
from registrations import selectors, services, signals
from registrations.enums import CancelledBy, RegistrationStatus
from registrations.errors import CheckInRefused, RegistrationError
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.registrations.test_concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """The ``registration_checked_in`` signals sent, as (registration pk, undone) pairs."""
    received = []

    def receiver(sender, registration, undone, **kwargs):
        received.append((registration.pk, undone))

    signals.registration_checked_in.connect(receiver)
    yield received
    signals.registration_checked_in.disconnect(receiver)


def test_check_in_records_when_and_by_whom(sent):
    helper = UserFactory(username="door-helper")
    registration = RegistrationFactory()
    moment = timezone.now().replace(microsecond=0)

    outcome = services.check_in(registration=registration, by=helper, now=moment)

    assert (outcome.checked_in, outcome.already_checked_in) == (True, False)
    registration.refresh_from_db()
    assert (registration.checked_in_at, registration.checked_in_by) == (moment, helper)
    assert sent == [(registration.pk, False)]


def test_second_check_in_says_already_checked_in_when_and_by_whom(sent):
    first_helper, second_helper = UserFactory(), UserFactory()
    registration = RegistrationFactory()
    first = services.check_in(registration=registration, by=first_helper)

    second = services.check_in(registration=registration, by=second_helper)

    assert (second.checked_in, second.already_checked_in) == (False, True)
    assert (second.checked_in_at, second.checked_in_by) == (first.checked_in_at, first_helper)
    assert sent == [(registration.pk, False)]  # one check-in, one signal


def test_check_in_without_a_helper_named_takes_the_acting_organizer():
    organizer = UserFactory()
    registration = RegistrationFactory()

    with acting_as(organizer, via=AuditVia.ORGA):
        services.check_in(registration=registration)

    registration.refresh_from_db()
    assert registration.checked_in_by == organizer


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: RegistrationFactory(event=EventFactory(requires_approval=True)),
         "check_in_pending"),
        (lambda: RegistrationFactory(event=_full_event()), "check_in_waitlisted"),
        (lambda: services.cancel_registration(registration=RegistrationFactory()),
         "check_in_cancelled"),
    ],
    ids=["pending_approval", "waitlisted", "cancelled"],
)
def test_only_confirmed_attendees_are_checked_in(make, code, sent):
    registration = make()

    with pytest.raises(CheckInRefused) as refused:
        services.check_in(registration=registration)

    assert isinstance(refused.value, RegistrationError)
    assert (refused.value.code, refused.value.status_code) == (code, 409)
    assert refused.value.registration.pk == registration.pk
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert sent == []


def _full_event():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    return event


def test_undo_check_in_clears_it_and_a_new_check_in_is_a_first_again(sent):
    helper = UserFactory()
    registration = RegistrationFactory()
    services.check_in(registration=registration, by=helper)

    services.undo_check_in(registration=registration)

    registration.refresh_from_db()
    assert (registration.checked_in_at, registration.checked_in_by) == (None, None)
    assert services.check_in(registration=registration, by=helper).checked_in is True
    assert sent == [(registration.pk, False), (registration.pk, True), (registration.pk, False)]


def test_undo_of_nobody_checked_in_changes_nothing(sent):
    registration = RegistrationFactory()

    services.undo_check_in(registration=registration)

    assert sent == []


def test_check_ins_and_undos_are_in_the_audit_log():
    organizer = UserFactory(username="door-organizer")
    registration = RegistrationFactory()

    with acting_as(organizer, via=AuditVia.ORGA):
        services.check_in(registration=registration)
        services.check_in(registration=registration)  # already: nothing new to log
        services.undo_check_in(registration=registration)

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(entry.action, entry.actor, entry.via, entry.event_id, entry.object_id)
            for entry in entries] == [
        ("checked_in", organizer, AuditVia.ORGA, registration.event_id, str(registration.pk)),
        ("check_in_undone", organizer, AuditVia.ORGA, registration.event_id,
         str(registration.pk)),
    ]
    assert entries[1].changes["checked_in_by"] == ["door-organizer", None]


def test_check_in_by_code_finds_the_ticket_of_this_event():
    registration = RegistrationFactory()

    outcome = services.check_in_by_code(event=registration.event, code=registration.ticket_code)

    assert (outcome.registration.pk, outcome.checked_in) == (registration.pk, True)


def test_another_events_ticket_is_refused_without_checking_anyone_in():
    here = EventFactory()
    registration = RegistrationFactory(event=EventFactory(title="Other Forum"))

    with pytest.raises(CheckInRefused) as refused:
        services.check_in_by_code(event=here, code=registration.ticket_code)

    assert refused.value.code == "other_event_ticket"
    assert "Other Forum" in refused.value.message
    assert refused.value.registration is None  # whose it is stays with its own event
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize("code", ["", "nonsense", "0" * 32 + "x" * 32, "\x00" * 50])
def test_unknown_code_is_refused(code):
    event = EventFactory()

    with pytest.raises(CheckInRefused) as refused:
        services.check_in_by_code(event=event, code=code)

    assert (refused.value.code, refused.value.status_code) == ("unknown_ticket", 404)


def test_revoked_ticket_is_an_unknown_code():
    registration = RegistrationFactory()
    old_code = registration.ticket_code
    services.rotate_ticket_code(registration=registration)

    with pytest.raises(CheckInRefused) as refused:
        services.check_in_by_code(event=registration.event, code=old_code)

    assert refused.value.code == "unknown_ticket"


def test_check_in_counts_count_the_confirmed_and_those_of_them_checked_in():
    event = EventFactory(capacity=3)
    people = [RegistrationFactory(event=event) for _ in range(4)]  # the fourth waits
    services.check_in(registration=people[0])
    services.check_in(registration=people[1])
    services.cancel_registration(registration=people[1], cancelled_by=CancelledBy.ORGANIZER)
    # people[3] was promoted into the freed seat
    assert Registration.objects.get(pk=people[3].pk).status == RegistrationStatus.CONFIRMED

    counts = selectors.check_in_counts(event)

    assert (counts.confirmed, counts.checked_in, counts.still_expected) == (3, 1, 2)


def test_check_in_list_is_alphabetical_and_only_confirmed():
    event = EventFactory(capacity=3)
    for name in ("zoë Martin", "Amina Diallo", "élodie Petit", "Bram de Vries"):
        RegistrationFactory(event=event, name=name)  # Bram waits: the event is full

    names = [registration.name for registration in selectors.check_in_list(event)]

    assert names == sorted(["zoë Martin", "Amina Diallo", "élodie Petit"], key=str.lower)


def test_find_by_name_or_email_for_the_door():
    event = EventFactory()
    amina = RegistrationFactory(event=event, name="Amina Diallo", email="amina@coop.example")
    RegistrationFactory(event=event, name="Bram de Vries", email="bram@example.org")
    RegistrationFactory(event=EventFactory(), name="Amina Other")

    assert selectors.check_in_candidates(event, "amina") == [amina]
    assert selectors.check_in_candidates(event, "COOP.example") == [amina]
    assert selectors.check_in_candidates(event, "a") == []  # too short to mean anyone


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency: runs in the PostgreSQL pass "
    "(DATABASE_URL=postgres://...)",
)


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_helpers_scanning_one_ticket_at_once_check_in_once():
    registration = RegistrationFactory(event=EventFactory(start=timezone.now()
                                                          + dt.timedelta(hours=1)))
    helpers = [UserFactory(), UserFactory()]

    for _round in range(5):
        services.undo_check_in(registration=registration)
        outcomes = run_together(
            lambda helper: services.check_in_by_code(
                event=registration.event, code=registration.ticket_code, by=helper
            ),
            helpers,
        )

        assert sorted(outcome.checked_in for outcome in outcomes) == [False, True]
        winner = next(outcome for outcome in outcomes if outcome.checked_in)
        loser = next(outcome for outcome in outcomes if not outcome.checked_in)
        # The one who lost the race is told when, and by whom: the winner's check-in.
        assert (loser.checked_in_at, loser.checked_in_by) == (
            winner.checked_in_at, winner.checked_in_by,
        )
    assert AuditEntry.objects.filter(action="checked_in").count() == 0  # nobody "acting"
