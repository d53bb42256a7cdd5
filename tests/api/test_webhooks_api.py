"""Webhooks through the API: the secret shown once, the log and redelivery, and nothing of
another organizer's event within reach."""

import pytest

from webhooks.models import Webhook, WebhookDelivery
from webhooks.services import create_webhook

pytestmark = pytest.mark.django_db

RECEIVER = "http://127.0.0.1:9/hooks"


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def test_register_shows_the_secret_once(client_a, event_a):
    created = client_a.post("/api/v1/webhooks/", {
        "url": RECEIVER, "event": event_a.slug, "event_types": ["registration.created"],
    }, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["secret"].startswith("whsec_")
    shown = client_a.get(f"/api/v1/webhooks/{created.json()['id']}/").json()
    assert "secret" not in shown
    assert shown["event_types"] == ["registration.created"]


def test_rotation_gives_a_new_secret(client_a, organizer_a, event_a):
    hook = create_webhook(owner=organizer_a, url=RECEIVER, event=event_a)

    rotated = client_a.post(f"/api/v1/webhooks/{hook.pk}/rotate-secret/").json()

    assert rotated["secret"] != hook.secret
    assert Webhook.objects.get(pk=hook.pk).previous_secret == hook.secret


def test_unknown_event_types_and_private_urls_are_400(client_a, event_a, settings):
    bad_type = client_a.post("/api/v1/webhooks/", {
        "url": RECEIVER, "event": event_a.slug, "event_types": ["registration.exploded"],
    }, format="json")
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    private = client_a.post("/api/v1/webhooks/", {"url": "http://10.1.2.3/x",
                                                  "event": event_a.slug}, format="json")

    assert bad_type.status_code == 400 and "event_types" in bad_type.json()["errors"]
    assert private.status_code == 400
    assert private.json()["code"] == "forbidden_address"


def test_organizer_a_can_neither_see_nor_change_the_webhooks_of_event_b(
        client_a, organizer_b, event_b):
    hook = create_webhook(owner=organizer_b, url=RECEIVER, event=event_b)
    everywhere = create_webhook(owner=organizer_b, url=RECEIVER, event=None)
    delivery = WebhookDelivery.objects.create(webhook=hook, message_id="msg_x", object_key="x",
                                              event_type="event.changed", body="{}",
                                              status="failed", give_up_at=hook.created_at)

    listed = client_a.get("/api/v1/webhooks/").json()
    statuses = [
        client_a.get(f"/api/v1/webhooks/{hook.pk}/").status_code,
        client_a.get(f"/api/v1/webhooks/{everywhere.pk}/").status_code,
        client_a.patch(f"/api/v1/webhooks/{hook.pk}/", {"url": RECEIVER + "/mine"},
                       format="json").status_code,
        client_a.post(f"/api/v1/webhooks/{hook.pk}/rotate-secret/").status_code,
        client_a.get(f"/api/v1/webhooks/{hook.pk}/deliveries/").status_code,
        client_a.post(f"/api/v1/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/"
                      ).status_code,
        client_a.delete(f"/api/v1/webhooks/{hook.pk}/").status_code,
    ]
    create_for_b = client_a.post("/api/v1/webhooks/", {"url": RECEIVER, "event": "event-b"},
                                 format="json")

    assert listed == []
    assert statuses == [404] * 7
    assert create_for_b.status_code == 403
    assert Webhook.objects.get(pk=hook.pk).url == RECEIVER
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "failed"


def test_check_in_helper_cannot_register_webhooks(helper_client, event_a):
    response = helper_client.post("/api/v1/webhooks/", {"url": RECEIVER, "event": "event-a"},
                                  format="json")

    assert response.status_code == 403


def test_the_delivery_log_shows_attempts_and_redeliver_requeues(client_a, organizer_a,
                                                                event_a):
    from django.utils import timezone

    from webhooks.models import WebhookAttempt

    hook = create_webhook(owner=organizer_a, url=RECEIVER, event=event_a)
    delivery = WebhookDelivery.objects.create(
        webhook=hook, message_id="msg_1", object_key="event:1", event_type="event.changed",
        body="{}", status="failed", attempts=1, give_up_at=timezone.now(),
        last_response_status=500,
    )
    WebhookAttempt.objects.create(delivery=delivery, duration_ms=12, response_status=500)

    log = client_a.get(f"/api/v1/webhooks/{hook.pk}/deliveries/").json()
    redelivered = client_a.post(
        f"/api/v1/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/")
    again = client_a.post(f"/api/v1/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/")

    (entry,) = log["results"]
    assert entry["attempt_log"] == [{
        "started_at": entry["attempt_log"][0]["started_at"], "duration_ms": 12,
        "response_status": 500, "error": "", "succeeded": False,
    }]
    assert redelivered.json()["status"] == "pending"
    assert again.status_code == 409
