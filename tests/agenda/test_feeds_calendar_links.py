"""'Add to calendar' links on the event API, and the pure builders behind them."""

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest

from agenda import calendar_links
from agenda.enums import EventFormat
from tests.factories import EventFactory, RoomFactory, SessionFactory
from tests.ical_parsers import uids_of

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
SATURDAY = dt.datetime(2021, 10, 30, 10, tzinfo=BRUSSELS)
SUNDAY = dt.datetime(2021, 10, 31, 10, tzinfo=BRUSSELS)


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_webcal_url_swaps_the_scheme_of_the_feed():
    assert calendar_links.webcal_url("https://a.org/feeds/x.ics") == "webcal://a.org/feeds/x.ics"
    assert calendar_links.webcal_url("http://localhost:8000/f.ics") == (
        "webcal://localhost:8000/f.ics"
    )


def test_google_calendar_url_has_the_title_utc_dates_details_and_location():
    url = calendar_links.google_calendar_url(
        title="Forum & friends", start=SATURDAY, end=SUNDAY, details="Why + how",
        location="Hall A, Brussels",
    )

    assert url.startswith("https://calendar.google.com/calendar/render?")
    assert query(url) == {
        "action": "TEMPLATE",
        "text": "Forum & friends",
        "dates": "20211030T080000Z/20211031T090000Z",
        "details": "Why + how",
        "location": "Hall A, Brussels",
    }
    assert "+" not in url


def test_outlook_url_has_the_compose_deeplink_with_utc_times():
    url = calendar_links.outlook_url(
        title="Forum", start=SATURDAY, end=SUNDAY, details="Notes", location="Online"
    )

    assert url.startswith("https://outlook.office.com/calendar/0/deeplink/compose?")
    assert "path=/calendar/action/compose" in url
    assert query(url) == {
        "subject": "Forum",
        "startdt": "2021-10-30T08:00:00Z",
        "enddt": "2021-10-31T09:00:00Z",
        "body": "Notes",
        "location": "Online",
        "path": "/calendar/action/compose",
        "rru": "addevent",
    }


def test_long_details_are_cut_so_the_link_stays_usable():
    url = calendar_links.google_calendar_url(
        title="Forum", start=SATURDAY, end=SUNDAY, details="word " * 2000
    )

    details = query(url)["details"]
    assert len(details) == calendar_links.MAX_DETAILS
    assert details.endswith("\u2026")


@pytest.mark.django_db
def test_event_detail_offers_webcal_google_outlook_and_ics_links(api_client, settings):
    settings.SITE_URL = "https://agenda.example.org"
    event = EventFactory(
        slug="forum-2021", title="Responsible Business Forum", summary="Supply chains.",
        timezone="Europe/Brussels", start=SATURDAY, end=SUNDAY, format=EventFormat.HYBRID,
        venue_name="Square", venue_address="Mont des Arts, Brussels",
    )

    links = api_client.get(f"/api/v1/events/{event.slug}/").json()["links"]

    assert links["webcal"] == "webcal://agenda.example.org/feeds/events/forum-2021.ics"
    assert links["ics"] == "https://agenda.example.org/feeds/events/forum-2021/event.ics"
    google = query(links["google_calendar"])
    assert google["dates"] == "20211030T080000Z/20211031T090000Z"
    assert google["text"] == "Responsible Business Forum"
    assert google["location"] == "Square, Mont des Arts, Brussels"
    assert google["details"] == (
        "Supply chains.\n\nhttps://agenda.example.org/events/forum-2021/"
    )
    outlook = query(links["outlook"])
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2021-10-30T08:00:00Z", "2021-10-31T09:00:00Z"
    )
    assert outlook["subject"] == "Responsible Business Forum"
    assert event.online_url not in str(links)


@pytest.mark.django_db
def test_the_ics_link_of_the_event_detail_downloads_the_event(api_client, client, settings):
    settings.SITE_URL = "https://agenda.example.org"
    settings.SITE_DOMAIN = "agenda.example.org"
    event = EventFactory()

    ics = api_client.get(f"/api/v1/events/{event.slug}/").json()["links"]["ics"]
    response = client.get(urlsplit(ics).path)

    assert response.status_code == 200
    assert uids_of(response.content) == {f"event-{event.uuid}@agenda.example.org"}


@pytest.mark.django_db
def test_event_list_links_stay_as_they_were(api_client):
    EventFactory()

    links = api_client.get("/api/v1/events/").json()["results"][0]["links"]

    assert set(links) == {"self", "page", "ical"}


@pytest.mark.django_db
def test_session_links_add_one_session_with_its_room(settings):
    settings.SITE_URL = "https://agenda.example.org"
    event = EventFactory(
        start=SATURDAY - dt.timedelta(hours=1), end=SUNDAY + dt.timedelta(hours=2),
        venue_name="Square", venue_address="Brussels",
    )
    session = SessionFactory(
        event=event, title="Panel", abstract="Who pays?", start=SATURDAY,
        end=SATURDAY + dt.timedelta(hours=1), room=RoomFactory(event=event, name="Hall A"),
    )

    links = calendar_links.session_links(session)

    assert links.ics == f"https://agenda.example.org/feeds/sessions/{session.uuid}.ics"
    assert query(links.google_calendar)["location"] == "Hall A, Square, Brussels"
    assert query(links.outlook)["startdt"] == "2021-10-30T08:00:00Z"
