"""Every email's `.ics`, read by strict calendar clients: libical 3 (Evolution, GNOME, with
its iTIP restriction checker) and Mozilla's ical.js (Thunderbird).

An attachment is an iTIP PUBLISH (RFC 5546), which needs an ORGANIZER on each VEVENT: the
network's no-reply address, with its name; libical refuses a PUBLISH without one.
"""

from email.utils import parseaddr

import pytest
from django.conf import settings

from notifications.enums import MessageKind
from tests.ical_parsers import CLIENTS, assert_clients_read_as_icalendar, vevents

from .test_emails import SITUATIONS, send

pytestmark = pytest.mark.django_db


def calendar_of(email) -> bytes:
    (attachment,) = [a for a in email.attachments if a.content_type == "text/calendar"]
    return attachment.content


@pytest.mark.parametrize("kind", MessageKind.values)
def test_every_emails_calendar_is_a_publish_both_clients_read_without_error(kind, settings):
    settings.NETWORK_NAME = "Responsible Business Network"
    settings.DEFAULT_FROM_EMAIL = "Agenda <noreply@agenda.example.org>"
    registration = SITUATIONS[kind]()

    body = calendar_of(send(registration, kind))

    readings = assert_clients_read_as_icalendar(body)
    assert {client: reading.method for client, reading in readings.items()} == dict.fromkeys(
        CLIENTS, "PUBLISH"
    )
    organizers = {
        (str(vevent["ORGANIZER"]), vevent["ORGANIZER"].params["CN"]) for vevent in vevents(body)
    }
    assert organizers == {
        ("mailto:noreply@agenda.example.org", "Responsible Business Network")
    }


def test_the_organizer_is_the_sender_address_and_never_the_attendee():
    registration = SITUATIONS[MessageKind.REGISTRATION_CONFIRMED]()

    body = calendar_of(send(registration, MessageKind.REGISTRATION_CONFIRMED))

    (address,) = {str(vevent["ORGANIZER"]) for vevent in vevents(body)}
    assert address == f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
    assert registration.email not in body.decode()
