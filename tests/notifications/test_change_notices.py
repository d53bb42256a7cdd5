"""notifications.changes: an organizer's edits reach the attendees they concern, once per
window, in words describing the programme as it then stands."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from agenda.models import Event, Session
from agenda.services import cancel_event, cancel_session, save_event, save_session
from notifications.changes import COALESCE_WINDOW
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.services import dispatch_due_deliveries, send_delivery
from registrations import services as registrations
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory

from .support import Email, as_received

pytestmark = pytest.mark.django_db

YEAR = timezone.now().year + 2


def shanghai_event() -> Event:
    """14 March, two years on: 09:30–17:30 in Shanghai (01:30 UTC), two sessions in Hall A."""
    start = dt.datetime(YEAR, 3, 14, 1, 30, tzinfo=dt.UTC)
    event = EventFactory(timezone="Asia/Shanghai", start=start,
                         end=start + dt.timedelta(hours=8))
    hall = RoomFactory(event=event, name="Hall A")
    for title, hours in (("Opening plenary", 1), ("Closing panel", 5)):
        SessionFactory(event=event, title=title, room=hall,
                       start=start + dt.timedelta(hours=hours),
                       end=start + dt.timedelta(hours=hours + 1))
    return event


def session(event: Event, title: str) -> Session:
    return event.sessions.get(title=title)


def notices(**filters) -> list[tuple[str, str]]:
    """(recipient, status) of every change notice, in that order."""
    return sorted(
        Delivery.objects.filter(kind=MessageKind.CHANGE_NOTICE, **filters)
        .values_list("registration__email", "status")
    )


def pending_notice(registration: Registration) -> Delivery:
    return registration.deliveries.get(
        kind=MessageKind.CHANGE_NOTICE, status=DeliveryStatus.PENDING
    )


def send_notice(registration: Registration) -> Email:
    assert send_delivery(delivery_id=pending_notice(registration).pk) is True
    return as_received(mail.outbox[-1])


def what_changed(email: Email) -> list[str]:
    lines = email.text.splitlines()
    start = lines.index("What changed:") + 1
    return lines[start:lines.index("", start)]


def postpone(item: Event | Session, minutes: int) -> None:
    item.start += dt.timedelta(minutes=minutes)
    item.end += dt.timedelta(minutes=minutes)


def test_edits_within_the_window_make_one_notice_describing_them_all():
    event = shanghai_event()
    plenary = session(event, "Opening plenary")
    registration = RegistrationFactory(event=event, email="amina@example.org",
                                       session_ids=[plenary.pk])

    postpone(plenary, 30)
    save_session(session=plenary)
    plenary.room = RoomFactory(event=event, name="Hall B")
    save_session(session=plenary)
    event.venue_name, event.venue_address = "Expo Centre", "1 Century Avenue, Shanghai"
    save_event(event=event)

    assert notices() == [("amina@example.org", "pending")]
    assert what_changed(send_notice(registration)) == [
        f"- “Opening plenary” moves to March 14, {YEAR}, 11 a.m. – noon (Asia/Shanghai).",
        "- “Opening plenary” moves to Hall B.",
        "- New place: Expo Centre, 1 Century Avenue, Shanghai",
    ]


def test_notice_describes_the_programme_as_it_stands_when_sent():
    event = shanghai_event()
    plenary = session(event, "Opening plenary")
    registration = RegistrationFactory(event=event, session_ids=[plenary.pk])

    postpone(plenary, 30)
    save_session(session=plenary)
    postpone(plenary, 30)  # changed their mind again within the window
    save_session(session=plenary)

    assert what_changed(send_notice(registration)) == [
        f"- “Opening plenary” moves to March 14, {YEAR}, 11:30 a.m. – 12:30 p.m. (Asia/Shanghai).",
    ]


def test_notice_waits_for_the_window_to_close(django_capture_on_commit_callbacks):
    event = shanghai_event()
    registration = RegistrationFactory(event=event)
    send_delivery(delivery_id=registration.deliveries.get().pk)  # the confirmation went out
    before = timezone.now()

    postpone(event, 60)
    event.sessions.update(start=event.start + dt.timedelta(hours=1),
                          end=event.start + dt.timedelta(hours=2))
    save_event(event=event)

    notice = Delivery.objects.get(kind=MessageKind.CHANGE_NOTICE)
    with django_capture_on_commit_callbacks(execute=True):
        during = dispatch_due_deliveries(now=notice.scheduled_for - dt.timedelta(seconds=1))
        closed = dispatch_due_deliveries(now=notice.scheduled_for)
    assert (during, closed) == (0, 1)
    assert before + COALESCE_WINDOW <= notice.scheduled_for <= timezone.now() + COALESCE_WINDOW


def test_edit_after_the_notice_was_sent_makes_a_new_notice():
    event = shanghai_event()
    plenary = session(event, "Opening plenary")
    registration = RegistrationFactory(event=event, email="amina@example.org",
                                       session_ids=[plenary.pk])
    postpone(plenary, 30)
    save_session(session=plenary)
    send_notice(registration)

    plenary.room = RoomFactory(event=event, name="Hall B")
    save_session(session=plenary)

    assert notices() == [("amina@example.org", "pending"), ("amina@example.org", "sent")]
    assert what_changed(send_notice(registration)) == ["- “Opening plenary” moves to Hall B."]


def test_attendees_of_another_session_are_not_told_of_a_session_change():
    event = shanghai_event()
    plenary, panel = session(event, "Opening plenary"), session(event, "Closing panel")
    RegistrationFactory(event=event, email="plenary@example.org", session_ids=[plenary.pk])
    RegistrationFactory(event=event, email="panel@example.org", session_ids=[panel.pk])
    RegistrationFactory(event=event, email="no-sessions@example.org")

    cancel_session(session=plenary)

    assert notices() == [("plenary@example.org", "pending")]


def test_event_change_tells_every_registered_attendee_once():
    event = shanghai_event()
    event.capacity = 2
    event.save()
    plenary = session(event, "Opening plenary")
    RegistrationFactory(event=event, email="plenary@example.org", session_ids=[plenary.pk])
    RegistrationFactory(event=event, email="confirmed@example.org")
    RegistrationFactory(event=event, email="waitlisted@example.org")
    leaving = RegistrationFactory(event=event, email="cancelled@example.org")
    registrations.cancel_registration(registration=leaving)
    cancel_session(session=plenary)

    postpone(event, 15)
    event.sessions.update(start=event.start + dt.timedelta(hours=1),
                          end=event.start + dt.timedelta(hours=2))
    save_event(event=event)

    assert notices() == [
        ("confirmed@example.org", "pending"),
        ("plenary@example.org", "pending"),
        ("waitlisted@example.org", "pending"),
    ]


def test_cancelling_the_event_says_so_whatever_else_changed():
    event = shanghai_event()
    registration = RegistrationFactory(event=event)
    event.venue_name = "Expo Centre"
    save_event(event=event)

    cancel_event(event=event)

    email = send_notice(registration)
    assert what_changed(email) == ["- The event has been cancelled."]
    assert email.subject == f"Change to your programme: {event.title}"
    assert [str(vevent["STATUS"]) for vevent in email.calendar.walk("VEVENT")] == ["CANCELLED"]


def test_notice_is_not_sent_to_an_attendee_who_cancelled_since():
    event = shanghai_event()
    registration = RegistrationFactory(event=event)
    event.venue_name = "Expo Centre"
    save_event(event=event)
    notice = pending_notice(registration)
    registrations.cancel_registration(registration=registration)

    sent = send_delivery(delivery_id=notice.pk)

    assert (sent, Delivery.objects.get(pk=notice.pk).status) == (False, DeliveryStatus.SKIPPED)
    assert mail.outbox == []


def test_edits_that_change_nothing_attendees_see_tell_nobody():
    event = shanghai_event()
    RegistrationFactory(event=event)

    event.summary = "A new summary"
    event.capacity = 500
    save_event(event=event)

    assert notices() == []
