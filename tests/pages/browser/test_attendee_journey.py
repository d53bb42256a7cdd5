"""An attendee's whole journey in a real browser, on a desktop and on a phone: browse the
agenda, filter it, open an event, register (wrong, then right), read the email, manage the
registration, cancel. Screenshots of each step go to test-artifacts/pages/."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from agenda.enums import EventFormat, EventKind
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration
from tests.factories import EventFactory, RoomFactory, SessionFactory, SpeakerFactory, TagFactory

from ..support import manage_link, send_pending_emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def programme() -> dict:
    start = (timezone.now() + dt.timedelta(days=20)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    climate = TagFactory(name="Climate", slug="climate")
    workshop = EventFactory(
        title="Supplier Engagement Lab", slug="supplier-lab", kind=EventKind.WORKSHOP,
        format=EventFormat.IN_PERSON, start=start, end=start + dt.timedelta(hours=8),
        capacity=30, timezone="Europe/Brussels", tags=[climate],
        description="A morning on questionnaires suppliers can answer.",
    )
    EventFactory(title="Due Diligence Webinar", kind=EventKind.WEBINAR,
                 format=EventFormat.ONLINE, venue_name="", start=start + dt.timedelta(days=3))
    room = RoomFactory(event=workshop, name="Gallery room")
    speaker = SpeakerFactory(name="Lea Novak", role="Head of sourcing", organization="Retailer")
    sessions = [
        SessionFactory(event=workshop, title=title, room=room, speakers=[speaker],
                       start=start + dt.timedelta(minutes=offset),
                       end=start + dt.timedelta(minutes=offset + 60), capacity=capacity)
        for title, offset, capacity in (
            ("Costing purchasing commitments", 60, 20),
            ("Sharing audit results", 90, 20),  # overlaps the first
            ("Questionnaires that work", 180, None),
        )
    ]
    return {"event": workshop, "sessions": sessions}


def test_register_manage_and_cancel(open_page, device, snap, assert_accessible):
    data = programme()
    event, sessions = data["event"], data["sessions"]
    page = open_page(device)

    # The agenda, then a filter (a plain GET form).
    page.goto("/")
    snap(page, "agenda")
    assert_accessible(page)
    assert page.get_by_role("heading", name="Supplier Engagement Lab").is_visible()
    assert page.get_by_role("heading", name="Due Diligence Webinar").is_visible()
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url(re.compile(r"kind=workshop"))
    snap(page, "agenda-filtered")
    assert page.get_by_role("heading", name="Due Diligence Webinar").count() == 0

    # The event page: its programme, calendar links, and the form.
    page.get_by_role("link", name="Supplier Engagement Lab").click()
    page.wait_for_url(f"**/events/{event.slug}/")
    snap(page, "event")
    assert_accessible(page)
    assert page.locator('a[href^="webcal://"]').first.get_attribute("href").endswith(
        f"/feeds/events/{event.slug}.ics"
    )
    assert page.get_by_role("link", name="Google Calendar").is_visible()
    assert page.get_by_role("link", name="Outlook", exact=True).is_visible()

    # First a mistake: a broken address and no consent.
    page.get_by_label("Full name").fill("Amina Diallo")
    page.get_by_label("Email address").fill("amina@")
    page.locator("#register").get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#id_email_error").inner_text() == "Enter a valid email address."
    assert "Please accept the privacy notice" in page.locator("#id_consent_error").inner_text()
    assert page.get_by_label("Full name").input_value() == "Amina Diallo"
    snap(page, "form-errors")
    assert_accessible(page)

    # Then right, with two sessions that overlap.
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_role("checkbox", name="Costing purchasing commitments").check()
    page.get_by_role("checkbox", name="Sharing audit results").check()
    page.get_by_label("I have read the privacy notice").check()
    page.locator("#register").get_by_role("button", name="Register").click()
    page.wait_for_url("**/manage/**")
    snap(page, "confirmation")
    assert_accessible(page)
    assert "Thank you, Amina Diallo." in page.locator(".messages").inner_text()
    assert page.get_by_text("You have a seat.").is_visible()
    assert page.get_by_text("overlap in time").first.is_visible()
    assert page.locator('meta[name="referrer"]').get_attribute("content") == "same-origin"
    registration = Registration.objects.get(email="amina@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
    # The browser gave its zone (the tab's is New York): emails give times in it too.
    assert registration.timezone == "America/New_York"

    # The confirmation email holds the manage link; a fresh tab opens it.
    assert send_pending_emails() == 1
    link = manage_link(mail.outbox[-1])
    assert mail.outbox[-1].to == ["amina@example.org"]
    assert "(America/New_York)" in mail.outbox[-1].body
    page.goto(link)
    assert page.get_by_role("heading", name="Your registration").is_visible()
    assert page.get_by_text("Amina Diallo", exact=True).is_visible()
    assert page.get_by_text("The organizers").count() == 0

    # Change the sessions: drop the overlap, add another.
    page.get_by_role("checkbox", name="Sharing audit results").uncheck()
    page.get_by_role("checkbox", name="Questionnaires that work").check()
    page.get_by_role("button", name="Save my sessions").click()
    page.wait_for_load_state()
    snap(page, "sessions-changed")
    assert page.get_by_text("Your sessions are updated.").is_visible()
    assert page.get_by_text("overlap in time").count() == 0
    held = registration.session_choices.filter(status=SessionChoiceStatus.CONFIRMED)
    assert sorted(held.values_list("session_id", flat=True)) == [sessions[0].pk, sessions[2].pk]

    # The personal calendar can be subscribed to.
    subscribe = page.get_by_role("link", name=re.compile("Subscribe"))
    assert subscribe.get_attribute("href").startswith("webcal://")
    assert "/feeds/me/" in subscribe.get_attribute("href")

    # Cancel, after a confirmation step.
    page.get_by_role("link", name="Cancel my registration").click()
    page.wait_for_url("**/cancel/")
    snap(page, "cancel-confirm")
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # nothing happened yet
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url(re.compile(r"/manage/[^/]+/$"))
    snap(page, "cancelled")
    assert page.get_by_text("Your registration is cancelled.").is_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_keyboard_alone_reaches_and_submits_the_form(open_page, snap):
    data = programme()
    page = open_page("desktop")
    page.goto(f"/events/{data['event'].slug}/")

    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")
    assert skip == "Skip to main content"
    assert outline != "none"
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("link", name="Register now").focus()
    page.keyboard.press("Enter")
    for _ in range(40):  # Tab to the name field, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_name":
            break
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("Kofi Mensah")
    page.keyboard.press("Tab")
    page.keyboard.type("kofi@example.org")
    while page.evaluate("document.activeElement.id") != "id_consent":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Read the privacy notice"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/manage/**")
    snap(page, "registered-by-keyboard")

    assert Registration.objects.get().name == "Kofi Mensah"


def test_times_are_also_shown_in_the_visitors_zone(open_page):
    data = programme()
    far = open_page("desktop", timezone_id="America/New_York")
    near = open_page("desktop", timezone_id="Europe/Paris")  # same clock as Brussels

    far.goto(f"/events/{data['event'].slug}/")
    near.goto(f"/events/{data['event'].slug}/")

    local = far.locator(".meta-list .when-local").first
    assert local.is_visible()
    assert local.inner_text().startswith("Your time: ")
    assert re.search(r"\b(EST|EDT|GMT-[45])\b", local.inner_text())
    assert near.locator(".when-local").count() == 0


def test_the_language_switcher_works_without_script(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  locale="en-GB")
    page = context.new_page()
    programme()

    page.goto("/?kind=workshop")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()

    assert page.url.endswith("/?kind=workshop")
    assert page.get_by_role("heading", name="Événements à venir").is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()
