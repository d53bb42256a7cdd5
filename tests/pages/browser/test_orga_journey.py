"""The organizer's journey in Chromium, on a desktop and a phone: sign in, the index of
their events, the dashboard (its chart drawn under the CSP), the team and the audit log;
no serious accessibility violation on any of them, in English and French."""

import pytest

from agenda import services
from agenda.enums import Role
from tests.factories import RegistrationFactory, UserFactory, create_event_with_programme

from .conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _organizer_of_a_busy_event():
    event = create_event_with_programme(sessions=3, capacity=2)
    organizer = UserFactory(email="orga@example.org", username="orga@example.org")
    services.grant_role(event=event, user=organizer, role=Role.ORGANIZER)
    for _ in range(3):
        RegistrationFactory(event=event)
    return event, organizer


def _sign_in(page, username: str) -> None:
    page.goto("/orga/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_organizer_signs_in_and_reads_the_dashboard(open_page, device, snap):
    event, organizer = _organizer_of_a_busy_event()
    page = open_page(device)

    _sign_in(page, organizer.username)
    assert page.url.endswith("/orga/")
    snap(page, "index")
    found = {"index": serious_violations(page)}

    page.get_by_role("link", name=event.title).click()
    page.wait_for_selector("canvas[data-drawn='true']")
    snap(page, "dashboard")
    found["dashboard"] = serious_violations(page)
    assert page.locator("#registrations-table tbody tr").count() >= 1

    page.get_by_role("link", name="Team").click()
    page.get_by_label("Email address").fill("door.helper@example.org")
    page.get_by_label("Role").select_option(Role.CHECKIN)
    page.get_by_role("button", name="Add to the team").click()
    page.wait_for_load_state()
    assert page.get_by_text("door.helper@example.org is now check-in helper").is_visible()
    found["team"] = serious_violations(page)

    page.get_by_role("link", name="Audit log").click()
    assert page.get_by_text("role_granted").count() >= 1
    snap(page, "audit")
    found["audit"] = serious_violations(page)

    assert found == {"index": [], "dashboard": [], "team": [], "audit": []}


def test_a_wrong_password_is_refused_with_a_message(open_page):
    _event, organizer = _organizer_of_a_busy_event()
    page = open_page()
    page.goto("/orga/login/")
    page.get_by_label("Username").fill(organizer.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("alert").is_visible()
    assert serious_violations(page) == []


def test_the_organizer_area_speaks_french(open_page):
    event, organizer = _organizer_of_a_busy_event()
    page = open_page(locale="fr-FR")
    page.goto("/orga/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom d’utilisateur").fill(organizer.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.goto(f"/orga/events/{event.slug}/")
    page.wait_for_selector("canvas[data-drawn='true']")

    assert page.get_by_role("heading", name="Inscriptions au fil du temps").is_visible()
    assert serious_violations(page) == []
