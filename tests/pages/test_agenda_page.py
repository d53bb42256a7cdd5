"""The agenda page (/): published events by month, filters that work without JavaScript."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from agenda.enums import EventFormat, EventKind, EventStatus
from tests.factories import EventFactory, RegistrationFactory, TagFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    """Event titles in page order."""
    html = response.content.decode()
    return re.findall(r'<h3><a href="/events/[^"]+/">([^<]+)</a></h3>', html)


def in_days(days: int, hour: int = 10) -> dt.datetime:
    moment = timezone.now() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_agenda_lists_upcoming_published_events_in_start_order(client):
    later = EventFactory(title="Summit later", start=in_days(60))
    sooner = EventFactory(title="Forum sooner", start=in_days(10))
    EventFactory(title="Secret draft", start=in_days(20), status=EventStatus.DRAFT)
    EventFactory(title="Already over", start=in_days(-20))

    response = client.get("/")

    assert response.status_code == 200
    assert titles(response) == [sooner.title, later.title]
    assert "Secret draft" not in response.content.decode()


def test_agenda_groups_events_by_month_in_their_own_zone(client):
    # 23:30 UTC on the last day of a month is already the next month in Brussels.
    start = dt.datetime(2031, 1, 31, 23, 30, tzinfo=dt.UTC)
    EventFactory(title="Midnight forum", start=start, timezone="Europe/Brussels")

    html = client.get("/").content.decode()

    assert '<h2 id="month-2031-02">February 2031</h2>' in html
    assert "January 2031" not in html


def test_agenda_shows_times_in_the_event_zone_with_a_machine_readable_moment(client):
    start = dt.datetime(2031, 6, 3, 7, 0, tzinfo=dt.UTC)
    EventFactory(start=start, end=start + dt.timedelta(hours=2), timezone="Europe/Brussels")

    html = client.get("/").content.decode()

    assert '<time datetime="2031-06-03T09:00:00+02:00">Tuesday 3 June 2031, 09:00</time>' in html
    assert 'data-tz="Europe/Brussels"' in html
    assert "(Brussels time)" in html


def test_agenda_marks_cancelled_events_and_registration_states(client):
    EventFactory(title="Called off", status=EventStatus.CANCELLED, start=in_days(5))
    EventFactory(title="Roomy", capacity=40, start=in_days(6))
    full = EventFactory(title="Packed", capacity=1, start=in_days(7))
    RegistrationFactory(event=full)
    EventFactory(
        title="Too late", start=in_days(8),
        registration_closes_at=timezone.now() - dt.timedelta(hours=1),
    )
    EventFactory(title="Unlimited", capacity=None, start=in_days(9))

    html = client.get("/").content.decode()

    def card(title: str) -> str:
        start = html.index(f">{title}</a>")
        return html[start:html.index("</li>", start)]

    assert "Cancelled" in card("Called off")
    assert "40 seats left" in card("Roomy")
    assert "waitlist" in card("Packed")
    assert "Registration closed" in card("Too late")
    assert "Registration open" in card("Unlimited")


def test_past_events_are_one_switch_away_newest_first(client):
    EventFactory(title="Upcoming one", start=in_days(3))
    older = EventFactory(title="Older past", start=in_days(-40))
    newer = EventFactory(title="Newer past", start=in_days(-10))

    response = client.get("/?when=past")

    expected = [newer.title, older.title]
    if older.local_start.year != newer.local_start.year:
        expected = [newer.title]  # one year at a time
    assert titles(response) == expected
    assert 'href="/?when=past" aria-current="page"' in response.content.decode()


def test_past_events_are_shown_one_year_at_a_time(client):
    EventFactory(title="Archive 2021", start=dt.datetime(2021, 5, 4, 8, tzinfo=dt.UTC))
    EventFactory(title="Archive 2022", start=dt.datetime(2022, 5, 4, 8, tzinfo=dt.UTC))

    latest = client.get("/?when=past")
    earlier = client.get("/?when=past&year=2021")
    unknown = client.get("/?when=past&year=1999")

    assert titles(latest) == ["Archive 2022"]
    assert titles(earlier) == ["Archive 2021"]
    assert titles(unknown) == ["Archive 2022"]
    assert "year=2021" in latest.content.decode()


def test_filters_work_as_a_plain_get_form(client):
    webinar = EventFactory(
        title="Climate webinar", kind=EventKind.WEBINAR, format=EventFormat.ONLINE,
        venue_name="", start=in_days(4), tags=[TagFactory(name="Climate", slug="climate")],
    )
    EventFactory(title="Textile forum", kind=EventKind.FORUM, start=in_days(5))

    by_kind = client.get("/", {"kind": "webinar", "format": "", "tag": "", "q": ""})
    by_format = client.get("/", {"format": "online"})
    by_topic = client.get("/", {"tag": "climate"})
    by_text = client.get("/", {"q": "textile"})
    combined = client.get("/", {"kind": "forum", "tag": "climate"})

    assert titles(by_kind) == [webinar.title]
    assert titles(by_format) == [webinar.title]
    assert titles(by_topic) == [webinar.title]
    assert titles(by_text) == ["Textile forum"]
    assert titles(combined) == []
    assert "No events match these filters" in combined.content.decode()


def test_filter_form_keeps_the_choices_made(client):
    EventFactory(start=in_days(4), tags=[TagFactory(name="Climate", slug="climate")])

    query = {"kind": "webinar", "tag": "climate", "q": "due diligence"}
    html = client.get("/", query).content.decode()

    assert '<option value="webinar" selected>' in html
    assert '<option value="climate" selected>' in html
    assert 'value="due diligence"' in html
    assert "Clear filters" in html


def test_unknown_filter_values_are_ignored_not_an_error(client):
    EventFactory(title="Any event", start=in_days(4))

    response = client.get("/", {"kind": "rave", "when": "someday", "year": "x"})

    assert response.status_code == 200
    assert titles(response) == ["Any event"]


def test_filter_topics_offer_only_topics_of_public_events(client):
    EventFactory(start=in_days(4), tags=[TagFactory(name="Climate", slug="climate")])
    EventFactory(start=in_days(4), status=EventStatus.DRAFT,
                 tags=[TagFactory(name="Embargoed topic", slug="embargoed")])

    html = client.get("/").content.decode()

    assert '<option value="climate">Climate</option>' in html
    assert "Embargoed topic" not in html


def test_agenda_filters_by_date_range_and_track(client):
    from tests.factories import TrackFactory

    early = EventFactory(title="March Forum", start=dt.datetime(2040, 3, 10, 9, tzinfo=dt.UTC),
                         end=dt.datetime(2040, 3, 10, 17, tzinfo=dt.UTC))
    late = EventFactory(title="June Forum", start=dt.datetime(2040, 6, 10, 9, tzinfo=dt.UTC),
                        end=dt.datetime(2040, 6, 10, 17, tzinfo=dt.UTC))
    TrackFactory(event=late, name="Finance", slug="finance")

    in_range = client.get("/", {"starts_after": "2040-06-01", "starts_before": "2040-06-30"})
    by_track = client.get("/", {"track": "finance"})
    everything = client.get("/").content.decode()

    assert "June Forum" in in_range.content.decode()
    assert "March Forum" not in in_range.content.decode()
    assert "June Forum" in by_track.content.decode()
    assert "March Forum" not in by_track.content.decode()
    assert '<option value="finance">Finance</option>' in everything
    assert early.title in everything
    feed_link = 'href="/feeds/agenda.ics?starts_after=2040-06-01&amp;starts_before=2040-06-30"'
    assert feed_link in in_range.content.decode()


@pytest.mark.parametrize("value", ["yesterday", "2040-13-01"])
def test_agenda_with_an_unreadable_date_says_so(client, value):
    EventFactory(title="Any Forum")

    response = client.get("/", {"starts_after": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-errors"' in html
    assert "Starts on or after" in html


def test_agenda_from_the_first_day_of_the_calendar_lists_everything(client):
    # Its midnight in Brussels is before what Python can shift to UTC: held to that edge.
    EventFactory(title="Any Forum")

    response = client.get("/", {"starts_after": "0001-01-01"})

    assert response.status_code == 200
    assert "Any Forum" in response.content.decode()
