"""notifications.calendars: a calendar serialized once serves every attendee who shares it,
each with their own DTSTAMP and LAST-MODIFIED, byte for byte as if built for them alone."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from notifications.calendars import StampedCalendar, calendar_bytes
from registrations.selectors import registration_with_details
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def stamps(calendar: bytes) -> list[tuple[str, dt.datetime, dt.datetime]]:
    return [
        (str(vevent["UID"]), vevent["DTSTAMP"].dt, vevent["LAST-MODIFIED"].dt)
        for vevent in icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    ]


def test_each_attendee_gets_the_calendar_built_for_them_with_their_own_stamps():
    event = EventFactory(format="hybrid", online_url="https://meet.example.org/forum")
    sessions = [SessionFactory(event=event), SessionFactory(event=event)]
    ids = [session.pk for session in sessions]
    first, second, third = (RegistrationFactory(event=event, session_ids=ids) for _ in range(3))
    # Registered long before the programme's last change, between its changes, and after.
    moments = {
        first.pk: event.updated_at - dt.timedelta(days=30),
        second.pk: sessions[0].updated_at + dt.timedelta(microseconds=1),
        third.pk: timezone.now() + dt.timedelta(hours=1),
    }
    for pk, moment in moments.items():
        type(first).objects.filter(pk=pk).update(updated_at=moment)
    registrations = registration_with_details().in_bulk(moments)

    stamped = StampedCalendar(registrations[first.pk], event)

    for registration in registrations.values():
        own = calendar_bytes(registration, event)
        assert stamped.for_registration(registration) == own
    assert stamps(stamped.for_registration(registrations[first.pk])) != stamps(
        stamped.for_registration(registrations[third.pk])
    )
    assert {stamp for _uid, stamp, _ in stamps(calendar_bytes(registrations[third.pk], event))} == {
        moments[third.pk].replace(microsecond=0)
    }
