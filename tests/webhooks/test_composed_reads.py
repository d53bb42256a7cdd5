"""The hooks asked about on every registration: their ids are read by SQL composed once
(agenda.composed), and give what the plain queryset gives."""

import pytest

from tests.factories import EventFactory, OrganizerFactory, grant
from webhooks import services as webhooks
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db


def test_the_hooks_of_an_event_are_its_own_and_the_all_events_ones():
    event, other = EventFactory(), EventFactory()
    def plain(event_type):
        return [hook for hook in webhooks.candidate_hooks(event.pk).select_related("owner")
                if hook.wants(event_type)]

    assert webhooks.hooks_for(event, "registration.created") == [] == plain(
        "registration.created")

    organizer = OrganizerFactory()
    grant(event, organizer)
    own = Webhook.objects.create(owner=organizer, url="https://hooks.example.org/a",
                                 event=event, secret="s" * 32, event_types=["registration.created"])
    everything = Webhook.objects.create(owner=organizer, url="https://hooks.example.org/b",
                                        secret="s" * 32, event_types=["registration.created"])
    Webhook.objects.create(owner=organizer, url="https://hooks.example.org/c", event=other,
                           secret="s" * 32, event_types=["registration.created"])
    Webhook.objects.create(owner=organizer, url="https://hooks.example.org/d", event=event,
                           secret="s" * 32, event_types=["registration.created"], is_active=False)

    assert webhooks.hooks_for(event, "registration.created") == [own, everything]
    assert {hook.pk for hook in plain("registration.created")} == {own.pk, everything.pk}
