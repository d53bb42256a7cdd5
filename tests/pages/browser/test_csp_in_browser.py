"""The CSP holds in a real browser on the pages around the attendee's: the API docs (Swagger
UI from the sidecar's files) and the organizer admin still work, with no CSP violation."""

import pytest

from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_loads_under_the_csp(open_page, snap):
    page = open_page("desktop")

    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()
    snap(page, "api-docs")

    assert "Agenda API" in page.locator(".swagger-ui .info .title").inner_text()
    # open_page fails the test on any CSP violation it saw.


def test_admin_works_under_the_csp(open_page, snap):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    event = EventFactory(title="Admin-edited forum")
    page = open_page("desktop")

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/agenda/event/{event.pk}/change/")
    page.get_by_role("heading", name="Change event").wait_for()
    snap(page, "admin-event")
    page.goto("/admin/agenda/event/")
    snap(page, "admin-events")

    assert page.get_by_role("link", name="Admin-edited forum").first.is_visible()
