"""The hooks asked about on every registration: their ids are read by SQL composed once
(agenda.composed), and give what the plain queryset gives."""

from types import SimpleNamespace

import pytest
from django.db import transaction

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


def test_a_registration_news_twice_in_one_block_reads_the_hooks_once(
    django_assert_num_queries
):
    event = EventFactory()
    registration = SimpleNamespace()  # what the news is about

    with transaction.atomic():
        with django_assert_num_queries(1):
            webhooks.hooks_for(event, "registration.created", about=registration)
            webhooks.hooks_for(event, "registration.waitlisted", about=registration)
        with django_assert_num_queries(1):  # not about it: read again
            webhooks.hooks_for(event, "registration.waitlisted")


def test_the_hooks_kept_for_one_block_are_not_those_of_the_next():
    event = EventFactory()
    organizer = OrganizerFactory()
    grant(event, organizer)
    registration = SimpleNamespace()

    with transaction.atomic():
        assert webhooks.hooks_for(event, "registration.created", about=registration) == []
    hook = Webhook.objects.create(owner=organizer, url="https://hooks.example.org/a",
                                  event=event, secret="s" * 32,
                                  event_types=["registration.created"])
    with transaction.atomic():
        assert webhooks.hooks_for(event, "registration.created", about=registration) == [hook]
    with pytest.raises(RuntimeError), transaction.atomic():
        webhooks.hooks_for(event, "registration.created", about=registration)
        raise RuntimeError("rolled back")
    hook.delete()
    with transaction.atomic():
        assert webhooks.hooks_for(event, "registration.created", about=registration) == []
