"""Friendly error pages, the sitemap, and the query bound of every page."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone

from agenda.enums import EventStatus
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_404_page_is_friendly_html_outside_the_api(client):
    response = client.get("/nowhere/")

    html = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in html
    assert 'href="/"' in html
    assert "/nowhere/" not in html  # nothing echoed back


def test_api_404s_stay_json(client):
    response = client.get("/api/v1/nowhere/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_500_page_renders_without_a_request():
    html = get_template("500.html").render()

    assert "Something went wrong" in html
    assert "/static/pages/site.css" in html


def test_500_handler_serves_the_template(rf):
    from config.errors import server_error

    response = server_error(rf.get("/events/x/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_sitemap_lists_the_agenda_and_published_events_only(client):
    published = EventFactory(slug="open-forum")
    EventFactory(slug="secret-draft", status=EventStatus.DRAFT)
    EventFactory(slug="called-off", status=EventStatus.CANCELLED)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")]
    assert locations == [f"{settings.SITE_URL}/", f"{settings.SITE_URL}/events/open-forum/"]
    lastmod = [url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")][1]
    assert lastmod == timezone.localdate(published.updated_at).isoformat()


def test_sitemap_uses_the_canonical_site_address_whatever_the_host(client, settings):
    settings.SITE_URL = "https://agenda.example.org"
    EventFactory(slug="open-forum")

    body = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1").content.decode()

    assert "<loc>https://agenda.example.org/events/open-forum/</loc>" in body


def test_past_events_stay_in_the_sitemap(client):
    EventFactory(slug="archive", start=dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC))

    assert "/events/archive/" in client.get("/sitemap.xml").content.decode()
