"""registrations.services: seats, waitlists, approval, and the emails they leave in the outbox."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from agenda.models import Event
from agenda.services import cancel_session, save_event, save_session
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.services import send_delivery
from registrations import links, services
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.errors import RegistrationError
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def status_of(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


def choice_status(registration: Registration, session) -> str:
    return registration.session_choices.get(session=session).status


def seats_taken(instance) -> int:
    instance.refresh_from_db()
    return instance.seats_taken


def kinds(registration: Registration) -> list[str]:
    return sorted(registration.deliveries.values_list("kind", flat=True))


# --- register -----------------------------------------------------------------------------------


def test_register_refuses_without_consent():
    event = EventFactory()

    with pytest.raises(RegistrationError) as refused:
        services.register(event=event, name="Amina", email="amina@example.org", consent=False)

    assert (refused.value.code, refused.value.field) == ("consent_required", "consent")
    assert Registration.objects.count() == 0


def test_register_records_consent_version_and_time():
    event = EventFactory()
    moment = timezone.now().replace(microsecond=0)

    outcome = services.register(event=event, name="Amina", email="amina@example.org",
                                consent=True, now=moment)

    registration = Registration.objects.get()
    assert outcome.created is True
    assert (registration.consent_version, registration.consented_at) == (
        settings.PRIVACY_NOTICE_VERSION, moment,
    )
    assert registration.confirmed_at == moment


def test_register_fills_seats_then_waitlists_in_arrival_order():
    event = EventFactory(capacity=2)

    registrations = RegistrationFactory.create_batch(4, event=event)

    assert [r.status for r in registrations] == [
        "confirmed", "confirmed", "waitlisted", "waitlisted",
    ]
    assert seats_taken(event) == 2


def test_unlimited_event_confirms_everyone():
    event = EventFactory(capacity=None)

    registrations = RegistrationFactory.create_batch(3, event=event)

    assert {r.status for r in registrations} == {"confirmed"}
    assert seats_taken(event) == 3


def test_duplicate_registration_returns_the_existing_one_uncreated():
    event = EventFactory()
    existing = RegistrationFactory(event=event, email="Amina@Example.org")

    outcome = services.register(event=event, name="Other", email="amina@example.ORG",
                                consent=True)

    assert (outcome.created, outcome.registration) == (False, existing)
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(("minutes_ago", "notices"), [(1, 1), (14, 1), (16, 2)])
def test_link_to_an_existing_registration_is_sent_once_per_quarter_hour(minutes_ago, notices):
    event = EventFactory()
    existing = RegistrationFactory(event=event, email="amina@example.org")
    services.register(event=event, name="Amina", email="amina@example.org", consent=True)
    # The first link went out ``minutes_ago``.
    sent = timezone.now() - dt.timedelta(minutes=minutes_ago)
    existing.deliveries.filter(kind=MessageKind.ALREADY_REGISTERED).update(
        created_at=sent, scheduled_for=sent
    )

    services.register(event=event, name="Amina", email="amina@example.org", consent=True)

    assert existing.deliveries.filter(kind=MessageKind.ALREADY_REGISTERED).count() == notices


def test_registration_window_is_judged_at_the_given_moment():
    opens = timezone.now() + dt.timedelta(days=1)
    closes = opens + dt.timedelta(days=2)
    event = EventFactory(registration_opens_at=opens, registration_closes_at=closes)

    with pytest.raises(RegistrationError) as early:
        services.check_registration_open(event, now=opens - dt.timedelta(seconds=1))
    with pytest.raises(RegistrationError) as late:
        services.check_registration_open(event, now=closes)
    services.check_registration_open(event, now=opens)
    services.check_registration_open(event, now=closes - dt.timedelta(seconds=1))

    assert (early.value.code, early.value.status_code) == ("not_open_yet", 409)
    assert (late.value.code, late.value.status_code) == ("closed", 409)


def test_closing_message_names_the_moment_in_the_events_time_zone():
    closes = dt.datetime(2030, 3, 1, 11, 0, tzinfo=dt.UTC)
    event = EventFactory(start=closes + dt.timedelta(days=1), timezone="Asia/Tokyo",
                         registration_closes_at=closes)

    with pytest.raises(RegistrationError) as refused:
        services.check_registration_open(event, now=closes)

    assert refused.value.message == (
        "Registration for this event closed on March 1, 2030, 8 p.m. (Asia/Tokyo)."
    )


# --- Capacity changes by the organizer ----------------------------------------------------------


def test_raising_capacity_promotes_the_first_waitlisted_in_arrival_order():
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    first, second = RegistrationFactory.create_batch(2, event=event)

    event.refresh_from_db()
    event.capacity = 2
    save_event(event=event)

    assert [status_of(r) for r in (confirmed, first, second)] == [
        "confirmed", "confirmed", "waitlisted",
    ]
    assert kinds(first) == ["promoted", "registration_waitlisted"]
    assert seats_taken(event) == 2


def test_raising_capacity_from_a_stale_copy_of_the_event_keeps_the_seat_count():
    event = EventFactory(capacity=1)
    organizers_copy = Event.objects.get(pk=event.pk)  # loaded before anyone registered
    confirmed = RegistrationFactory(event=event)
    first, second = RegistrationFactory.create_batch(2, event=event)

    organizers_copy.capacity = 2
    save_event(event=organizers_copy)

    assert [status_of(r) for r in (confirmed, first, second)] == [
        "confirmed", "confirmed", "waitlisted",
    ]
    assert seats_taken(event) == 2


def test_removing_the_capacity_limit_promotes_the_whole_waitlist():
    event = EventFactory(capacity=1)
    registrations = RegistrationFactory.create_batch(3, event=event)

    event.refresh_from_db()
    event.capacity = None
    save_event(event=event)

    assert [status_of(r) for r in registrations] == ["confirmed"] * 3


def test_lowering_capacity_below_the_confirmed_count_is_refused():
    event = EventFactory(capacity=3)
    RegistrationFactory.create_batch(2, event=event)

    event.refresh_from_db()
    event.capacity = 1
    with pytest.raises(ValidationError) as refused:
        save_event(event=event)

    assert refused.value.message_dict == {
        "capacity": [
            "2 attendees are confirmed; the capacity cannot go below that. "
            "Cancel registrations first."
        ]
    }
    event.refresh_from_db()
    assert event.capacity == 3


def test_lowering_capacity_to_the_confirmed_count_keeps_everyone_in_place():
    event = EventFactory(capacity=3)
    confirmed = RegistrationFactory.create_batch(2, event=event)

    event.refresh_from_db()
    event.capacity = 2
    save_event(event=event)
    late = RegistrationFactory(event=event)

    assert [status_of(r) for r in confirmed] == ["confirmed", "confirmed"]
    assert late.status == RegistrationStatus.WAITLISTED


def test_raising_session_capacity_promotes_its_waitlist():
    event = EventFactory()
    workshop = SessionFactory(event=event, capacity=1)
    RegistrationFactory(event=event, session_ids=[workshop.pk])
    waiting = RegistrationFactory(event=event, session_ids=[workshop.pk], join_waitlist=True)

    workshop.refresh_from_db()
    workshop.capacity = 2
    save_session(session=workshop)

    assert choice_status(waiting, workshop) == SessionChoiceStatus.CONFIRMED
    assert kinds(waiting) == ["registration_confirmed", "session_seat"]
    assert seats_taken(workshop) == 2


def test_cancelled_session_cannot_be_chosen_any_more():
    event = EventFactory()
    session = SessionFactory(event=event, title="Postponed panel")
    cancel_session(session=session)

    with pytest.raises(RegistrationError) as refused:
        services.register(event=event, name="Amina", email="amina@example.org", consent=True,
                          session_ids=[session.pk])

    assert (refused.value.code, refused.value.field) == ("session_cancelled", "sessions")
    assert Registration.objects.count() == 0


# --- Organizer actions --------------------------------------------------------------------------


def test_approving_a_pending_registration_confirms_it_when_a_seat_is_free():
    event = EventFactory(capacity=1, requires_approval=True)
    session = SessionFactory(event=event, capacity=1)
    pending = RegistrationFactory(event=event, session_ids=[session.pk])

    services.approve_registration(registration=pending)

    assert status_of(pending) == RegistrationStatus.CONFIRMED
    assert choice_status(pending, session) == SessionChoiceStatus.CONFIRMED
    assert kinds(pending) == ["registration_confirmed", "registration_pending"]
    assert (seats_taken(event), seats_taken(session)) == (1, 1)


def test_approving_when_the_event_is_full_waitlists():
    event = EventFactory(capacity=1, requires_approval=True)
    first, second = RegistrationFactory.create_batch(2, event=event)
    services.approve_registration(registration=first)

    services.approve_registration(registration=second)

    assert status_of(second) == RegistrationStatus.WAITLISTED


def test_approving_twice_is_refused():
    event = EventFactory(requires_approval=True)
    pending = RegistrationFactory(event=event)
    services.approve_registration(registration=pending)

    with pytest.raises(RegistrationError) as refused:
        services.approve_registration(registration=pending)

    assert refused.value.code == "not_pending"


def test_promoting_out_of_turn_raises_the_capacity_so_nobody_loses_a_seat():
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    first, second = RegistrationFactory.create_batch(2, event=event)

    services.promote_registration(registration=second)

    assert [status_of(r) for r in (confirmed, first, second)] == [
        "confirmed", "waitlisted", "confirmed",
    ]
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken) == (2, 2)


def test_organizer_cancellation_promotes_and_says_who_cancelled():
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)

    services.cancel_registration(registration=confirmed, cancelled_by="organizer")

    assert (status_of(confirmed), status_of(waiting)) == ("cancelled", "confirmed")
    assert confirmed.deliveries.get(kind=MessageKind.CANCELLED).context == {
        "cancelled_by": "organizer"
    }


def test_a_seat_freed_in_a_cancelled_session_is_given_to_nobody():
    event = EventFactory()
    workshop = SessionFactory(event=event, capacity=1)
    holder = RegistrationFactory(event=event, session_ids=[workshop.pk])
    waiting = RegistrationFactory(event=event, session_ids=[workshop.pk], join_waitlist=True)
    cancel_session(session=workshop)

    services.change_sessions(registration=holder, session_ids=[])

    assert choice_status(waiting, workshop) == SessionChoiceStatus.WAITLISTED
    # Told of the cancellation, never offered a seat in it.
    assert sorted(kinds(waiting)) == ["change_notice", "registration_confirmed"]
    assert seats_taken(workshop) == 0


def test_cancelling_after_the_event_is_over_is_refused_and_promotes_nobody():
    start = timezone.now() - dt.timedelta(days=2)
    event = EventFactory(start=start, end=start + dt.timedelta(hours=8), capacity=1)
    confirmed = RegistrationFactory(event=event, now=start - dt.timedelta(days=1))
    waiting = RegistrationFactory(event=event, now=start - dt.timedelta(days=1))

    with pytest.raises(RegistrationError) as refused:
        services.cancel_registration(registration=confirmed)

    assert (refused.value.code, refused.value.status_code) == ("event_over", 409)
    assert (status_of(confirmed), status_of(waiting)) == ("confirmed", "waitlisted")
    assert kinds(waiting) == ["registration_waitlisted"]


def test_changing_sessions_after_the_event_is_over_is_refused():
    start = timezone.now() - dt.timedelta(days=2)
    event = EventFactory(start=start, end=start + dt.timedelta(hours=8))
    registration = RegistrationFactory(event=event, now=start - dt.timedelta(days=1))

    with pytest.raises(RegistrationError) as refused:
        services.change_sessions(registration=registration, session_ids=[])

    assert (refused.value.code, refused.value.status_code) == ("event_over", 409)


def test_check_in_marks_a_confirmed_attendee_once():
    registration = RegistrationFactory()

    first = services.check_in(registration=registration).checked_in_at
    second = services.check_in(registration=registration).checked_in_at

    assert first is not None
    assert second == first


# --- The outbox ---------------------------------------------------------------------------------


def test_confirmation_email_carries_the_management_link(django_capture_on_commit_callbacks):
    event = EventFactory(title="Living Wage Summit")

    with django_capture_on_commit_callbacks(execute=True):
        registration = RegistrationFactory(event=event, email="amina@example.org")
    delivery = Delivery.objects.get(registration=registration)
    sent = send_delivery(delivery_id=delivery.pk)

    assert sent is True
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["amina@example.org"], "You are registered: Living Wage Summit")
    ]
    assert links.manage_url(registration) in mail.outbox[0].body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_owner_of_an_address_gets_their_link_when_someone_registers_it_again():
    event = EventFactory(title="Living Wage Summit")
    existing = RegistrationFactory(event=event, email="amina@example.org")
    services.register(event=event, name="Impostor", email="AMINA@example.org", consent=True)

    notice = existing.deliveries.get(kind=MessageKind.ALREADY_REGISTERED)
    send_delivery(delivery_id=notice.pk)

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["amina@example.org"], "Your registration for Living Wage Summit")
    ]
    assert existing.manage_token in mail.outbox[0].body
    assert "Impostor" not in mail.outbox[0].body


def test_a_refused_registration_leaves_no_email_behind():
    event = EventFactory()
    full = SessionFactory(event=event, capacity=1)
    RegistrationFactory(event=event, session_ids=[full.pk])

    with pytest.raises(RegistrationError):
        services.register(event=event, name="Amina", email="amina@example.org", consent=True,
                          session_ids=[full.pk])

    assert Delivery.objects.count() == 1
    assert seats_taken(event) == 1


def test_a_cancelled_session_already_in_the_agenda_may_stay_while_others_change():
    event = EventFactory()
    kept = SessionFactory(event=event, title="Postponed panel")
    added = SessionFactory(event=event, title="Closing plenary")
    registration = RegistrationFactory(event=event, session_ids=[kept.pk])
    cancel_session(session=kept)

    services.change_sessions(registration=registration, session_ids=[kept.pk, added.pk])

    assert sorted(
        registration.session_choices.exclude(status=SessionChoiceStatus.RELEASED)
        .values_list("session__title", flat=True)
    ) == ["Closing plenary", "Postponed panel"]
