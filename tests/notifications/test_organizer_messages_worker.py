"""End to end: an organizer's message through the organizer area, a real broker, a ``celery
worker`` process and a real SMTP server: each recipient gets it once, in their language."""

import pytest
from django.test import Client

from notifications.enums import DeliveryStatus
from notifications.models import Delivery, Message
from tests.factories import EventFactory, RegistrationFactory, UserFactory, grant

from .support import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY_TIMEOUT = 30


def test_message_sent_from_the_organizer_area_reaches_each_recipient_once(
    broker, start_worker, smtp_server
):
    organizer = UserFactory()
    event = EventFactory(title="Forum on supply chains")
    grant(event, organizer)
    people = [RegistrationFactory(event=event, name=f"Person {index}",
                                  language="fr" if index == 0 else "en") for index in range(3)]
    start_worker()
    client = Client()
    client.force_login(organizer)

    response = client.post(f"/orga/events/{event.slug}/messages/new/", {
        "audience": "confirmed", "subject": "Practical details",
        "body": "Doors open at 8:30.", "action": "send",
    })

    assert response.status_code == 302
    message = Message.objects.get()

    def organizer_emails():
        return [item for item in smtp_server.handler.received
                if item.email.header("X-Agenda-Kind") == "organizer_message"]

    wait_until(lambda: len(organizer_emails()) >= 3, timeout=DELIVERY_TIMEOUT,
               what="the message at the SMTP server, once per recipient")
    wait_until(lambda: not Delivery.objects.filter(message=message).exclude(
        status=DeliveryStatus.SENT).exists(), timeout=DELIVERY_TIMEOUT,
        what="every delivery of the message marked sent")
    received = {item.rcpt_tos[0]: item.email for item in organizer_emails()}
    assert sorted(received) == sorted(person.email for person in people)
    assert len(organizer_emails()) == 3
    assert received[people[0].email].text.startswith("Bonjour Person 0,")
    assert received[people[1].email].text.startswith("Hello Person 1,")
