"""Batched sending: what a batch renders once for many attendees is what each would get
alone; a shared render that reads a personal field fails loudly; one send path; and the
Django wire format as a fallback."""

import ast
import datetime as dt
from email.mime.base import MIMEBase
from pathlib import Path

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone

from agenda.services import save_session
from notifications.bodies import NotShareable, shared_delivery, shared_registration
from notifications.emails import render_message
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.programme import ProgrammeCache
from notifications.reminders import schedule_due_reminders
from notifications.services import send_deliveries, send_delivery
from notifications.wire import WireMessage
from registrations import services as registrations
from registrations.selectors import registration_with_details
from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory

from .support import as_received

pytestmark = pytest.mark.django_db

NOTIFICATIONS = Path(__file__).resolve().parents[2] / "notifications"


def varied_deliveries() -> list[Delivery]:
    """Deliveries of every kind in one batch: attendees of two events who share bodies and
    calendars (same status and choices), and who differ in name (HTML in it), language,
    zone, status and choices."""
    start = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    forum = EventFactory(capacity=3, start=start, end=start + dt.timedelta(hours=8))
    room = RoomFactory(event=forum)
    plenary = SessionFactory(event=forum, room=room, title="Plenary <b>& co</b>", capacity=2)
    workshop = SessionFactory(event=forum, start=start + dt.timedelta(hours=3))
    webinar = EventFactory(timezone="America/New_York", format="online", start=start,
                           end=start + dt.timedelta(hours=2), requires_approval=True)
    people = [
        RegistrationFactory(event=forum, name="Amina <Diallo>", session_ids=[plenary.pk]),
        RegistrationFactory(event=forum, name="Zoë & Łukasz", session_ids=[plenary.pk],
                            language="fr"),
        RegistrationFactory(event=forum, name="Kwame", session_ids=[plenary.pk, workshop.pk],
                            join_waitlist=True, attendee_timezone="Asia/Tokyo"),
        RegistrationFactory(event=forum, name="On the waitlist"),
        RegistrationFactory(event=webinar, name="Pending one", language="fr"),
        RegistrationFactory(event=webinar, name="Pending two"),
        RegistrationFactory(event=webinar, name="Pending three"),
    ]
    registrations.cancel_registration(registration=people[0])
    registrations.register(event=forum, name="Again", email=people[1].email, consent=True)
    registrations.change_sessions(registration=people[1], session_ids=[workshop.pk])
    schedule_due_reminders(now=start - dt.timedelta(days=7))
    plenary.start += dt.timedelta(minutes=30)
    plenary.end += dt.timedelta(minutes=30)
    save_session(session=plenary)
    deliveries = list(Delivery.objects.order_by("pk"))
    assert {delivery.kind for delivery in deliveries} >= {
        MessageKind.REGISTRATION_CONFIRMED, MessageKind.REGISTRATION_WAITLISTED,
        MessageKind.REGISTRATION_PENDING, MessageKind.PROMOTED, MessageKind.CANCELLED,
        MessageKind.ALREADY_REGISTERED, MessageKind.REMINDER, MessageKind.CHANGE_NOTICE,
        MessageKind.SESSIONS_CHANGED,
    }
    return deliveries


def content(message) -> dict:
    """Everything a message says, as built (before the wire format)."""
    return {
        "subject": message.subject,
        "from": message.from_email,
        "to": message.to,
        "headers": message.extra_headers,
        "body": message.body,
        "alternatives": [tuple(alternative) for alternative in message.alternatives],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }


def _attachment(attachment) -> tuple:
    """A (name, content, type) attachment as it is; a MIME part (the ticket's image) by its
    headers and the bytes it carries."""
    if isinstance(attachment, MIMEBase):
        return (attachment.items(), attachment.get_payload(decode=True))
    return tuple(attachment)


def test_every_batched_message_is_the_message_rendered_alone():
    deliveries = varied_deliveries()
    programme = ProgrammeCache(check_state=False)
    loaded = programme.registrations({delivery.registration_id for delivery in deliveries})

    batched = [
        content(render_message(delivery, registration=loaded[delivery.registration_id],
                               programme=programme))
        for delivery in deliveries
    ]
    alone = [content(render_message(delivery)) for delivery in deliveries]

    assert len(batched) > 10
    images = [attachment[1] for message in batched for attachment in message["attachments"]
              if isinstance(attachment[1], bytes) and attachment[1].startswith(b"\x89PNG")]
    assert len(images) > 2  # the tickets' images are compared too, byte for byte
    for delivery, batch_message, own_message in zip(deliveries, batched, alone, strict=True):
        assert batch_message == own_message, delivery.kind
    # The batch did share: fewer distinct bodies than messages.
    assert len(programme._bodies) < len(deliveries)


def test_a_shared_render_that_reads_a_personal_field_fails_loudly():
    registration = registration_with_details().get(pk=RegistrationFactory().pk)
    shared = shared_registration(registration, name="(stand-in)")

    assert Template("{{ registration.name }}").render(
        Context({"registration": shared})
    ) == "(stand-in)"
    for personal in ("email", "organization", "public_id", "manage_token", "pk"):
        with pytest.raises(NotShareable, match=personal):
            Template(f"{{{{ registration.{personal} }}}}").render(
                Context({"registration": shared})
            )
    with pytest.raises(NotShareable):
        Template("{{ delivery.registration.email }}").render(
            Context({"delivery": shared_delivery(registration.deliveries.get())})
        )


def test_a_template_edit_leaking_the_address_fails_the_batch_not_other_attendees(settings,
                                                                                  tmp_path):
    """Say a template gains ``{{ registration.email }}``: the batched render refuses it, so
    no attendee gets another's address; the delivery fails where the admin lists it."""
    override = tmp_path / "notifications" / "email"
    override.mkdir(parents=True)
    (override / "registration_confirmed.txt").write_text(
        '{% extends "notifications/email/_base.txt" %}{% block message %}'
        "Sent to {{ registration.email }}{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    event = EventFactory()
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)

    send_deliveries(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))

    assert mail.outbox == []
    failed = Delivery.objects.filter(registration__in=[first, second])
    assert {delivery.status for delivery in failed} == {DeliveryStatus.FAILED}
    assert all("NotShareable" in delivery.last_error for delivery in failed)


def test_emails_and_programme_do_not_import_each_other():
    def imported(module: str) -> set[str]:
        tree = ast.parse((NOTIFICATIONS / f"{module}.py").read_text())
        return {
            node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        }

    assert "emails" not in imported("programme")
    assert "emails" not in imported("bodies") | imported("calendars")
    assert "programme" in imported("emails")


def test_sending_one_delivery_goes_the_batch_way_and_gives_the_batch_bytes():
    event = EventFactory()
    alone, batched = RegistrationFactory(event=event), RegistrationFactory(event=event)

    assert send_delivery(delivery_id=alone.deliveries.get().pk) is True
    assert send_deliveries(delivery_ids=[batched.deliveries.get().pk]) == 1

    first, second = (as_received(message) for message in mail.outbox)
    assert first.text.replace(alone.name, "X").replace(alone.manage_token, "T").replace(
        alone.ticket_code, "C") == second.text.replace(batched.name, "X").replace(
        batched.manage_token, "T").replace(batched.ticket_code, "C")


def test_the_wire_format_setting_chooses_who_writes_the_bytes_and_both_say_the_same(settings):
    registration = RegistrationFactory(name="Zoë Dupont", language="fr")
    delivery = registration.deliveries.get()

    received = {}
    for wire_format in ("fast", "django"):
        settings.EMAIL_WIRE_FORMAT = wire_format
        message = render_message(delivery)
        assert isinstance(message.message(), WireMessage) is (wire_format == "fast")
        email = as_received(message)
        received[wire_format] = (
            email.subject, email.to, email.text, email.html, email.attachments,
            email.header("Message-ID"), email.header("From"),
        )

    assert received["fast"] == received["django"]
    assert "Vous êtes inscrit" in received["django"][0]
