"""The hand-built registration body (registrations/api/bodies.py) is byte for byte what
``RegistrationSerializer`` (its conflicts given in the context) renders, for
registrations of every shape, and is what the endpoints answer."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from agenda.enums import EventFormat, EventStatus, SessionStatus
from registrations import selectors, services
from registrations.api.bodies import registration_body
from registrations.api.serializers import RegistrationSerializer
from registrations.enums import RegistrationStatus
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def reference(registration, conflicts=()) -> bytes:
    body = RegistrationSerializer(registration, context={"conflicts": conflicts}).data
    return JSONRenderer().render(body)


def built(registration, conflicts=()) -> bytes:
    return JSONRenderer().render(registration_body(registration, conflicts))


def detailed(registration):
    return selectors.registration_with_answers().get(pk=registration.pk)


@pytest.fixture
def programme():
    """An event of one seat on Kathmandu's +05:45 with two overlapping sessions, one in a
    room, one without, a third, and questions of several kinds."""
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    event = EventFactory(timezone="Asia/Kathmandu", start=start, capacity=1,
                         format=EventFormat.HYBRID)
    room = RoomFactory(event=event, name="Salle é — 会议室")
    first = SessionFactory(event=event, room=room, title="Atelier « un »",
                           start=start + dt.timedelta(hours=1),
                           end=start + dt.timedelta(hours=2))
    second = SessionFactory(event=event, title="Overlap", start=start + dt.timedelta(hours=1),
                            end=start + dt.timedelta(hours=3))
    third = SessionFactory(event=event, title="Called off",
                           start=start + dt.timedelta(hours=4),
                           end=start + dt.timedelta(hours=5))
    questions = [
        QuestionFactory(event=event, kind="short_text", position=2),
        QuestionFactory(event=event, kind="several_choices", position=1),
        QuestionFactory(event=event, kind="yes_no", position=3),
    ]
    return event, [first, second, third], questions


def test_a_new_confirmed_registration_with_sessions_answers_and_conflicts(programme):
    event, sessions, questions = programme
    outcome = services.register(
        event=event, name="Zoë Ångström", email="zoe@example.org", consent=True,
        organization="Coopérative", session_ids=[s.pk for s in sessions[:2]],
        attendee_timezone="America/St_Johns",
        answers={questions[0].pk: "Végétarien", questions[1].pk: ["vegan", "none"],
                 questions[2].pk: True},
    )
    assert outcome.conflicts

    # The service's new registration holds its details in memory; read back, the same.
    for registration in (outcome.registration, detailed(outcome.registration)):
        assert built(registration, outcome.conflicts) == reference(
            registration, outcome.conflicts)


def test_waitlisted_pending_and_cancelled_registrations(programme):
    event, sessions, _questions = programme
    confirmed = RegistrationFactory(event=event, session_ids=[sessions[2].pk])
    # Called off after it was chosen: it stays in that agenda, shown as cancelled.
    sessions[2].status = SessionStatus.CANCELLED
    sessions[2].save()
    waitlisted = RegistrationFactory(event=event)
    assert waitlisted.status == RegistrationStatus.WAITLISTED
    cancelled = services.cancel_registration(registration=RegistrationFactory(event=event))
    approval = EventFactory(requires_approval=True, format=EventFormat.ONLINE)
    pending = RegistrationFactory(event=approval)

    for registration in (confirmed, waitlisted, cancelled, pending):
        registration = detailed(registration)
        assert built(registration) == reference(registration)


def test_an_online_event_shows_its_link_until_it_is_cancelled():
    event = EventFactory(format=EventFormat.ONLINE, timezone="UTC")
    registration = detailed(RegistrationFactory(event=event))
    assert registration_body(registration)["online_url"] == event.online_url
    assert built(registration) == reference(registration)

    event.status = EventStatus.CANCELLED
    event.save()
    registration = detailed(registration)
    assert registration_body(registration)["online_url"] is None
    assert built(registration) == reference(registration)


def test_moments_before_standard_time_and_in_another_language():
    # Brussels before 1892 ran on local mean time (+00:17:30): the API writes such moments
    # in UTC (agenda.api.fields.in_zone); and French changes nothing but the conflicts' text.
    start = dt.datetime(1890, 6, 1, 9, 0, tzinfo=dt.UTC)
    event = EventFactory(start=start, end=start + dt.timedelta(hours=3))
    first = SessionFactory(event=event, start=start, end=start + dt.timedelta(hours=2))
    second = SessionFactory(event=event, start=start, end=start + dt.timedelta(hours=1))
    registration = registered_long_ago(event, [first.pk, second.pk])
    conflicts = services.find_conflicts([c.session for c in registration.active_choices])

    with translation.override("fr"):
        assert built(registration, conflicts) == reference(registration, conflicts)


def registered_long_ago(event, session_ids):
    # register() refuses past events; the registration is written as an earlier time saw it.
    outcome = services.register(
        event=event, name="Past", email="past@example.org", consent=True,
        session_ids=session_ids, now=event.start - dt.timedelta(days=30),
    )
    return detailed(outcome.registration)


def test_the_endpoints_answer_the_built_body(api_client, programme):
    event, sessions, _questions = programme
    response = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {"name": "Ana", "email": "ana@example.org", "consent": True,
         "sessions": [sessions[0].pk]},
        format="json",
    )
    assert response.status_code == 201
    registration = detailed(selectors.live_registration(event, "ana@example.org"))
    assert response.content == reference(registration)

    manage = api_client.get(f"/api/v1/registrations/{registration.manage_token}/")
    assert manage.content == reference(registration)
