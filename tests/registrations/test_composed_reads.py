"""The reads of every registration run as SQL composed once (agenda.composed): each gives what
its plain queryset gives, on the same data."""

import pytest

from registrations import selectors, services
from registrations.addresses import normalize_email
from registrations.models import Question
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_open_event_is_the_public_one_behind_its_slug():
    public = EventFactory(slug="forum")
    EventFactory(slug="draft", status="draft")
    cancelled = EventFactory(slug="called-off", status="cancelled")

    for slug, expected in (("forum", public), ("called-off", cancelled), ("draft", None),
                           ("nothing", None)):
        found = selectors.event_open_for_registration(slug)
        assert found == expected
        assert list(selectors.public_event_by_slug(slug)) == ([expected] if expected else [])
        if found:
            assert found.start == expected.start and found.tzinfo == expected.tzinfo


def test_questions_come_in_the_order_the_form_asks_them():
    event = EventFactory()
    later = QuestionFactory(event=event, position=2)
    first = QuestionFactory(event=event, position=1)
    tie = QuestionFactory(event=event, position=1)
    QuestionFactory()  # another event's

    found = selectors.questions_of(event)
    assert found == [first, tie, later] == list(selectors.questions_of_event(event.pk))
    assert [q.options for q in found] == [q.options for q in Question.objects.filter(
        pk__in=[first.pk, tie.pk, later.pk]).order_by("position", "pk")]


@pytest.mark.parametrize("spelt", ["amina@example.org", "AMINA@Example.ORG",
                                   "amina@EXAMPLE.org"])
def test_the_live_registration_of_an_address_however_it_is_spelt(spelt):
    event = EventFactory()
    registration = RegistrationFactory(event=event, email="Amina@example.org")
    services.cancel_registration(registration=RegistrationFactory(event=event,
                                                                  email="old@example.org"))
    RegistrationFactory(email="amina@example.org")  # the same address, another event
    email = normalize_email(spelt)

    assert selectors.live_registration(event, email) == registration
    assert list(selectors.live_registrations(event.pk, email)) == [registration]
    assert selectors.live_registration(event, normalize_email("old@example.org")) is None
    assert list(selectors.live_registrations(event.pk, "old@example.org")) == []
