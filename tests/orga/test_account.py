"""Signing in to the organizer area: the form, its rate limit, and the password-reset link."""

import pytest
from django.core import mail

from notifications.accounts import send_account_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_signing_in_leads_to_the_index(client):
    user = UserFactory()

    response = client.post("/orga/login/", {"username": user.username, "password": PASSWORD})

    assert (response.status_code, response.url) == (302, "/orga/")


def test_pages_of_the_area_ask_to_sign_in_first(client):
    response = client.get("/orga/events/anything/")

    assert response.status_code == 302
    assert response.url.startswith("/orga/login/?next=")


def test_repeated_wrong_passwords_are_slowed_down_with_a_429(client, settings):
    settings.ORGA_LOGIN_RATE_LIMIT = "2/m"
    user = UserFactory()

    answers = [client.post("/orga/login/", {"username": user.username, "password": "wrong"})
               .status_code for _ in range(3)]
    blocked = client.post("/orga/login/", {"username": user.username, "password": PASSWORD})

    assert answers == [200, 200, 429]
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.content.decode()


def test_a_password_reset_is_queued_for_a_worker_and_reveals_nothing(
    client, django_capture_on_commit_callbacks,
):
    user = UserFactory(email="known@example.org")

    with django_capture_on_commit_callbacks() as callbacks:
        known = client.post("/orga/password/reset/", {"email": "known@example.org"})
        unknown = client.post("/orga/password/reset/", {"email": "nobody@example.org"})

    assert (known.status_code, unknown.status_code) == (302, 302)
    assert known.url == unknown.url
    assert len(callbacks) == 1
    send_account_email(user.pk, "password_reset")
    assert mail.outbox[0].to == ["known@example.org"]
    assert "/orga/password/set/" in mail.outbox[0].body
