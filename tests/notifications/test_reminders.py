"""notifications.reminders: one reminder per attendee and moment, to those who want it, on time
or not at all."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from agenda.enums import EventFormat
from agenda.services import cancel_event
from notifications.emails import REMINDER_GRACE
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.reminders import ReminderScan, schedule_due_reminders
from notifications.services import send_delivery
from registrations import services as registrations
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory

from .support import Email, as_received

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def reminders(**filters) -> list[tuple[str, dt.datetime, str]]:
    """(recipient, moment, status) of every recorded reminder, in that order."""
    return sorted(
        Delivery.objects.filter(kind=MessageKind.REMINDER, **filters).values_list(
            "registration__email", "scheduled_for", "status"
        )
    )


def pending_reminder(registration: Registration) -> Delivery:
    return registration.deliveries.get(kind=MessageKind.REMINDER, status=DeliveryStatus.PENDING)


def send_reminder(registration: Registration) -> Email:
    assert send_delivery(delivery_id=pending_reminder(registration).pk) is True
    return as_received(mail.outbox[-1])


def future_event(**fields):
    start = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    return EventFactory(start=start, end=start + 8 * HOUR, **fields)


# --- The scan ------------------------------------------------------------------------------------


def test_scan_records_each_moment_once_however_often_it_runs():
    event = future_event()  # default offsets: 7 days, 1 day, 1 hour
    RegistrationFactory(event=event, email="amina@example.org")
    RegistrationFactory(event=event, email="bruno@example.org")
    week_before, day_before = event.start - 7 * DAY, event.start - DAY

    scans = [
        schedule_due_reminders(now=week_before - dt.timedelta(minutes=1)),
        schedule_due_reminders(now=week_before + dt.timedelta(minutes=1)),
        schedule_due_reminders(now=week_before + dt.timedelta(minutes=1)),
        schedule_due_reminders(now=week_before + dt.timedelta(minutes=20)),
        schedule_due_reminders(now=day_before),
        schedule_due_reminders(now=day_before + dt.timedelta(minutes=5)),
    ]

    assert scans == [
        ReminderScan(due=0, skipped=0),
        ReminderScan(due=2, skipped=0),
        ReminderScan(due=0, skipped=0),
        ReminderScan(due=0, skipped=0),
        ReminderScan(due=2, skipped=0),
        ReminderScan(due=0, skipped=0),
    ]
    assert reminders() == [
        ("amina@example.org", week_before, "pending"),
        ("amina@example.org", day_before, "pending"),
        ("bruno@example.org", week_before, "pending"),
        ("bruno@example.org", day_before, "pending"),
    ]


def test_scan_uses_each_events_own_offsets():
    event = future_event(reminder_offsets=[180, 30])
    RegistrationFactory(event=event, email="amina@example.org")
    silent = future_event(reminder_offsets=[])
    RegistrationFactory(event=silent, email="bruno@example.org")

    scan = schedule_due_reminders(now=event.start - dt.timedelta(minutes=30))

    assert scan == ReminderScan(due=1, skipped=1)
    assert reminders() == [
        ("amina@example.org", event.start - 3 * HOUR, "skipped"),
        ("amina@example.org", event.start - dt.timedelta(minutes=30), "pending"),
    ]


def test_scan_reminds_only_confirmed_attendees_who_want_reminders():
    event = future_event(capacity=3)
    RegistrationFactory(event=event, email="confirmed@example.org")
    no_thanks = RegistrationFactory(event=event, email="reminders-off@example.org")
    leaving = RegistrationFactory(event=event, email="cancelled@example.org")
    RegistrationFactory(event=event, email="waitlisted@example.org")
    RegistrationFactory(event=event, email="still-waitlisted@example.org")
    registrations.set_reminders(registration=no_thanks, enabled=False)
    registrations.cancel_registration(registration=leaving)  # promotes waitlisted@
    approval = future_event(requires_approval=True)
    RegistrationFactory(event=approval, email="pending@example.org")

    schedule_due_reminders(now=event.start - HOUR)

    assert [email for email, _moment, status in reminders() if status == "pending"] == [
        "confirmed@example.org", "waitlisted@example.org",
    ]


def test_scan_skips_cancelled_events():
    event = future_event()
    RegistrationFactory(event=event)
    cancel_event(event=event)

    assert schedule_due_reminders(now=event.start - HOUR) == ReminderScan(due=0, skipped=0)
    assert reminders() == []


def test_reminder_past_the_grace_period_is_recorded_as_skipped_not_sent():
    event = future_event(reminder_offsets=[60])
    RegistrationFactory(event=event, email="amina@example.org")
    moment = event.start - HOUR

    late = schedule_due_reminders(now=moment + REMINDER_GRACE + dt.timedelta(minutes=1))
    again = schedule_due_reminders(now=moment + REMINDER_GRACE + dt.timedelta(minutes=2))

    assert (late, again) == (ReminderScan(due=0, skipped=1), ReminderScan(due=0, skipped=0))
    assert reminders() == [("amina@example.org", moment, "skipped")]


def test_reminder_within_the_grace_period_is_still_due():
    event = future_event(reminder_offsets=[60])
    RegistrationFactory(event=event)

    scan = schedule_due_reminders(now=event.start - HOUR + REMINDER_GRACE)

    assert scan == ReminderScan(due=1, skipped=0)


def test_recorded_reminder_is_skipped_when_it_could_only_be_sent_late():
    # The 1-hour reminder was due 31 minutes ago (say the workers were down since).
    start = timezone.now() + dt.timedelta(minutes=29)
    event = EventFactory(start=start, end=start + HOUR, reminder_offsets=[60])
    registration = RegistrationFactory(event=event)
    schedule_due_reminders(now=start - HOUR)
    reminder = pending_reminder(registration)

    sent = send_delivery(delivery_id=reminder.pk)

    reminder.refresh_from_db()
    assert (sent, reminder.status, mail.outbox) == (False, DeliveryStatus.SKIPPED, [])


@pytest.mark.parametrize("change", ["registration cancelled", "reminders off", "event cancelled"])
def test_recorded_reminder_is_not_sent_once_no_longer_wanted(change):
    event = future_event()
    registration = RegistrationFactory(event=event)
    schedule_due_reminders(now=event.start - HOUR)
    reminder = pending_reminder(registration)
    if change == "registration cancelled":
        registrations.cancel_registration(registration=registration)
    elif change == "reminders off":
        registrations.set_reminders(registration=registration, enabled=False)
    else:
        cancel_event(event=event)

    sent = send_delivery(delivery_id=reminder.pk)

    reminder.refresh_from_db()
    assert (sent, reminder.status) == (False, DeliveryStatus.SKIPPED)
    assert [message.subject for message in mail.outbox] == []


def test_cancelled_attendee_gets_no_later_reminders():
    event = future_event()
    registration = RegistrationFactory(event=event, email="amina@example.org")
    schedule_due_reminders(now=event.start - 7 * DAY)
    registrations.cancel_registration(registration=registration)

    scan = schedule_due_reminders(now=event.start - DAY)

    assert scan == ReminderScan(due=0, skipped=0)
    assert reminders() == [("amina@example.org", event.start - 7 * DAY, "pending")]


# --- What a reminder says ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "sentence"),
    [
        (7 * 24 * 60, "A reminder: the event starts in 7 days."),
        (24 * 60, "A reminder: the event starts in 1 day."),
        (120, "A reminder: the event starts in 2 hours."),
        (60, "A reminder: the event starts in 1 hour."),
    ],
)
def test_reminder_says_how_soon_the_event_starts(offset, sentence):
    event = future_event(reminder_offsets=[offset])
    registration = RegistrationFactory(event=event)
    schedule_due_reminders(now=event.start - dt.timedelta(minutes=offset))

    email = send_reminder(registration)

    assert email.text.splitlines()[2] == sentence


def test_reminder_lists_the_chosen_sessions_in_the_events_zone():
    day = (timezone.now() + dt.timedelta(days=30)).date()
    start = dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC)  # 09:00 in Shanghai
    event = EventFactory(timezone="Asia/Shanghai", start=start, end=start + 8 * HOUR)
    room = RoomFactory(event=event, name="Hall B")
    keynote, workshop, skipped = (
        SessionFactory(event=event, title=title, room=room, start=start + offset * HOUR,
                       end=start + (offset + 1) * HOUR)
        for title, offset in (("Keynote", 0), ("Workshop", 2), ("Not chosen", 4))
    )
    registration = RegistrationFactory(event=event, session_ids=[workshop.pk, keynote.pk])
    schedule_due_reminders(now=start - HOUR)

    email = send_reminder(registration)

    lines = email.text.splitlines()
    listed = lines[lines.index("Your sessions:") + 1:lines.index("Your sessions:") + 3]
    weekday_day_month = f"{start:%a} {start.day} {start:%b}"
    assert listed == [
        f"- {weekday_day_month} 09:00–10:00 Keynote (Hall B)",
        f"- {weekday_day_month} 11:00–12:00 Workshop (Hall B)",
    ]
    assert skipped.title not in email.text + email.html
    assert f"<li>{weekday_day_month} 11:00–12:00 Workshop (Hall B)</li>" in email.html


@pytest.mark.parametrize(
    ("event_format", "online_url", "join_line"),
    [
        (EventFormat.ONLINE, "https://meet.example.org/r/42",
         "Join online: https://meet.example.org/r/42"),
        (EventFormat.HYBRID, "https://meet.example.org/r/43",
         "Join online: https://meet.example.org/r/43"),
        (EventFormat.IN_PERSON, "", None),
    ],
)
def test_reminder_carries_the_join_link_for_online_events(event_format, online_url, join_line):
    event = future_event(format=event_format, online_url=online_url)
    registration = RegistrationFactory(event=event)
    schedule_due_reminders(now=event.start - HOUR)

    email = send_reminder(registration)

    joins = [line for line in email.text.splitlines() if line.startswith("Join online")]
    assert joins == ([join_line] if join_line else [])
    assert (online_url != "" and f'href="{online_url}"' in email.html) == bool(join_line)


def test_join_link_goes_to_confirmed_attendees_only():
    event = future_event(capacity=1, format=EventFormat.ONLINE,
                         online_url="https://meet.example.org/r/private")
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    notice = waiting.deliveries.get(kind=MessageKind.REGISTRATION_WAITLISTED)

    send_delivery(delivery_id=notice.pk)

    email = as_received(mail.outbox[0])
    assert [line for line in (email.text + email.html).splitlines()
            if "meet.example.org" in line] == []
