"""End to end: a registration through the API, a real broker, a ``celery worker`` process, and
a real SMTP server that receives the email. Reminders take the same road from the dispatcher.

Each test runs once per broker: Redis and RabbitMQ (each skipped when unreachable, except in
CI) and the embedded filesystem broker.
"""

import datetime as dt
import json

import icalendar
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from agenda.ical import event_uid
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.tasks import dispatch_task
from registrations import links
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory

from .support import vevent_uids, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

# Generous, bounded: a worker polls the filesystem broker once a second.
DELIVERY_TIMEOUT = 30


def delivered(delivery: Delivery) -> Delivery:
    """The delivery once the worker has marked it sent."""
    return wait_until(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).first(),
        timeout=DELIVERY_TIMEOUT, what=f"delivery {delivery.pk} to be marked sent",
    )


def test_confirmation_of_an_api_registration_reaches_the_mail_server(
    broker, start_worker, smtp_server
):
    event = EventFactory(timezone="Asia/Shanghai")
    start_worker()

    response = Client().post(
        f"/api/v1/events/{event.slug}/registrations/",
        json.dumps({"name": "Amina Diallo", "email": "amina@example.org", "consent": True}),
        content_type="application/json",
    )

    assert response.status_code == 201
    (received,) = wait_until(
        lambda: smtp_server.handler.received, timeout=DELIVERY_TIMEOUT,
        what="the confirmation at the SMTP server",
    )
    registration = Registration.objects.get(email="amina@example.org")
    email = received.email
    assert (received.rcpt_tos, email.to, email.subject) == (
        ("amina@example.org",), ["amina@example.org"], f"You are registered: {event.title}",
    )
    assert (email.header("List-Unsubscribe"), email.header("List-Unsubscribe-Post")) == (
        None, None,
    )
    assert email.body_types == ["image/png", "text/html", "text/plain"]  # the ticket's QR
    assert links.manage_url(registration) in email.text.splitlines()
    assert f"({event.timezone})" in email.text
    feed = Client().get(f"/feeds/events/{event.slug}.ics")
    assert email.calendar_uids == vevent_uids(icalendar.Calendar.from_ical(feed.content))
    assert email.calendar_uids == [event_uid(event.uuid, settings.SITE_DOMAIN)]
    sent = delivered(registration.deliveries.get())
    assert (sent.kind, sent.attempts) == (MessageKind.REGISTRATION_CONFIRMED, 1)


def test_reminder_published_by_the_dispatcher_is_sent_by_the_worker(
    broker, start_worker, smtp_server
):
    start = timezone.now() + dt.timedelta(minutes=59)  # the 1-hour reminder is due now
    event = EventFactory(start=start, end=start + dt.timedelta(hours=2))
    registration = RegistrationFactory(event=event, email="amina@example.org")
    start_worker()

    outcome = dispatch_task()

    assert outcome == {"reminders_due": 1, "reminders_skipped": 2, "published": 1}
    reminder = registration.deliveries.get(kind=MessageKind.REMINDER,
                                           status__in=[DeliveryStatus.PENDING,
                                                       DeliveryStatus.SENT])
    delivered(reminder)
    by_kind = {
        received.email.header("X-Agenda-Kind"): received
        for received in wait_until(
            lambda: len(smtp_server.handler.received) == 2 and smtp_server.handler.received,
            timeout=DELIVERY_TIMEOUT, what="the confirmation and the reminder",
        )
    }
    email = by_kind[MessageKind.REMINDER].email
    unsubscribe = f"{settings.SITE_URL}/reminders/off/{registration.manage_token}/"
    assert (email.to, email.subject) == (["amina@example.org"], f"Reminder: {event.title}")
    assert (email.header("List-Unsubscribe"), email.header("List-Unsubscribe-Post")) == (
        f"<{unsubscribe}>", "List-Unsubscribe=One-Click",
    )
    assert email.text.splitlines()[2] == "A reminder: the event starts in 1 hour."
    assert email.calendar_uids == [event_uid(event.uuid, settings.SITE_DOMAIN)]
