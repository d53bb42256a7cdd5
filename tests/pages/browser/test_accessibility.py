"""axe-core in the page: no serious or critical violations, on a desktop and on a phone."""

import pytest

from tests.factories import RegistrationFactory, create_event_with_programme

from .conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_have_no_serious_accessibility_violations(open_page, device, snap):
    event = create_event_with_programme(sessions=4, speakers_per_session=2, capacity=50)
    registration = RegistrationFactory(event=event, session_ids=[event.sessions.first().pk])
    token = registration.manage_token
    pages = {
        "agenda": "/",
        "agenda-past": "/?when=past",
        "agenda-filtered-empty": "/?kind=training&q=nothing-matches",
        "event": f"/events/{event.slug}/",
        "speakers": f"/events/{event.slug}/speakers/",
        "manage": f"/manage/{token}/",
        "manage-cancel": f"/manage/{token}/cancel/",
        "manage-erase": f"/manage/{token}/erase/",
        "privacy": "/privacy/",
        "not-found": "/no-such-page/",
        "wrong-token": f"/manage/{registration.public_id.hex}wrongsecret/",
    }
    page = open_page(device)

    found = {}
    for name, path in pages.items():
        page.goto(path)
        snap(page, name)
        found[name] = serious_violations(page)

    assert found == {name: [] for name in pages}


def test_french_pages_have_no_serious_accessibility_violations(open_page, device):
    event = create_event_with_programme(sessions=2)
    page = open_page(device, locale="fr-FR")

    found = {}
    for path in ("/", f"/events/{event.slug}/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "fr"
        found[path] = serious_violations(page)

    assert found == {"/": [], f"/events/{event.slug}/": []}


def test_form_with_errors_has_no_serious_accessibility_violations(open_page, device):
    event = create_event_with_programme(sessions=2)
    page = open_page(device)
    page.goto(f"/events/{event.slug}/")

    page.locator("#register").get_by_role("button", name="Register").click()
    page.wait_for_load_state()

    assert page.locator("#error-summary").is_visible()
    assert serious_violations(page) == []
