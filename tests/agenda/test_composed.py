"""agenda.composed: the SQL the ORM composed once, run with other values, gives what the
plain queryset gives, converted the same way (SQLite's text dates, booleans, UUIDs)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from agenda.composed import ComposedInsert, ComposedQuery
from agenda.enums import EventStatus
from agenda.models import Event, Session
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname)
            for field in type(instance)._meta.concrete_fields}


def events_by_slug(slug):
    return Event.objects.filter(slug=slug, status__in=[EventStatus.PUBLISHED]).order_by()[:1]


def test_instances_are_the_querysets_own_for_each_value():
    composed = ComposedQuery(events_by_slug, slug="placeholder-slug")
    EventFactory(slug="forum", capacity=40, online_url="")
    EventFactory(slug="summit", capacity=None)
    EventFactory(slug="draft", status=EventStatus.DRAFT)

    for slug in ("forum", "summit", "draft", "nothing"):
        plain = list(events_by_slug(slug))
        made = composed.instances(slug=slug)
        assert [fields_of(event) for event in made] == [fields_of(event) for event in plain]
        assert all(not event._state.adding and event._state.db == "default" for event in made)


def test_rows_are_converted_as_values_list_converts_them():
    event = EventFactory()
    start = event.start + dt.timedelta(minutes=7)
    SessionFactory(event=event, start=start, end=start + dt.timedelta(hours=1))
    SessionFactory(event=event)

    def sessions(event_id):
        return Session.objects.filter(event_id=event_id).order_by("pk").values_list(
            "uuid", "start", "capacity", "event__registration_closes_at", "pk")

    composed = ComposedQuery(sessions, event_id=-1)
    assert composed.rows(event_id=event.pk) == list(sessions(event.pk))
    assert composed.rows(event_id=event.pk + 1000) == []


def test_a_placeholder_that_is_not_exactly_one_parameter_is_refused():
    # The same value twice: which parameter stands for it is ambiguous.
    twice = ComposedQuery(
        lambda slug: Event.objects.filter(Q(slug=slug) | Q(title=slug)), slug="same"
    )
    with pytest.raises(ImproperlyConfigured, match="exactly one parameter"):
        twice.rows(slug="forum")
    # A value the queryset changes before it reaches the SQL.
    changed = ComposedQuery(
        lambda slug: Event.objects.filter(slug__contains=slug), slug="part"
    )
    with pytest.raises(ImproperlyConfigured, match="exactly one parameter"):
        changed.rows(slug="forum")


def test_instances_need_plain_rows():
    composed = ComposedQuery(lambda slug: Event.objects.filter(slug=slug).only("pk"), slug="x")
    with pytest.raises(ImproperlyConfigured):
        composed.instances(slug="forum")


def row_of(instance) -> dict:
    """The instance's row as the database holds it, read back by the ORM."""
    fresh = type(instance).objects.get(pk=instance.pk)
    return fields_of(fresh)


def test_a_composed_insert_writes_the_row_save_writes(django_capture_on_commit_callbacks):
    from django.db.models import signals

    from notifications.models import Delivery
    from registrations.models import Registration

    event = EventFactory()
    seen = []

    def saw(sender, instance, **kwargs):
        seen.append((kwargs.get("created"), instance._state.adding))

    signals.post_save.connect(saw, sender=Registration, dispatch_uid="test-composed")
    try:
        values = {"event": event, "name": "Zoë", "email": "zoe@example.org",
                  "status": "confirmed", "consent_version": "2021-01",
                  "consented_at": event.start, "timezone": "Asia/Kathmandu"}
        composed = ComposedInsert(Registration).save(Registration(**values))
        plain = Registration(**{**values, "email": "zoe2@example.org"})
        plain.save(force_insert=True)
    finally:
        signals.post_save.disconnect(dispatch_uid="test-composed", sender=Registration)

    assert seen == [(True, False), (True, False)]
    assert composed.pk and not composed._state.adding and composed._state.db == "default"
    made, reference = row_of(composed), row_of(plain)
    differ = {"id", "public_id", "email", "manage_secret", "feed_secret", "ticket_secret",
              "unsubscribe_secret", "created_at", "updated_at"}
    assert {k: v for k, v in made.items() if k not in differ} == {
        k: v for k, v in reference.items() if k not in differ}
    assert made["email"] == "zoe@example.org" and len(made["manage_secret"]) >= 22
    assert made["created_at"] == composed.created_at

    delivery = ComposedInsert(Delivery).save(Delivery(
        registration=composed, kind="registration_confirmed", scheduled_for=event.start,
        next_attempt_at=event.start, context={"é": [1, None, "x"]}))
    assert row_of(delivery)["context"] == {"é": [1, None, "x"]}


def test_a_composed_insert_refused_by_a_constraint_rolls_back_like_save():
    from django.db import IntegrityError, transaction

    from registrations.models import Registration

    event = EventFactory()
    values = {"event": event, "name": "A", "email": "a@example.org", "status": "confirmed",
              "consent_version": "1", "consented_at": event.start}
    inserter = ComposedInsert(Registration)
    inserter.save(Registration(**values))
    with pytest.raises(IntegrityError), transaction.atomic():
        inserter.save(Registration(**values))  # the live-address unique index

    assert Registration.objects.filter(event=event).count() == 1


def test_an_expression_value_is_refused_rather_than_written_as_text():
    from django.db.models.functions import Now

    from registrations.models import Registration

    event = EventFactory()
    registration = Registration(event=event, name="A", email="a@example.org",
                                status="confirmed", consent_version="1", consented_at=Now())
    inserter = ComposedInsert(Registration)
    with pytest.raises(ImproperlyConfigured, match="expression"):
        inserter.save(registration)
    assert not Registration.objects.exists()

    # Refused before composing: the next INSERT is composed from plain values.
    registration.consented_at = event.start
    inserter.save(registration)
    assert Registration.objects.get().consented_at == event.start
