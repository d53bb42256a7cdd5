"""The Webhooks tab and the API token page of the organizer area."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from agenda.enums import Role
from tests.factories import EventFactory, UserFactory, grant
from webhooks.models import Webhook, WebhookDelivery
from webhooks.services import create_webhook

pytestmark = pytest.mark.django_db

RECEIVER = "http://127.0.0.1:9/hooks"


@pytest.fixture(autouse=True)
def allow_loopback(settings):
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8"]


@pytest.fixture
def organizer(client):
    user = UserFactory(username="org", is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def event(organizer):
    event = EventFactory()
    grant(event, organizer)
    return event


def test_webhooks_tab_registers_a_hook_and_shows_its_secret_once(client, organizer, event):
    url = reverse("orga:webhooks", args=[event.slug])

    created = client.post(url, {"url": RECEIVER, "event_types": ["registration.created"]})
    later = client.get(url)

    hook = Webhook.objects.get()
    assert created.status_code == 200
    assert hook.secret in created.content.decode()
    assert hook.secret not in later.content.decode()
    assert (hook.event, hook.owner, hook.event_types) == (event, organizer,
                                                           ["registration.created"])
    assert f'href="{url}"' in later.content.decode()  # the tab


def test_a_private_url_is_refused_with_the_reason(client, event, settings):
    settings.WEBHOOKS_ALLOWED_NETWORKS = []

    response = client.post(reverse("orga:webhooks", args=[event.slug]),
                           {"url": "http://192.168.1.10/x", "event_types": ["event.changed"]})

    assert response.status_code == 400
    assert "private or reserved address" in response.content.decode()
    assert not Webhook.objects.exists()


def test_rotate_shows_a_new_secret(client, organizer, event):
    hook = create_webhook(owner=organizer, url=RECEIVER, event=event)

    response = client.post(reverse("orga:webhook-rotate", args=[event.slug, hook.pk]))

    hook.refresh_from_db()
    assert hook.secret in response.content.decode()
    assert hook.previous_secret


def test_delivery_log_and_redeliver(client, organizer, event):
    from django.utils import timezone

    hook = create_webhook(owner=organizer, url=RECEIVER, event=event)
    delivery = WebhookDelivery.objects.create(
        webhook=hook, message_id="msg_log", object_key="event:1", event_type="event.changed",
        body="{}", status="failed", give_up_at=timezone.now(), last_response_status=500)

    log = client.get(reverse("orga:webhook-deliveries", args=[event.slug, hook.pk]))
    again = client.post(reverse("orga:webhook-redeliver",
                                args=[event.slug, hook.pk, delivery.pk]))

    assert "msg_log" in log.content.decode()
    assert again.status_code == 302
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "pending"


def test_webhooks_of_another_event_are_out_of_reach(client, organizer):
    other = EventFactory()
    owner = UserFactory(username="other-org", is_staff=True)
    grant(other, owner)
    hook = create_webhook(owner=owner, url=RECEIVER, event=other)
    mine = EventFactory()
    grant(mine, organizer)

    responses = [
        client.get(reverse("orga:webhooks", args=[other.slug])),
        client.post(reverse("orga:webhook-rotate", args=[mine.slug, hook.pk])),
        client.post(reverse("orga:webhook-delete", args=[mine.slug, hook.pk])),
        client.get(reverse("orga:webhook-deliveries", args=[mine.slug, hook.pk])),
    ]

    assert [response.status_code for response in responses] == [404] * 4
    assert Webhook.objects.get(pk=hook.pk).secret == hook.secret


def test_check_in_helpers_have_no_webhooks_tab(client):
    helper = UserFactory(username="helper")
    event = EventFactory()
    grant(event, helper, role=Role.CHECKIN)
    client.force_login(helper)

    assert client.get(reverse("orga:webhooks", args=[event.slug])).status_code == 403


def test_token_page_creates_shows_once_and_revokes(client, organizer):
    url = reverse("orga:tokens")

    created = client.post(url)
    token = Token.objects.get(user=organizer)
    shown_later = client.get(url)
    revoked = client.post(reverse("orga:tokens-revoke"))

    assert token.key in created.content.decode()
    assert token.key not in shown_later.content.decode()
    assert revoked.status_code == 302
    assert not Token.objects.filter(user=organizer).exists()


def test_token_page_needs_sign_in(client):
    response = client.get(reverse("orga:tokens"))

    assert response.status_code == 302
    assert reverse("orga:login") in response["Location"]
