"""Security headers, CSP without inline code, CSRF on every form."""

import re

import pytest
from django.test import Client

from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory

from .support import form_data

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def pages(event, registration) -> list[str]:
    token = registration.manage_token
    return [
        "/", "/?when=past", f"/events/{event.slug}/", f"/events/{event.slug}/speakers/",
        "/privacy/", f"/manage/{token}/", f"/manage/{token}/cancel/", f"/manage/{token}/erase/",
        "/manage/erased/",
    ]


def test_every_page_sends_a_strict_content_security_policy(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event)

    for path in [*pages(event, registration), "/no-such-page/"]:
        directives = csp_directives(client.get(path))
        assert directives["default-src"] == ["'self'"], path
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert directives["object-src"] == ["'none'"], path
        assert directives["form-action"] == ["'self'"], path
        assert not any("unsafe" in value for values in directives.values() for value in values)


def test_pages_have_no_inline_scripts_styles_or_handlers(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event)

    for path in pages(event, registration):
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path
        assert "javascript:" not in html, path


def test_security_headers(client):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_every_post_form_carries_a_csrf_token(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event)

    for path in pages(event, registration):
        html = client.get(path).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S)
        assert forms, path  # at least the language switcher
        for form in forms:
            assert 'name="csrfmiddlewaretoken"' in form, (path, form[:120])


def test_posts_without_the_csrf_token_are_refused(db):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    browser = Client(enforce_csrf_checks=True)

    register = browser.post(f"/events/{event.slug}/", form_data(email="new@example.org"))
    cancel = browser.post(f"/manage/{registration.manage_token}/cancel/")

    assert register.status_code == 403
    assert cancel.status_code == 403
    assert "Please try again" in register.content.decode()
    assert Registration.objects.count() == 1
    registration.refresh_from_db()
    assert registration.is_active


def test_posts_with_the_csrf_token_pass(db):
    event = EventFactory()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/events/{event.slug}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = browser.post(
        f"/events/{event.slug}/", {**form_data(), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_api_docs_page_has_no_inline_code_and_loads_local_files(client):
    response = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert "cdn.jsdelivr.net" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
