"""An organizer in Chromium: the attendee list (filter, cancel with a reason, export links) and a
message (preview in its frame, send, progress), with no CSP violation and no serious axe
violation, on a desktop and on a phone."""

from pathlib import Path

import pytest

from notifications.models import Message
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory, grant

from .conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_manages_attendees_and_messages_them(open_page, device, snap):
    organizer = UserFactory(username="orga", email="orga@example.org")
    event = EventFactory(title="Forum on supply chains", capacity=1)
    grant(event, organizer)
    seated = RegistrationFactory(event=event, name="Ana Seated")
    waiting = RegistrationFactory(event=event, name="Bo Waiting")
    page = open_page(device)
    violations = {}

    page.goto("/orga/login/")
    page.get_by_label("Username").fill("orga")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/orga/events/{event.slug}/attendees/")
    page.get_by_role("heading", name="Attendees").wait_for()
    violations["attendees"] = serious_violations(page)
    snap(page, "attendees")

    page.get_by_label("Status").select_option("confirmed")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("status").filter(has_text="1 registration").wait_for()
    assert page.get_by_role("link", name="Export as CSV").get_attribute("href").endswith(
        "?status=confirmed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as CSV").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Ana Seated" in exported and "Bo Waiting" not in exported
    page.locator("summary", has_text="Cancel…").first.click()
    page.get_by_label("Reason (goes into their email, optional)").fill("The room is smaller.")
    page.get_by_role("button", name="Cancel this registration").click()
    page.get_by_text("The registration of Ana Seated is cancelled").wait_for()
    snap(page, "cancelled")

    assert [Registration.objects.get(pk=r.pk).status for r in (seated, waiting)] == [
        RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    assert "status=confirmed" in page.url

    page.get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Write a message").click()
    page.get_by_label("Subject").fill("Practical details")
    page.get_by_label("Message", exact=True).fill("Doors open at 8:30.")
    page.get_by_role("button", name="Preview").click()
    frame = page.frame_locator("iframe.email-preview-html")
    frame.get_by_text("Hello Bo Waiting,").wait_for()
    violations["preview"] = serious_violations(page)
    snap(page, "preview")
    page.get_by_role("button", name="Send to all recipients").click()
    page.get_by_text("Your message is on its way to 1 recipient.").wait_for()
    violations["progress"] = serious_violations(page)
    snap(page, "progress")

    assert Message.objects.get().recipient_count == 1
    assert violations == {"attendees": [], "preview": [], "progress": []}
    # open_page fails the test on any CSP violation it saw (the preview's frame included).
