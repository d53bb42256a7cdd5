"""Webhooks against a real HTTP receiver on 127.0.0.1: what is recorded, signed, sent, retried,
refused; deliveries run here by calling the service, as a worker would."""

import datetime as dt

import pytest
from django.utils import timezone

from agenda.enums import EventStatus
from tests.factories import EventFactory, SessionFactory, UserFactory, grant
from webhooks import services
from webhooks.enums import DeliveryStatus, EventType
from webhooks.models import Webhook, WebhookDelivery

from .support import Receiver, every_event_type, object_key

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(days=1)


@pytest.fixture
def organizer(db):
    return UserFactory(username="org", is_staff=True)


@pytest.fixture
def draft(organizer):
    event = EventFactory(status=EventStatus.DRAFT, capacity=1)
    grant(event, organizer)
    return event


def send_all_due(*, now=None) -> None:
    """What the workers do with what was just published: every pending delivery not yet
    tried (retries wait for the dispatcher), oldest first."""
    for _round in range(20):
        due = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, attempts=0)
                   .order_by("pk").values_list("pk", flat=True))
        if not due:
            return
        for delivery_id in due:
            services.send_delivery(delivery_id=delivery_id, now=now)


def test_each_event_type_arrives_once_in_order_per_object_signed(receiver, organizer, draft):
    session = SessionFactory(event=draft)
    hook = services.create_webhook(owner=organizer, url=receiver.url, event=draft)

    expected = every_event_type(draft, session)
    send_all_due()

    received = receiver.received
    messages = [message.verify(hook.secret) for message in received]
    assert {m["type"] for m in messages} == set(EventType.values)
    per_object: dict[str, list[str]] = {}
    for message in messages:
        per_object.setdefault(object_key(message), []).append(message["type"])
    assert per_object == expected
    assert len({r.headers["webhook-id"] for r in received}) == len(received)
    assert all(r.headers["webhook-id"] == r.message["id"] for r in received)
    assert received[0].path == "/hooks/agenda"


def test_cancellation_message_carries_the_reason(receiver, organizer, draft):
    session = SessionFactory(event=draft)
    services.create_webhook(owner=organizer, url=receiver.url, event=draft,
                            event_types=[EventType.REGISTRATION_CANCELLED])

    every_event_type(draft, session)
    send_all_due()

    (message,) = [r.message for r in receiver.received]
    assert message["data"]["reason"] == "Duplicate"
    assert message["data"]["cancelled_by"] == "organizer"


def test_nothing_is_recorded_when_the_change_rolls_back(receiver, organizer, draft):
    from django.db import transaction

    from agenda import services as agenda_services

    services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    with pytest.raises(RuntimeError), transaction.atomic():
        agenda_services.publish_event(event=draft)
        raise RuntimeError

    assert not WebhookDelivery.objects.exists()


def test_receiver_down_is_retried_later_and_nothing_is_lost(organizer, draft):
    down = Receiver()  # bound, then closed: nothing listens on its port any more
    port = down.port
    down.server.server_close()
    services.create_webhook(owner=organizer, url=f"http://127.0.0.1:{port}/in", event=draft)
    from agenda import services as agenda_services

    agenda_services.publish_event(event=draft)
    send_all_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now()
    assert delivery.attempt_log.get().error

    back = Receiver(port=port).start()
    try:
        assert services.dispatch_due(now=timezone.now() + LATER) == 1
        services.send_delivery(delivery_id=delivery.pk)
    finally:
        back.stop()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [r.message["id"] for r in back.received] == [delivery.message_id]
    assert list(delivery.attempt_log.values_list("succeeded", flat=True)) == [True, False]


def test_a_5xx_is_retried_after_a_backoff_and_given_up_after_three_days(
        receiver, organizer, draft):
    from agenda import services as agenda_services

    receiver.answers = [503, 503]
    services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    agenda_services.publish_event(event=draft)
    delivery = WebhookDelivery.objects.get()

    before = timezone.now()
    services.send_delivery(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_response_status) == (DeliveryStatus.PENDING, 503)
    assert before + dt.timedelta(seconds=30) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + dt.timedelta(seconds=30)

    # Three days on, the next failure is the last.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(give_up_at=timezone.now())
    services.send_delivery(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)


def test_backoff_grows_and_spreads_the_attempts_over_three_days():
    delays = [services.retry_delay(attempt) for attempt in range(1, 15)]
    elapsed = [sum(delays[:n], dt.timedelta()) for n in range(1, len(delays) + 1)]

    assert delays == sorted(delays)
    assert delays[:3] == [dt.timedelta(seconds=30), dt.timedelta(minutes=2),
                          dt.timedelta(minutes=8)]
    assert max(delays) == dt.timedelta(hours=12)
    assert elapsed[-1] > services.RETRY_FOR  # attempts go on until the three days are up


def test_a_410_disables_the_hook(receiver, organizer, draft):
    from agenda import services as agenda_services

    receiver.answers = [410]
    hook = services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    agenda_services.publish_event(event=draft)
    send_all_due()

    hook.refresh_from_db()
    assert not hook.is_active and "410" in hook.disabled_reason
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    agenda_services.cancel_event(event=draft)
    assert WebhookDelivery.objects.count() == 1  # a disabled hook is owed nothing


def test_redirects_are_not_followed(receiver, organizer, draft):
    from agenda import services as agenda_services

    receiver.answers = [(302, {"Location": "http://169.254.169.254/latest/meta-data/"})]
    services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    agenda_services.publish_event(event=draft)
    send_all_due()

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.received) == 1
    assert (delivery.status, delivery.last_response_status) == (DeliveryStatus.PENDING, 302)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x", "http://localhost/x", "http://10.0.0.8/x", "http://[::1]/x",
    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:192.168.1.1]/x",
    "http://100.64.0.1/x", "http://0.0.0.0/x",
])
def test_private_loopback_and_link_local_targets_are_refused(settings, organizer, draft, url):
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    from webhooks.errors import WebhookError

    with pytest.raises(WebhookError) as refused:
        services.create_webhook(owner=organizer, url=url, event=draft)

    assert refused.value.code == "forbidden_address"


def test_the_address_is_checked_again_at_send_time(settings, receiver, organizer, draft):
    from agenda import services as agenda_services

    services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    agenda_services.publish_event(event=draft)
    settings.WEBHOOKS_ALLOWED_NETWORKS = []  # as if the name now resolved somewhere private

    send_all_due()

    delivery = WebhookDelivery.objects.get()
    assert receiver.received == []
    assert delivery.status == DeliveryStatus.FAILED
    assert "may not call" in delivery.last_error


def test_allow_private_lets_a_closed_network_through(settings, receiver, organizer, draft):
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    settings.WEBHOOKS_ALLOW_PRIVATE = True

    hook = services.create_webhook(owner=organizer, url=receiver.url, event=draft)

    assert hook.pk


def test_rotated_secret_signs_beside_the_old_one_for_a_day(receiver, organizer, draft):
    from agenda import services as agenda_services

    hook = services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    old = hook.secret
    services.rotate_secret(webhook=hook)
    agenda_services.publish_event(event=draft)
    send_all_due()

    (received,) = receiver.received
    assert received.verify(old)["type"] == "event.published"
    assert received.verify(hook.secret)["type"] == "event.published"
    assert len(received.headers["webhook-signature"].split(" ")) == 2


def test_redeliver_sends_the_same_message_again(receiver, organizer, draft):
    from agenda import services as agenda_services

    services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    agenda_services.publish_event(event=draft)
    send_all_due()
    delivery = WebhookDelivery.objects.get()

    services.redeliver(delivery=delivery)
    services.send_delivery(delivery_id=delivery.pk)

    assert [r.headers["webhook-id"] for r in receiver.received] == [delivery.message_id] * 2


def test_an_all_events_hook_hears_only_the_owners_events(receiver, organizer, draft):
    from agenda import services as agenda_services

    others = EventFactory(status=EventStatus.DRAFT)
    grant(others, UserFactory(username="someone-else", is_staff=True))
    Webhook.objects.create(owner=organizer, url=receiver.url, event=None,
                           event_types=EventType.values, secret="whsec_" + "A" * 32)

    agenda_services.publish_event(event=draft)
    agenda_services.publish_event(event=others)
    send_all_due()

    assert [r.message["data"]["slug"] for r in receiver.received] == [draft.slug]


def test_a_hook_falls_silent_when_its_owner_loses_the_role(receiver, organizer, draft):
    from agenda import services as agenda_services
    from agenda.models import EventRole

    services.create_webhook(owner=organizer, url=receiver.url, event=draft)
    EventRole.objects.filter(user=organizer).delete()

    agenda_services.publish_event(event=draft)

    assert not WebhookDelivery.objects.exists()


def test_erasure_strips_the_persons_data_from_kept_messages(receiver, organizer, draft):
    import json

    from agenda import services as agenda_services
    from registrations.services import erase_personal_data
    from tests.factories import RegistrationFactory

    agenda_services.publish_event(event=draft)
    services.create_webhook(owner=organizer, url=receiver.url, event=draft,
                            event_types=[EventType.REGISTRATION_CREATED])
    registration = RegistrationFactory(event=draft, name="Amina Diallo",
                                       email="amina@example.org")

    erase_personal_data(registration=registration)

    bodies = [delivery.body for delivery in WebhookDelivery.objects.all()]
    assert bodies and all("Amina" not in body and "amina@" not in body for body in bodies)
    assert all(json.loads(body)["data"]["erased"] is True for body in bodies)
