"""agenda.composed: the SQL the ORM composed once, run with other values, gives what the
plain queryset gives, converted the same way (SQLite's text dates, booleans, UUIDs)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from agenda.composed import ComposedQuery
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
