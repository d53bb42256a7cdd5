"""The organizer's event work in Chromium: move a session people chose, see the
confirmation, confirm; preview a draft; and no serious axe finding on these pages."""

import datetime as dt

import pytest

from agenda.enums import EventStatus
from agenda.models import Session
from tests.factories import RegistrationFactory, UserFactory, create_event_with_programme, grant

from .conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def sign_in(page, user) -> None:
    page.goto("/orga/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_moving_a_session_is_confirmed_before_it_is_saved(open_page, device, snap):
    event = create_event_with_programme(sessions=2)
    session = event.sessions.order_by("start").first()
    RegistrationFactory(event=event, session_ids=[session.pk])
    organizer = UserFactory()
    grant(event, organizer)
    page = open_page(device)
    sign_in(page, organizer)

    page.goto(f"/orga/events/{event.slug}/programme/sessions/{session.pk}/")
    later = event.localize(session.start + dt.timedelta(hours=2))
    page.get_by_label("Start").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("End").fill((later + dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_load_state()
    snap(page, "confirm")
    assert page.get_by_text("1 attendee will be emailed about this change.").is_visible()
    assert serious_violations(page) == []
    assert Session.objects.get(pk=session.pk).start == session.start

    page.get_by_role("button", name="Yes, save and notify them").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 attendee will be emailed about the change.").is_visible()
    moved = (session.start + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    assert Session.objects.get(pk=session.pk).start == moved


def test_event_work_pages_have_no_serious_accessibility_violations(open_page, device, snap):
    event = create_event_with_programme(sessions=2, status=EventStatus.DRAFT)
    session = event.sessions.first()
    organizer = UserFactory()
    grant(event, organizer)
    page = open_page(device)
    sign_in(page, organizer)
    base = f"/orga/events/{event.slug}/"
    pages = ["edit/", "clone/", "preview/", "programme/", "programme/sessions/new/",
             f"programme/sessions/{session.pk}/", f"programme/sessions/{session.pk}/delete/",
             "programme/rooms/", "programme/tracks/", "programme/speakers/"]
    found = {}
    for path in pages:
        page.goto(base + path)
        snap(page, path.strip("/").replace("/", "-"))
        found[path] = serious_violations(page)
    assert found == {path: [] for path in pages}
    page.goto(base + "preview/")
    assert page.get_by_text("Preview — not published.").is_visible()
    assert page.locator("#register button[type=submit]").is_disabled()
