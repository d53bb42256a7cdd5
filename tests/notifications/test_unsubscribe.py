"""Turning reminders off from the email: RFC 8058 one-click POST, and a page behind the link."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from agenda.services import save_session
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.reminders import ReminderScan, schedule_due_reminders
from notifications.services import send_delivery
from registrations.models import Registration
from registrations.services import erase_personal_data
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

from .support import Email, as_received

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def mail_client() -> Client:
    """What a mail provider's one-click POST looks like: no cookies, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def future_event(**fields):
    start = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    return EventFactory(start=start, end=start + 8 * HOUR, **fields)


def week_before_reminder(registration: Registration) -> Email:
    schedule_due_reminders(now=registration.event.start - 7 * DAY)
    reminder = registration.deliveries.get(kind=MessageKind.REMINDER)
    assert send_delivery(delivery_id=reminder.pk) is True
    return as_received(mail.outbox[-1])


def unsubscribe_path(email: Email) -> str:
    return urlsplit(email.header("List-Unsubscribe").strip("<>")).path


def one_click(client: Client, path: str):
    return client.post(path, "List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded")


def reminders_enabled(registration: Registration) -> bool:
    return Registration.objects.get(pk=registration.pk).reminders_enabled


def test_one_click_post_turns_reminders_off_and_later_scans_skip_the_attendee(mail_client):
    event = future_event()
    leaving = RegistrationFactory(event=event, email="amina@example.org")
    staying = RegistrationFactory(event=event, email="bruno@example.org")
    email = week_before_reminder(leaving)
    schedule_due_reminders(now=event.start - 7 * DAY)  # bruno's is recorded too

    response = one_click(mail_client, unsubscribe_path(email))
    scan = schedule_due_reminders(now=event.start - DAY)

    assert response.status_code == 200
    assert (reminders_enabled(leaving), reminders_enabled(staying)) == (False, True)
    assert scan == ReminderScan(due=1, skipped=0)
    assert sorted(
        Delivery.objects.filter(kind=MessageKind.REMINDER, scheduled_for=event.start - DAY)
        .values_list("registration__email", flat=True)
    ) == ["bruno@example.org"]


def test_link_in_the_body_is_the_one_in_the_header(mail_client):
    registration = RegistrationFactory(event=future_event())

    email = week_before_reminder(registration)

    url = email.header("List-Unsubscribe").strip("<>")
    assert [line for line in email.text.splitlines() if url in line] == [
        f"Reminders are sent before the event. To stop them: {url}"
    ]
    assert f'href="{url}"' in email.html


def test_opening_the_link_asks_before_turning_anything_off(mail_client):
    # Link scanners open every link in a message: a GET must change nothing.
    registration = RegistrationFactory(event=future_event())
    path = unsubscribe_path(week_before_reminder(registration))

    page = mail_client.get(path)
    head = mail_client.head(path)

    assert (page.status_code, head.status_code) == (200, 200)
    assert '<form method="post"><button type="submit">Turn reminders off</button></form>' in (
        page.content.decode()
    )
    assert reminders_enabled(registration) is True


def test_turning_reminders_off_twice_is_harmless(mail_client):
    registration = RegistrationFactory(event=future_event())
    path = unsubscribe_path(week_before_reminder(registration))

    responses = [one_click(mail_client, path).status_code, mail_client.post(path).status_code]

    assert responses == [200, 200]
    assert reminders_enabled(registration) is False


def test_reminder_already_recorded_is_not_sent_after_unsubscribing(mail_client):
    event = future_event()
    registration = RegistrationFactory(event=event)
    path = unsubscribe_path(week_before_reminder(registration))
    schedule_due_reminders(now=event.start - DAY)
    recorded = registration.deliveries.get(kind=MessageKind.REMINDER, status="pending")
    # The scan ran before the click reached us; the send comes after.
    one_click(mail_client, path)

    sent = send_delivery(delivery_id=recorded.pk)

    assert (sent, Delivery.objects.get(pk=recorded.pk).status) == (False, DeliveryStatus.SKIPPED)
    assert len(mail.outbox) == 1  # the week-before reminder only


def test_change_notices_still_reach_an_attendee_without_reminders(mail_client):
    event = future_event()
    session = SessionFactory(event=event)
    registration = RegistrationFactory(event=event, session_ids=[session.pk])
    one_click(mail_client, unsubscribe_path(week_before_reminder(registration)))

    session.start += HOUR
    session.end += HOUR
    save_session(session=session)

    notice = registration.deliveries.get(kind=MessageKind.CHANGE_NOTICE)
    assert send_delivery(delivery_id=notice.pk) is True


@pytest.mark.parametrize("token", ["nonsense", "0" * 32 + "A" * 32])
def test_unknown_token_is_not_found(mail_client, token):
    response = one_click(mail_client, f"/reminders/off/{token}/")

    assert response.status_code == 404


def test_the_unsubscribe_link_is_not_the_management_link_and_cannot_manage(mail_client,
                                                                           api_client):
    registration = RegistrationFactory(event=future_event())

    path = unsubscribe_path(week_before_reminder(registration))

    token = path.removeprefix("/reminders/off/").strip("/")
    assert token == registration.unsubscribe_token
    assert token not in (registration.manage_token, registration.feed_token)
    # What a mail provider keeps opens no management page, API or feed.
    assert mail_client.get(f"/manage/{token}/").status_code == 404
    assert api_client.get(f"/api/v1/registrations/{token}/").status_code == 404
    assert api_client.post(f"/api/v1/registrations/{token}/erase/").status_code == 404
    assert mail_client.get(f"/feeds/me/{token}.ics").status_code == 404
    assert one_click(mail_client, path).status_code == 200
    assert reminders_enabled(registration) is False


def test_an_erasure_revokes_the_unsubscribe_link(mail_client):
    registration = RegistrationFactory(event=future_event())
    path = unsubscribe_path(week_before_reminder(registration))

    erase_personal_data(registration=registration)

    assert one_click(mail_client, path).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_reminders_off_page_is_private_like_the_manage_pages(mail_client, client, method):
    registration = RegistrationFactory(event=future_event())
    manage_page = client.get(f"/manage/{registration.manage_token}/")

    response = getattr(mail_client, method)(f"/reminders/off/{registration.unsubscribe_token}/")

    private = ("Cache-Control", "Referrer-Policy", "X-Robots-Tag")
    assert response.status_code == 200
    assert {name: response[name] for name in private} == {
        name: manage_page[name] for name in private
    } == {
        "Cache-Control": "private, no-store",
        "Referrer-Policy": "same-origin",
        "X-Robots-Tag": "noindex, nofollow",
    }
