"""Registering on the event page: the same rules as the API, through the same service."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from agenda.enums import EventStatus
from notifications.models import Delivery
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

from .support import form_data, manage_link, register, send_pending_emails

pytestmark = pytest.mark.django_db


def test_registering_redirects_to_the_manage_page_with_a_one_time_message(client):
    event = EventFactory(capacity=10)

    response = register(client, event)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/manage/{registration.manage_token}/"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.name == "Amina Diallo"
    assert registration.organization == "Cocoa Producers' Cooperative"
    page = client.get(response["Location"])
    assert "Thank you, Amina Diallo." in page.content.decode()
    again = client.get(response["Location"])
    assert "Thank you, Amina Diallo." not in again.content.decode()  # the message is one-time


def test_the_confirmation_page_says_what_happens_next(client):
    open_event = EventFactory(capacity=5)
    full_event = EventFactory(capacity=1)
    RegistrationFactory(event=full_event)
    approval_event = EventFactory(requires_approval=True)

    confirmed = client.get(register(client, open_event)["Location"]).content.decode()
    waitlisted = client.get(register(client, full_event)["Location"]).content.decode()
    pending = client.get(register(client, approval_event)["Location"]).content.decode()

    assert "You have a seat." in confirmed
    assert "You are number 1 on the waitlist." in waitlisted
    assert "The organizers review each registration." in pending


def test_form_errors_are_shown_next_to_their_fields(client):
    event = EventFactory()

    response = register(client, event, name="", email="not-an-address", consent=None)

    html = response.content.decode()
    assert response.status_code == 400
    assert Registration.objects.count() == 0
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html
    assert 'id="id_email_error"><li>Enter a valid email address.</li>' in html
    assert "Please accept the privacy notice" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'class="error-summary"' in html
    assert 'value="not-an-address"' in html  # what was typed stays


def test_the_error_summary_of_an_empty_form_names_each_field(client):
    event = EventFactory()

    response = client.post(f"/events/{event.slug}/", {})

    html = response.content.decode()
    summary = html[html.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert response.status_code == 400
    assert re.findall(r'<li><a href="#(id_\w+)">(.*?)</a></li>', summary) == [
        ("id_name", "Full name: This field is required."),
        ("id_email", "Email address: This field is required."),
        ("id_consent", "Please accept the privacy notice: we need your consent to store your "
                       "registration."),
    ]


def test_a_duplicate_email_gets_the_apis_neutral_message(client):
    event = EventFactory()
    first = RegistrationFactory(event=event, email="amina@example.org", name="First Person")

    response = register(client, event, email="AMINA@example.org", name="Someone Else")

    html = response.content.decode()
    assert response.status_code == 409
    assert "This email address is already registered for this event." in html
    assert "First Person" not in html
    assert first.manage_token not in html
    assert Registration.objects.count() == 1


def test_closed_registration_is_explained_instead_of_a_form(client):
    event = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(minutes=5))

    page = client.get(f"/events/{event.slug}/").content.decode()
    response = register(client, event)

    assert "Registration for this event closed on" in page
    assert 'name="consent"' not in page
    assert response.status_code == 409
    assert Registration.objects.count() == 0


def test_cancelled_event_refuses_registration_with_the_services_message(client):
    event = EventFactory(status=EventStatus.CANCELLED)

    response = register(client, event)

    assert response.status_code == 409
    assert "This event has been cancelled; registration is closed." in response.content.decode()


def test_chosen_sessions_are_registered_and_conflicts_warned_after_submit(client):
    event = EventFactory()
    first = SessionFactory(event=event, title="Panel A",
                           start=event.start, end=event.start + dt.timedelta(hours=1))
    second = SessionFactory(event=event, title="Panel B",
                            start=event.start + dt.timedelta(minutes=30),
                            end=event.start + dt.timedelta(hours=2))

    response = register(client, event, sessions=[first.pk, second.pk])
    page = client.get(response["Location"]).content.decode()

    registration = Registration.objects.get()
    assert sorted(registration.session_choices.values_list("session_id", flat=True)) == [
        first.pk, second.pk
    ]
    assert "Some of your sessions overlap in time." in page
    assert "\u201cPanel A\u201d and \u201cPanel B\u201d overlap in time." in page


def test_a_session_that_filled_up_meanwhile_is_refused_on_its_field(client):
    event = EventFactory()
    session = SessionFactory(event=event, title="Small workshop", capacity=1)
    RegistrationFactory(event=event, session_ids=[session.pk])

    response = register(client, event, sessions=[session.pk])

    html = response.content.decode()
    assert response.status_code == 400
    assert "The session \u201cSmall workshop\u201d has just filled up." in html
    assert 'id="id_sessions_error"' in html
    assert Registration.objects.count() == 1


def test_registration_is_recorded_in_the_visitors_language(client):
    event = EventFactory()

    client.post(f"/events/{event.slug}/", form_data(), HTTP_ACCEPT_LANGUAGE="fr")

    assert Registration.objects.get().language == "fr"


def test_the_confirmation_email_links_to_the_manage_page(client, mailoutbox):
    event = EventFactory()

    with_redirect = register(client, event)
    send_pending_emails()

    assert len(mail.outbox) == 1
    assert manage_link(mail.outbox[0]).endswith(with_redirect["Location"])
    assert Delivery.objects.get().kind == "registration_confirmed"


def test_registrations_are_rate_limited_per_client_address(client, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/m"
    event = EventFactory()

    answers = [
        register(client, event, email=f"person{n}@example.org").status_code for n in range(3)
    ]
    elsewhere = client.post(
        f"/events/{event.slug}/", form_data(email="other@example.org"), REMOTE_ADDR="10.9.8.7"
    )

    assert answers == [302, 302, 429]
    assert elsewhere.status_code == 302
    assert Registration.objects.count() == 3


def test_the_rate_limit_message_is_shown_on_the_form(client, settings):
    settings.REGISTRATION_RATE_LIMIT = "1/m"
    event = EventFactory()
    register(client, event, email="first@example.org")

    response = register(client, event, email="second@example.org")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many registrations from your network." in response.content.decode()


def test_privacy_page_shows_the_notice_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2031-02"

    response = client.get("/privacy/")

    assert response.status_code == 200
    assert "Version 2031-02." in response.content.decode()


def test_registration_records_the_privacy_notice_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2031-02"

    register(client, EventFactory())

    assert Registration.objects.get().consent_version == "2031-02"


@pytest.mark.parametrize(("sent", "kept"), [
    ("America/New_York", "America/New_York"),
    # A zone this server does not know costs the attendee nothing.
    ("Mars/Olympus_Mons", ""),
    ("", ""),
])
def test_the_form_keeps_the_time_zone_the_browser_gave(client, sent, kept):
    event = EventFactory(capacity=10)

    response = register(client, event, timezone=sent)

    assert response.status_code == 302
    assert Registration.objects.get().timezone == kept


def test_the_form_carries_a_hidden_time_zone_field_for_the_browser_to_fill(client):
    event = EventFactory(capacity=10)

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert '<input type="hidden" name="timezone"' in page


@pytest.mark.parametrize("consent", ["0", "false", "no", "off", "", "yes", "1"])
def test_only_a_ticked_checkbox_is_consent(client, consent):
    """A ticked checkbox without a value of its own sends "on"; anything else a client
    sends in its place (``consent=0``) is not a tick."""
    event = EventFactory()

    response = register(client, event, consent=consent)

    assert response.status_code == 400
    assert "Please accept the privacy notice" in response.content.decode()
    assert Registration.objects.count() == 0


def test_the_consent_checkbox_sends_what_counts_as_ticked(client):
    event = EventFactory()

    html = client.get(f"/events/{event.slug}/").content.decode()

    (checkbox,) = [tag for tag in html.split("<input")[1:] if 'name="consent"' in tag]
    assert 'type="checkbox"' in checkbox
    assert "value=" not in checkbox  # so a browser sends "on" when it is ticked
