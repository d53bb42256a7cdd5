"""notifications.emails: what every attendee email says, in which zone, with which calendar."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.ical import event_uid, session_uid
from agenda.models import Event, Session
from agenda.services import save_session
from notifications.emails import TICKET_KINDS
from notifications.enums import Audience, DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.reminders import schedule_due_reminders
from notifications.services import send_deliveries, send_delivery, send_organizer_message
from notifications.wire import WireMessage
from registrations import links, tickets
from registrations import services as registrations
from registrations.enums import CancelledBy
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

from .support import Email, as_received

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def shanghai_event(*, session_capacity: int | None = None, **fields) -> Event:
    """An event at 01:30 UTC, 09:30 in Shanghai (+08), with one session an hour later."""
    day = (timezone.now() + dt.timedelta(days=30)).date()
    start = dt.datetime.combine(day, dt.time(1, 30), tzinfo=dt.UTC)
    event = EventFactory(
        timezone="Asia/Shanghai", start=start, end=start + dt.timedelta(hours=8), **fields
    )
    SessionFactory(
        event=event,
        title="Opening plenary",
        start=start + dt.timedelta(hours=1),
        end=start + dt.timedelta(hours=2),
        capacity=session_capacity,
    )
    return event


def plenary(event: Event) -> Session:
    return event.sessions.get(title="Opening plenary")


def register(event: Event, **fields) -> Registration:
    return RegistrationFactory(event=event, session_ids=[plenary(event).pk], **fields)


# Each builds the situation in which the email is owed, through the services, and returns the
# registration it is owed to.


def confirmed_registration() -> Registration:
    return register(shanghai_event())


def waitlisted_registration() -> Registration:
    event = shanghai_event(capacity=1)
    register(event)
    return register(event)


def registration_pending_approval() -> Registration:
    return register(shanghai_event(requires_approval=True))


def promoted_registration() -> Registration:
    event = shanghai_event(capacity=1)
    first = register(event)
    waiting = register(event)
    registrations.cancel_registration(registration=first)
    return waiting


def registration_given_a_session_seat() -> Registration:
    event = shanghai_event(session_capacity=1)
    first = register(event)
    waiting = register(event, join_waitlist=True)
    registrations.change_sessions(registration=first, session_ids=[])
    return waiting


def registration_cancelled_by_the_organizer() -> Registration:
    registration = register(shanghai_event())
    return registrations.cancel_registration(
        registration=registration, cancelled_by=CancelledBy.ORGANIZER
    )


def registration_registered_again() -> Registration:
    registration = register(shanghai_event())
    registrations.register(event=registration.event, name="Someone", email=registration.email,
                           consent=True)
    return registration


def registration_reminded() -> Registration:
    registration = register(shanghai_event())
    schedule_due_reminders(now=registration.event.start - dt.timedelta(minutes=60))
    return registration


def registration_told_of_a_change() -> Registration:
    registration = register(shanghai_event())
    session = plenary(registration.event)
    session.start += dt.timedelta(minutes=30)
    session.end += dt.timedelta(minutes=30)
    save_session(session=session)
    return registration


def registration_that_changed_its_sessions() -> Registration:
    registration = register(shanghai_event())
    registrations.change_sessions(registration=registration, session_ids=[])
    registrations.change_sessions(
        registration=registration, session_ids=[plenary(registration.event).pk]
    )
    # The second change is the one sent here: the programme as it now stands.
    registration.deliveries.filter(kind=MessageKind.SESSIONS_CHANGED).order_by("pk").first(
    ).delete()
    return registration


def registration_sent_an_organizer_message() -> Registration:
    registration = register(shanghai_event())
    send_organizer_message(event=registration.event, subject="Practical details",
                           body="Bring your badge.", audience=Audience.CONFIRMED, sent_by=None)
    return registration


SITUATIONS = {
    MessageKind.REGISTRATION_CONFIRMED: confirmed_registration,
    MessageKind.REGISTRATION_WAITLISTED: waitlisted_registration,
    MessageKind.REGISTRATION_PENDING: registration_pending_approval,
    MessageKind.PROMOTED: promoted_registration,
    MessageKind.SESSION_SEAT: registration_given_a_session_seat,
    MessageKind.CANCELLED: registration_cancelled_by_the_organizer,
    MessageKind.ALREADY_REGISTERED: registration_registered_again,
    MessageKind.REMINDER: registration_reminded,
    MessageKind.CHANGE_NOTICE: registration_told_of_a_change,
    MessageKind.SESSIONS_CHANGED: registration_that_changed_its_sessions,
    MessageKind.ORGANIZER_MESSAGE: registration_sent_an_organizer_message,
}

SUBJECTS = {
    MessageKind.REGISTRATION_CONFIRMED: "You are registered: {title}",
    MessageKind.REGISTRATION_WAITLISTED: "You are on the waitlist: {title}",
    MessageKind.REGISTRATION_PENDING: "Registration received, awaiting approval: {title}",
    MessageKind.PROMOTED: "A seat is yours: {title}",
    MessageKind.SESSION_SEAT: "A seat in your session is yours: {title}",
    MessageKind.CANCELLED: "Registration cancelled: {title}",
    MessageKind.ALREADY_REGISTERED: "Your registration for {title}",
    MessageKind.REMINDER: "Reminder: {title}",
    MessageKind.CHANGE_NOTICE: "Change to your programme: {title}",
    MessageKind.SESSIONS_CHANGED: "Your sessions are updated: {title}",
    # The organizers' own subject, as they wrote it.
    MessageKind.ORGANIZER_MESSAGE: "Practical details",
}


def send(registration: Registration, kind: str) -> Email:
    delivery = registration.deliveries.get(kind=kind, status=DeliveryStatus.PENDING)
    assert send_delivery(delivery_id=delivery.pk) is True
    return as_received(mail.outbox[-1])


def local_day(event: Event) -> str:
    """How the templates write the event's first day ("l j F Y"), in English."""
    local = event.start.astimezone(SHANGHAI)
    return f"{local:%A} {local.day} {local:%B} {local.year}"


def test_every_kind_of_email_has_a_subject_for_the_event():
    assert sorted(SITUATIONS) == sorted(MessageKind.values)
    assert sorted(SUBJECTS) == sorted(MessageKind.values)


@pytest.mark.parametrize("kind", MessageKind.values)
def test_email_has_text_and_html_in_the_events_zone_with_manage_link_and_calendar(kind):
    registration = SITUATIONS[kind]()
    event = registration.event
    session = plenary(event)

    email = send(registration, kind)

    assert email.to == [registration.email]
    assert email.subject == SUBJECTS[kind].format(title=event.title)
    # The confirmed attendee's ticket: its QR code shown inline in the HTML body.
    ticket = ["image/png"] if kind in TICKET_KINDS else []
    assert email.body_types == [*ticket, "text/html", "text/plain"]
    when = f"{local_day(event)}, 09:30 – 17:30 (Asia/Shanghai)"
    assert [line for line in email.text.splitlines() if line.startswith(local_day(event))] == [
        when
    ]
    assert f"<strong>{local_day(event)}, 09:30 – 17:30</strong> (Asia/Shanghai)" in email.html
    # Neither the UTC time nor the site's (settings.TIME_ZONE) appears anywhere.
    elsewhere = sorted({
        f"{event.start.astimezone(zone):%H:%M}"
        for zone in (dt.UTC, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    })
    assert [time for time in elsewhere if time in email.text + email.html] == []
    manage_url = links.manage_url(registration)
    assert manage_url in email.text.splitlines()
    assert f'href="{manage_url}"' in email.html
    (attachment,) = [a for a in email.attachments if a.content_type != "image/png"]
    assert (attachment.filename, attachment.content_type) == (f"{event.slug}.ics",
                                                              "text/calendar")
    assert email.calendar_uids == [
        event_uid(event.uuid, settings.SITE_DOMAIN),
        session_uid(session.uuid, settings.SITE_DOMAIN),
    ]
    (vevent, _session_vevent) = email.calendar.walk("VEVENT")
    assert (vevent["DTSTART"].params["TZID"], vevent.decoded("DTSTART")) == (
        "Asia/Shanghai", event.start,
    )


@pytest.mark.parametrize("kind", MessageKind.values)
def test_only_reminders_carry_the_one_click_unsubscribe_headers(kind):
    registration = SITUATIONS[kind]()

    email = send(registration, kind)

    unsubscribe = f"{settings.SITE_URL}/reminders/off/{registration.unsubscribe_token}/"
    expected = (
        (f"<{unsubscribe}>", "List-Unsubscribe=One-Click")
        if kind == MessageKind.REMINDER
        else (None, None)
    )
    assert (email.header("List-Unsubscribe"), email.header("List-Unsubscribe-Post")) == expected


def test_calendar_attachment_names_its_method_and_charset_once():
    registration = confirmed_registration()

    email = send(registration, MessageKind.REGISTRATION_CONFIRMED)

    (part,) = [p for p in email.message.iter_attachments() if p.get_content_type() != "image/png"]
    assert part.get_params() == [
        ("text/calendar", ""), ("method", "PUBLISH"), ("charset", "utf-8"),
    ]
    assert email.calendar["METHOD"] == "PUBLISH"


def test_email_headers_mark_it_automatic_and_stable_per_delivery():
    registration = confirmed_registration()
    delivery = registration.deliveries.get()

    email = send(registration, MessageKind.REGISTRATION_CONFIRMED)

    assert (email.header("Auto-Submitted"), email.header("X-Agenda-Kind"),
            email.header("Message-ID")) == (
        "auto-generated",
        "registration_confirmed",
        f"<delivery-{delivery.pk}-{registration.public_id.hex}@{settings.SITE_DOMAIN}>",
    )


@pytest.mark.parametrize(
    ("cancelled_by", "sentence"),
    [
        (CancelledBy.ATTENDEE, "Your registration has been cancelled, as you asked. Your seat "
                               "has gone to the next person on the waitlist, if any."),
        (CancelledBy.ORGANIZER, "The organizers have cancelled your registration."),
    ],
)
def test_cancellation_email_says_who_cancelled(cancelled_by, sentence):
    registration = register(shanghai_event())
    registrations.cancel_registration(registration=registration, cancelled_by=cancelled_by)

    email = send(registration, MessageKind.CANCELLED)

    assert email.text.splitlines()[2] == sentence


def test_cancellation_calendar_marks_the_event_cancelled():
    registration = registration_cancelled_by_the_organizer()

    email = send(registration, MessageKind.CANCELLED)

    assert [str(vevent["STATUS"]) for vevent in email.calendar.walk("VEVENT")] == [
        "CANCELLED", "CANCELLED",
    ]


def test_email_for_an_erased_registration_is_not_sent():
    registration = confirmed_registration()
    delivery = registration.deliveries.get()
    registrations.erase_personal_data(registration=registration)

    sent = send_delivery(delivery_id=delivery.pk)

    assert (sent, Delivery.objects.get(pk=delivery.pk).status) == (False, "skipped")
    assert mail.outbox == []


def test_email_also_gives_the_times_in_the_attendees_own_zone_when_known():
    event = shanghai_event()
    # 01:30 UTC: the evening before in New York.
    new_york = zoneinfo.ZoneInfo("America/New_York")
    registration = register(event, attendee_timezone="America/New_York")

    email = send(registration, MessageKind.REGISTRATION_CONFIRMED)

    start, end = event.start.astimezone(new_york), event.end.astimezone(new_york)
    theirs = (
        f"Your time: {start:%A} {start.day} {start:%B} {start.year}, {start:%H:%M} – "
        f"{end:%H:%M} (America/New_York)"
    )
    assert theirs in email.text.splitlines()
    assert theirs in email.html
    assert f"{local_day(event)}, 09:30 – 17:30 (Asia/Shanghai)" in email.text.splitlines()


@pytest.mark.parametrize("zone", ["", "Asia/Shanghai", "Asia/Singapore"])
def test_no_second_time_when_the_attendees_clock_is_the_events(zone):
    # Singapore keeps Shanghai's clock (+08): the same times, nothing to add.
    registration = register(shanghai_event(), attendee_timezone=zone)

    email = send(registration, MessageKind.REGISTRATION_CONFIRMED)

    assert "Your time:" not in email.text + email.html


# --- The ticket ---------------------------------------------------------------------------------


def ticket_image(email: Email):
    (part,) = [part for part in email.message.walk() if part.get_content_type() == "image/png"]
    return part


@pytest.mark.parametrize("kind", sorted(TICKET_KINDS))
def test_confirmed_attendees_email_carries_their_ticket_as_an_inline_qr_code(kind):
    registration = SITUATIONS[kind]()

    email = send(registration, kind)

    image = ticket_image(email)
    content_id = image["Content-ID"].strip("<>")
    assert image.get_content_disposition() == "inline"
    assert image.get_payload(decode=True) == tickets.qr_png(registration.ticket_code)
    assert f'src="cid:{content_id}"' in email.html
    assert registration.ticket_code in email.html
    assert registration.ticket_code in email.text.splitlines()
    # Written by the fast writer, image and all (test_wire: the same bytes as Django's).
    assert isinstance(mail.outbox[-1].message(), WireMessage)


@pytest.mark.parametrize("kind", sorted(set(MessageKind.values) - TICKET_KINDS))
def test_other_emails_carry_no_ticket(kind):
    registration = SITUATIONS[kind]()

    email = send(registration, kind)

    assert [part for part in email.message.walk()
            if part.get_content_type() == "image/png"] == []
    assert registration.ticket_code not in email.text + email.html


def test_reminders_sent_in_one_batch_each_carry_their_own_ticket():
    event = shanghai_event()
    people = [register(event) for _ in range(3)]
    schedule_due_reminders(now=event.start - dt.timedelta(minutes=60))
    reminders = Delivery.objects.filter(kind=MessageKind.REMINDER).order_by("registration_id")
    mail.outbox.clear()

    assert send_deliveries(delivery_ids=[delivery.pk for delivery in reminders]) == 3

    received = sorted((as_received(message) for message in mail.outbox),
                      key=lambda email: email.to)
    by_address = {person.email: person for person in people}
    for email in received:
        person = by_address[email.to[0]]
        assert ticket_image(email).get_payload(decode=True) == tickets.qr_png(person.ticket_code)
        assert person.ticket_code in email.text.splitlines()
        others = [other.ticket_code for other in people if other != person]
        assert [code for code in others if code in email.text + email.html] == []
def test_emails_come_from_the_network_and_replies_go_to_the_organizers_contact(settings):
    settings.NETWORK_NAME = "Responsible Business Network"
    settings.DEFAULT_FROM_EMAIL = "Agenda <noreply@network.example.org>"
    event = shanghai_event(contact_name="Hélène Vasseur",
                           contact_email="events@network.example.org")

    received = send(register(event), MessageKind.REGISTRATION_CONFIRMED)

    assert received.header("From") == (
        "Responsible Business Network <noreply@network.example.org>"
    )
    assert received.header("Reply-To") == "Hélène Vasseur <events@network.example.org>"
    for body in (received.text, received.html):
        assert "Hélène Vasseur" in body and "events@network.example.org" in body
        assert "Responsible Business Network" in body


def test_emails_without_a_contact_have_no_reply_to(settings):
    settings.NETWORK_NAME = "Responsible Business Network"

    received = send(register(shanghai_event()), MessageKind.REGISTRATION_CONFIRMED)

    assert received.header("Reply-To") is None
    assert received.header("From").startswith("Responsible Business Network <")
def test_changing_ones_sessions_is_confirmed_by_email_with_the_new_programme():
    registration = register(shanghai_event())
    event = registration.event
    workshop = SessionFactory(event=event, title="Afternoon workshop",
                              start=event.start + dt.timedelta(hours=4),
                              end=event.start + dt.timedelta(hours=5))

    registrations.change_sessions(registration=registration, session_ids=[workshop.pk])
    registrations.change_sessions(registration=registration, session_ids=[workshop.pk])

    assert registration.deliveries.filter(kind=MessageKind.SESSIONS_CHANGED).count() == 1
    email = send(registration, MessageKind.SESSIONS_CHANGED)
    assert "Your choice of sessions is updated." in email.text
    assert "Afternoon workshop" in email.text
    assert "Opening plenary" not in email.text
    assert email.calendar_uids == [
        event_uid(event.uuid, settings.SITE_DOMAIN),
        session_uid(workshop.uuid, settings.SITE_DOMAIN),
    ]


def test_the_cancellation_email_offers_no_change_or_cancel_of_the_registration():
    registration = registration_cancelled_by_the_organizer()

    email = send(registration, MessageKind.CANCELLED)

    assert "View, change or cancel your registration" not in email.text
    assert "Manage my registration" not in email.html
    assert "View your cancelled registration, download or erase your data:" in email.text
    assert "View my registration" in email.html
    assert links.manage_url(registration) in email.text.splitlines()
    assert "can manage your registration" not in email.text + email.html
    assert ("anyone who has it can see your registration and erase your data"
            in email.text.replace("\r\n", " ").replace("\n", " "))


def _reminder_batch(size: int) -> list[int]:
    event = shanghai_event()
    for person in [register(event) for _ in range(size)]:
        tickets.ticket_png(person)  # stored as its confirmation stores it
    schedule_due_reminders(now=event.start - dt.timedelta(minutes=60))
    return list(Delivery.objects.filter(kind=MessageKind.REMINDER, registration__event=event)
                .values_list("pk", flat=True))


def test_a_batch_of_reminders_reads_the_stored_tickets_at_once_and_draws_none(monkeypatch):
    small, large = _reminder_batch(2), _reminder_batch(6)
    drawn = []
    real = tickets.qr_png
    monkeypatch.setattr(tickets, "qr_png",
                        lambda code, **kw: drawn.append(code) or real(code, **kw))

    with CaptureQueriesContext(connection) as small_batch:
        assert send_deliveries(delivery_ids=small) == 2
    with CaptureQueriesContext(connection) as large_batch:
        assert send_deliveries(delivery_ids=large) == 6

    def reads(batch):  # each message is then marked sent by one UPDATE of its own
        return [query["sql"] for query in batch if query["sql"].startswith("SELECT")]

    assert drawn == []
    assert len(reads(large_batch)) == len(reads(small_batch))
    assert sum("registrations_ticketimage" in sql for sql in reads(large_batch)) == 1
