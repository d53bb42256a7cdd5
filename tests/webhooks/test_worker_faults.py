"""Webhooks with real worker processes on real brokers, and a real receiver: every message
arrives; a receiver that was down gets it later; a worker killed mid-delivery costs at most
one extra copy (same webhook-id), never a lost message."""

import datetime as dt

import pytest
from django.utils import timezone

from agenda import services as agenda_services
from agenda.enums import EventStatus
from tests.factories import EventFactory, SessionFactory, UserFactory, grant
from tests.notifications.support import wait_until
from webhooks import services
from webhooks.enums import DeliveryStatus, EventType
from webhooks.models import WebhookDelivery

from .support import Receiver, every_event_type, object_key

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.parametrize("broker", ["filesystem", "redis"], indirect=True)]

SECOND = dt.timedelta(seconds=1)


def organized_draft():
    organizer = UserFactory(username="org", is_staff=True)
    event = EventFactory(status=EventStatus.DRAFT, capacity=1)
    grant(event, organizer)
    return organizer, event


def all_delivered() -> bool:
    return not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_a_worker_delivers_every_type_in_order_per_object(broker, start_worker, receiver):
    organizer, event = organized_draft()
    session = SessionFactory(event=event)
    hook = services.create_webhook(owner=organizer, url=receiver.url, event=event)
    start_worker()

    expected = every_event_type(event, session)
    wait_until(lambda: WebhookDelivery.objects.exists() and all_delivered(), timeout=60,
               what="every webhook delivery to be delivered")

    messages = [received.verify(hook.secret) for received in receiver.received]
    per_object: dict[str, list[str]] = {}
    for message in messages:
        per_object.setdefault(object_key(message), []).append(message["type"])
    assert per_object == expected
    assert {message["type"] for message in messages} == set(EventType.values)


def test_receiver_down_gets_the_message_later(broker, start_worker):
    organizer, event = organized_draft()
    down = Receiver()
    port = down.port
    down.server.server_close()
    services.create_webhook(owner=organizer, url=f"http://127.0.0.1:{port}/in", event=event)
    start_worker()

    agenda_services.publish_event(event=event)
    delivery = wait_until(
        lambda: WebhookDelivery.objects.filter(attempts=1, status=DeliveryStatus.PENDING).first(),
        timeout=30, what="the first attempt to fail")
    back = Receiver(port=port).start()
    try:
        # The backoff has not run out; the dispatcher is told it has.
        services.dispatch_due(now=delivery.next_attempt_at + SECOND)
        wait_until(all_delivered, timeout=30, what="the retry to be delivered")
    finally:
        back.stop()

    assert [r.message["id"] for r in back.received] == [delivery.message_id]


def test_worker_killed_mid_delivery_delivers_again_at_most_once(broker, start_worker, receiver):
    organizer, event = organized_draft()
    services.create_webhook(owner=organizer, url=receiver.url, event=event)
    receiver.hold()  # the first request waits in the receiver: the delivery is in flight
    worker = start_worker()

    agenda_services.publish_event(event=event)
    wait_until(receiver.held.is_set, timeout=30, what="the delivery to reach the receiver")
    worker.kill()
    receiver.release()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENDING  # sent, never recorded

    republished = services.dispatch_due(now=timezone.now() + services.LEASE + SECOND)
    start_worker()
    wait_until(all_delivered, timeout=60, what="the delivery to be delivered again")

    ids = [received.headers["webhook-id"] for received in receiver.received]
    assert republished == 1
    assert ids == [delivery.message_id] * len(ids)
    assert 1 <= len(ids) <= 2
