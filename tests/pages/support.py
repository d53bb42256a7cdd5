"""Helpers shared by the page tests (Django test client and browser)."""

import re

from django.test import Client

from notifications.enums import DeliveryStatus
from notifications.models import Delivery
from notifications.services import send_deliveries


def form_data(**overrides) -> dict:
    """A registration form as a person fills it in."""
    data = {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "organization": "Cocoa Producers' Cooperative",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register(client: Client, event, **overrides):
    return client.post(f"/events/{event.slug}/", form_data(**overrides))


def send_pending_emails() -> int:
    """What a worker would do with the outbox: render and send every pending delivery (the
    test settings publish to a memory broker that no worker reads)."""
    pending = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True)
    )
    return send_deliveries(delivery_ids=pending)


def manage_link(message) -> str:
    """The manage link in an email's plain text body."""
    match = re.search(r"https?://\S+/manage/\S+/", message.body)
    assert match, message.body
    return match.group(0)
