"""While the database does not answer, a request is a 503 with ``Retry-After`` and a message
(JSON with ``detail`` and ``code`` under /api/), never a 500; once it answers again, the next
request succeeds with nothing restarted.

The database is made unreachable for real: the connection is pointed where nothing answers (a
closed port on PostgreSQL, a file in a missing folder on SQLite), so the driver raises its own
error. tests/slow/test_database_restart.py stops a real PostgreSQL under load.
"""

import contextlib
import json

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from config.errors import server_error
from registrations.models import Registration
from tests.factories import EventFactory
from tests.notifications.support import free_port

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "The agenda cannot reach its database for a moment. Please try again in a few seconds."


@contextlib.contextmanager
def database_away():
    """Inside the block, every connection attempt of the default database fails."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("NAME", "HOST", "PORT")}
    connection.close()
    if connection.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    else:
        settings_dict["NAME"] = "/nonexistent-agenda-folder/agenda.sqlite3"
    try:
        yield
    finally:
        connection.close()
        settings_dict.update(saved)


def test_an_api_request_is_a_503_in_json_with_retry_after():
    event = EventFactory()

    with database_away():
        response = Client().get(f"/api/v1/events/{event.slug}/")

    assert response.status_code == 503
    assert response.json() == {"detail": MESSAGE, "code": "database_unavailable"}
    assert (response["Retry-After"], response["Cache-Control"]) == ("5", "no-store")


def test_a_registration_is_a_503_and_writes_nothing():
    event = EventFactory()

    with database_away():
        response = Client().post(
            f"/api/v1/events/{event.slug}/registrations/",
            json.dumps({"name": "Amina Diallo", "email": "amina@example.org", "consent": True}),
            content_type="application/json",
        )

    assert (response.status_code, response.json()["code"]) == (503, "database_unavailable")
    assert Registration.objects.count() == 0


def test_a_page_is_a_503_page_with_retry_after():
    event = EventFactory()

    with database_away():
        response = Client().get(f"/events/{event.slug}/")

    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<h1>Briefly unavailable</h1>" in page
    assert MESSAGE in page


def test_the_page_is_in_the_visitors_language():
    with database_away():
        response = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 503
    assert "<h1>Momentanément indisponible</h1>" in response.content.decode()


def test_a_feed_poll_is_a_503_that_no_client_keeps():
    with database_away():
        response = Client().get("/feeds/agenda.ics", HTTP_IF_NONE_MATCH='"anything"')

    assert (response.status_code, response["Cache-Control"]) == (503, "no-store")


def test_the_next_request_after_the_database_is_back_succeeds():
    event = EventFactory()
    client = Client()
    with database_away():
        away = client.get(f"/api/v1/events/{event.slug}/").status_code

    back = client.get(f"/api/v1/events/{event.slug}/")

    assert (away, back.status_code, back.json()["slug"]) == (503, 200, event.slug)


def test_a_database_error_outside_any_view_is_a_503_too():
    request = RequestFactory().get("/api/v1/events/")
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    except OperationalError:
        response = server_error(request)  # as Django calls it, while handling the error

    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert json.loads(response.content)["code"] == "database_unavailable"


def test_any_other_error_stays_a_500():
    request = RequestFactory().get("/api/v1/events/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
