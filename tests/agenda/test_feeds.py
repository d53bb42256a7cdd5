"""What the public feeds say, checked the way calendar clients read them: with every parser."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from agenda.enums import EventFormat, EventKind, EventStatus
from agenda.feeds.selectors import AGENDA_FEED_PAST
from agenda.services import cancel_event, cancel_session, save_event, save_session
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TagFactory,
    TrackFactory,
)
from tests.ical_parsers import (
    PARSERS,
    parse_with_every_parser,
    uids_of,
    unfolded_lines,
    vevent_by_uid,
    vevents,
)

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = dt.UTC
DOMAIN = "agenda.example.org"
AGENDA = "/feeds/agenda.ics"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.SITE_DOMAIN = DOMAIN


def feed_url(event) -> str:
    return f"/feeds/events/{event.slug}.ics"


def fetch(client, url: str, params: dict | None = None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.content


def session_uid(session) -> str:
    return f"session-{session.uuid}@{DOMAIN}"


def event_uid(event) -> str:
    return f"event-{event.uuid}@{DOMAIN}"


def forum_weekend(**fields):
    """An event across the end of summer time in Brussels (Sunday 31 October 2021, 03:00)."""
    fields = {
        "slug": "forum-2021",
        "title": "Responsible Business Forum",
        "timezone": "Europe/Brussels",
        "start": dt.datetime(2021, 10, 30, 9, tzinfo=BRUSSELS),
        "end": dt.datetime(2021, 10, 31, 18, tzinfo=BRUSSELS),
        **fields,
    }
    return EventFactory(**fields)


def session_at(event, day: int, hour: int = 10, **fields):
    start = dt.datetime(2021, 10, day, hour, tzinfo=BRUSSELS)
    return SessionFactory(event=event, start=start, end=start + dt.timedelta(hours=1), **fields)


# --- Every feed, every parser ------------------------------------------------------------------


def test_event_feed_has_one_vevent_per_session_in_every_parser(client):
    event = forum_weekend()
    saturday, sunday = session_at(event, 30), session_at(event, 31)

    body = fetch(client, feed_url(event))

    assert uids_of(body) == {session_uid(saturday), session_uid(sunday)}


def test_event_without_sessions_appears_as_one_vevent_in_its_feed(client):
    event = forum_weekend()

    body = fetch(client, feed_url(event))

    assert uids_of(body) == {event_uid(event)}


def test_agenda_feed_has_one_vevent_per_published_or_cancelled_event_and_no_drafts(client):
    published = EventFactory()
    cancelled = EventFactory(status=EventStatus.CANCELLED)
    EventFactory(status=EventStatus.DRAFT)
    SessionFactory(event=published)

    body = fetch(client, AGENDA)

    assert uids_of(body) == {event_uid(published), event_uid(cancelled)}


def test_a_drafts_feeds_and_downloads_are_not_found(client):
    draft = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=draft)

    assert client.get(feed_url(draft)).status_code == 404
    assert client.get(f"/feeds/events/{draft.slug}/event.ics").status_code == 404
    assert client.get(f"/feeds/sessions/{session.uuid}.ics").status_code == 404


def test_dst_sessions_keep_their_wall_clock_time_in_every_parser(client):
    event = forum_weekend()
    saturday, sunday = session_at(event, 30), session_at(event, 31)

    parsed = parse_with_every_parser(fetch(client, feed_url(event)))

    assert set(parsed) == set(PARSERS)
    for parser, occurrences in parsed.items():
        saturday_start = occurrences[session_uid(saturday)].start
        sunday_start = occurrences[session_uid(sunday)].start
        assert (saturday_start.hour, sunday_start.hour) == (10, 10), parser
        assert saturday_start.astimezone(UTC) == dt.datetime(2021, 10, 30, 8, tzinfo=UTC), parser
        assert sunday_start.astimezone(UTC) == dt.datetime(2021, 10, 31, 9, tzinfo=UTC), parser
        assert saturday_start.utcoffset() == dt.timedelta(hours=2), parser
        assert sunday_start.utcoffset() == dt.timedelta(hours=1), parser


def test_times_carry_the_events_tzid_with_a_vtimezone_covering_the_change_of_offset(client):
    event = forum_weekend()
    session_at(event, 30)
    session_at(event, 31)

    body = fetch(client, feed_url(event))
    lines = unfolded_lines(body)
    calendar = icalendar.Calendar.from_ical(body)

    assert "DTSTART;TZID=Europe/Brussels:20211030T100000" in lines
    assert "DTSTART;TZID=Europe/Brussels:20211031T100000" in lines
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Brussels"]
    assert calendar.get_missing_tzids() == set()
    zone = lines[lines.index("BEGIN:VTIMEZONE"):lines.index("END:VTIMEZONE")]
    autumn = zone.index("DTSTART:20211031T030000")  # summer time ends: 03:00 back to 02:00
    assert zone[autumn - 1] == "BEGIN:STANDARD"
    assert {"TZOFFSETFROM:+0200", "TZOFFSETTO:+0100"} <= set(zone[autumn:autumn + 4])


def test_no_time_is_floating_in_any_feed(client):
    event = EventFactory(timezone="America/New_York", tags=[TagFactory()])
    SessionFactory(event=event)
    EventFactory(timezone="Asia/Shanghai")
    EventFactory(timezone="UTC")
    moment = re.compile(r"^(DTSTART|DTEND|DTSTAMP|CREATED|LAST-MODIFIED)(;[^:]*)?:(.*)$")

    for url in (AGENDA, feed_url(event), f"/feeds/events/{event.slug}/event.ics"):
        body = fetch(client, url)
        calendar = icalendar.Calendar.from_ical(body)
        checked = 0
        in_vevent = False
        for line in unfolded_lines(body):
            # Outside VEVENTs, only VTIMEZONE rules have (by definition local) DTSTARTs.
            in_vevent = line == "BEGIN:VEVENT" or (in_vevent and line != "END:VEVENT")
            match = moment.match(line)
            if in_vevent and match:
                _name, params, value = match.groups()
                assert value.endswith("Z") or "TZID=" in (params or ""), line
                checked += 1
        assert checked >= 5
        assert calendar.get_missing_tzids() == set(), url
        tzids = {str(vevent["DTSTART"].params.get("TZID")) for vevent in vevents(body)} - {"None"}
        assert tzids == {tz.tz_name for tz in calendar.timezones}, url


def test_an_event_in_utc_is_written_in_utc_without_a_vtimezone(client):
    event = EventFactory(
        timezone="UTC", start=dt.datetime(2031, 5, 6, 9, tzinfo=UTC),
        end=dt.datetime(2031, 5, 6, 12, tzinfo=UTC),
    )

    body = fetch(client, feed_url(event))

    assert "DTSTART:20310506T090000Z" in unfolded_lines(body)
    assert b"BEGIN:VTIMEZONE" not in body


# --- Format: CRLF, folding, UTF-8, escaping -----------------------------------------------------


def test_lines_end_in_crlf_and_are_folded_at_75_octets_without_splitting_characters(client):
    event = forum_weekend()
    abstract = (
        "Łódź, Zürich, São Paulo, Škofja Loka, 北京 and Αθήνα compare due diligence — "
        "“who pays?” 🌍 " * 12
    ).strip()
    session = session_at(event, 30, abstract=abstract)

    body = fetch(client, feed_url(event))

    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    physical_lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical_lines) <= 75
    for line in physical_lines:
        line.decode("utf-8")  # each physical line whole: no character split by a fold
    assert sum(1 for line in physical_lines if line.startswith(b" ")) > 10
    description = str(vevent_by_uid(body, session_uid(session))["DESCRIPTION"])
    assert description.startswith(abstract)


def test_text_is_escaped_and_reads_back_the_same(client):
    event = forum_weekend(venue_name="Hall; east wing", venue_address="Rue Haute 1, Brussels")
    room = RoomFactory(event=event, name="Room \\ 2")
    title = "Buyers, suppliers; and \\ backslashes"
    session = session_at(event, 30, title=title, abstract="Line one\nLine two", room=room)

    body = fetch(client, feed_url(event))
    lines = unfolded_lines(body)
    vevent = vevent_by_uid(body, session_uid(session))

    assert "SUMMARY:Buyers\\, suppliers\\; and \\\\ backslashes" in lines
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]).startswith("Line one\nLine two\n\n")
    assert str(vevent["LOCATION"]) == "Room \\ 2, Hall; east wing, Rue Haute 1, Brussels"
    for parser, occurrences in parse_with_every_parser(body).items():
        assert occurrences[session_uid(session)].summary == title, parser


def test_calendar_says_version_prodid_method_publish_name_and_refresh_interval(client):
    event = forum_weekend(summary="Due diligence in supply chains.")

    lines = unfolded_lines(fetch(client, feed_url(event)))

    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert "PRODID:-//Agenda//Agenda calendar feeds 1.0//EN" in lines
    assert "CALSCALE:GREGORIAN" in lines
    assert "METHOD:PUBLISH" in lines
    assert "X-WR-CALNAME:Responsible Business Forum" in lines
    assert "X-WR-CALDESC:Due diligence in supply chains." in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines


def test_agenda_feed_is_named_and_described(client):
    lines = unfolded_lines(fetch(client, AGENDA))

    assert "X-WR-CALNAME:Agenda" in lines
    assert any(line.startswith("X-WR-CALDESC:") for line in lines)
    assert "METHOD:PUBLISH" in lines


# --- Identity and revisions ---------------------------------------------------------------------


def test_uids_are_built_from_the_uuid_and_site_domain_and_survive_edits(client):
    event = forum_weekend()
    session = session_at(event, 30)
    first = uids_of(fetch(client, feed_url(event)))

    session.title = "A new title"
    session.start += dt.timedelta(hours=2)
    session.end += dt.timedelta(hours=2)
    save_session(session=session)
    event.title = "Renamed forum"
    save_event(event=event)

    assert first == uids_of(fetch(client, feed_url(event))) == {session_uid(session)}
    assert fetch(client, f"/feeds/sessions/{session.uuid}.ics").count(
        f"UID:{session_uid(session)}".encode()
    ) == 1


def test_sequence_rises_when_a_session_is_rescheduled_and_never_falls(client):
    event = forum_weekend()
    session = session_at(event, 30)
    uid = session_uid(session)
    before = vevent_by_uid(fetch(client, feed_url(event)), uid)["SEQUENCE"]

    session.start += dt.timedelta(hours=1)
    session.end += dt.timedelta(hours=1)
    save_session(session=session)
    rescheduled = vevent_by_uid(fetch(client, feed_url(event)), uid)["SEQUENCE"]
    session.title = "Same time, new title"
    save_session(session=session)
    retitled = vevent_by_uid(fetch(client, feed_url(event)), uid)["SEQUENCE"]

    assert (before, rescheduled, retitled) == (0, 1, 1)


def test_sequence_of_an_event_rises_when_it_moves_and_its_sessions_follow(client):
    event = forum_weekend()
    session = session_at(event, 30)
    download = f"/feeds/events/{event.slug}/event.ics"
    before = vevent_by_uid(fetch(client, download), event_uid(event))["SEQUENCE"]

    event.venue_name = "Another venue"
    save_event(event=event)
    event.end += dt.timedelta(hours=2)
    save_event(event=event)

    assert (before, vevent_by_uid(fetch(client, download), event_uid(event))["SEQUENCE"]) == (
        0, 2
    )
    moved = vevent_by_uid(fetch(client, feed_url(event)), session_uid(session))
    assert moved["SEQUENCE"] == 2
    assert "Another venue" in str(moved["LOCATION"])


def test_a_cancelled_session_stays_in_the_feed_marked_cancelled_with_a_higher_sequence(client):
    event = forum_weekend()
    session = session_at(event, 30)
    kept = session_at(event, 31)

    cancel_session(session=session)
    body = fetch(client, feed_url(event))

    cancelled = vevent_by_uid(body, session_uid(session))
    assert (str(cancelled["STATUS"]), cancelled["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(vevent_by_uid(body, session_uid(kept))["STATUS"]) == "CONFIRMED"
    for parser, occurrences in parse_with_every_parser(body).items():
        assert occurrences[session_uid(session)].status == "CANCELLED", parser


def test_the_sessions_of_a_cancelled_event_are_cancelled_too(client):
    event = forum_weekend()
    saturday, sunday = session_at(event, 30), session_at(event, 31)

    cancel_event(event=event)
    body = fetch(client, feed_url(event))
    agenda_event = vevent_by_uid(fetch(client, f"/feeds/events/{event.slug}/event.ics"),
                                 event_uid(event))

    for session in (saturday, sunday):
        vevent = vevent_by_uid(body, session_uid(session))
        assert (str(vevent["STATUS"]), vevent["SEQUENCE"]) == ("CANCELLED", 1)
    assert (str(agenda_event["STATUS"]), agenda_event["SEQUENCE"]) == ("CANCELLED", 1)


def test_a_cancelled_event_stays_in_the_agenda_feed_marked_cancelled(client):
    event = EventFactory()
    before = vevent_by_uid(fetch(client, AGENDA), event_uid(event))

    cancel_event(event=event)
    after = vevent_by_uid(fetch(client, AGENDA), event_uid(event))

    assert (str(before["STATUS"]), before["SEQUENCE"]) == ("CONFIRMED", 0)
    assert (str(after["STATUS"]), after["SEQUENCE"]) == ("CANCELLED", 1)


def test_dtstamp_and_last_modified_are_the_last_change_and_created_the_creation(client):
    event = forum_weekend()
    session = session_at(event, 30)
    speaker = SpeakerFactory()
    session.speakers.set([speaker])
    session.refresh_from_db()
    event.refresh_from_db()

    vevent = vevent_by_uid(fetch(client, feed_url(event)), session_uid(session))

    last_change = max(session.updated_at, event.updated_at, speaker.updated_at)
    assert vevent.decoded("DTSTAMP") == last_change.replace(microsecond=0)
    assert vevent.decoded("LAST-MODIFIED") == last_change.replace(microsecond=0)
    assert vevent.decoded("CREATED") == session.created_at.replace(microsecond=0)


def test_dtstamp_is_the_items_last_change_not_the_time_of_the_request(client):
    event = forum_weekend()
    session = session_at(event, 30)
    long_ago = dt.datetime(2021, 6, 1, 12, 0, 0, tzinfo=UTC)
    type(session).objects.filter(pk=session.pk).update(updated_at=long_ago)
    type(event).objects.filter(pk=event.pk).update(updated_at=long_ago)

    first = vevent_by_uid(fetch(client, feed_url(event)), session_uid(session))
    second = vevent_by_uid(fetch(client, feed_url(event)), session_uid(session))

    assert first.decoded("DTSTAMP") == second.decoded("DTSTAMP") == long_ago


# --- What an item says --------------------------------------------------------------------------


def test_session_says_abstract_speakers_event_link_location_url_and_categories(client):
    event = forum_weekend(
        kind=EventKind.CONFERENCE, format=EventFormat.HYBRID,
        venue_name="Square Brussels", venue_address="Mont des Arts, 1000 Brussels",
        tags=[TagFactory(name="Due diligence"), TagFactory(name="Climate")],
    )
    track = TrackFactory(event=event, name="Textiles")
    room = RoomFactory(event=event, name="Hall A")
    named = SpeakerFactory(name="Ana Ruiz", role="Buyer", organization="Retailer")
    anonymous = SpeakerFactory(name="", role="Auditor", organization="Certifier")
    session = session_at(
        event, 30, abstract="Who pays for compliance?", room=room, track=track,
        speakers=[named, anonymous],
    )

    vevent = vevent_by_uid(fetch(client, feed_url(event)), session_uid(session))

    assert str(vevent["DESCRIPTION"]) == (
        "Who pays for compliance?\n\n"
        "Speakers: Auditor, Certifier; Ana Ruiz (Buyer, Retailer)\n\n"
        "Responsible Business Forum\nhttps://agenda.example.org/events/forum-2021/"
    )
    assert str(vevent["LOCATION"]) == "Hall A, Square Brussels, Mont des Arts, 1000 Brussels"
    assert str(vevent["URL"]) == "https://agenda.example.org/events/forum-2021/"
    assert list(vevent["CATEGORIES"].cats) == ["Conference", "Textiles", "Climate", "Due diligence"]


def test_online_event_is_located_online(client):
    event = forum_weekend(format=EventFormat.ONLINE, venue_name="", venue_address="")
    session = session_at(event, 30)

    body = fetch(client, feed_url(event))

    assert str(vevent_by_uid(body, session_uid(session))["LOCATION"]) == "Online"


def test_agenda_item_says_summary_description_link_and_topics(client):
    event = EventFactory(
        slug="rbc", title="RBC Forum", summary="Supply chains.", description="Practitioners.",
        kind=EventKind.FORUM, tags=[TagFactory(name="Climate")],
    )
    TrackFactory(event=event, name="Finance")

    vevent = vevent_by_uid(fetch(client, AGENDA), event_uid(event))

    assert str(vevent["SUMMARY"]) == "RBC Forum"
    assert str(vevent["DESCRIPTION"]) == (
        "Supply chains.\n\nPractitioners.\n\nhttps://agenda.example.org/events/rbc/"
    )
    assert list(vevent["CATEGORIES"].cats) == ["Forum", "Finance", "Climate"]
    assert str(vevent["URL"]) == "https://agenda.example.org/events/rbc/"


def test_public_feeds_never_show_the_join_link_nor_an_organizer(client):
    event = EventFactory(
        format=EventFormat.HYBRID, online_url="https://meet.example.org/very-secret-room-42"
    )
    session = SessionFactory(event=event)

    urls = [
        AGENDA, feed_url(event), f"/feeds/events/{event.slug}/event.ics",
        f"/feeds/sessions/{session.uuid}.ics", f"{AGENDA}?alarm=15&all_day=1",
    ]
    for url in urls:
        body = fetch(client, url)
        assert event.online_url.encode() not in body, url
        assert b"meet.example.org" not in body, url
        assert b"ORGANIZER" not in body, url
        assert b"METHOD:REQUEST" not in body, url
        assert b"ATTENDEE" not in body, url


# --- The agenda's window and filters ------------------------------------------------------------


def test_past_events_stay_in_the_agenda_feed_for_400_days_after_they_end(client):
    now = timezone.now()

    def ended(ago: dt.timedelta):
        end = (now - ago).replace(microsecond=0)
        return EventFactory(start=end - dt.timedelta(hours=3), end=end)

    recent = ended(AGENDA_FEED_PAST - dt.timedelta(days=1))
    old = ended(AGENDA_FEED_PAST + dt.timedelta(days=1))
    future = EventFactory()

    uids = uids_of(fetch(client, AGENDA))

    assert dt.timedelta(days=400) == AGENDA_FEED_PAST
    assert event_uid(recent) in uids
    assert event_uid(future) in uids
    assert event_uid(old) not in uids


def test_agenda_feed_takes_the_events_api_filters(client):
    climate = TagFactory(slug="climate")
    webinar = EventFactory(kind=EventKind.WEBINAR, format=EventFormat.ONLINE, venue_name="")
    forum = EventFactory(kind=EventKind.FORUM, format=EventFormat.IN_PERSON, tags=[climate])
    workshop = EventFactory(kind=EventKind.WORKSHOP, format=EventFormat.HYBRID)
    TrackFactory(event=workshop, slug="finance")

    def uids(params: dict) -> set[str]:
        return uids_of(fetch(client, AGENDA, params))

    assert uids({"kind": "webinar"}) == {event_uid(webinar)}
    assert uids({"kind": ["webinar", "forum"]}) == {event_uid(webinar), event_uid(forum)}
    assert uids({"format": "in_person"}) == {event_uid(forum)}
    assert uids({"tag": "climate"}) == {event_uid(forum)}
    assert uids({"track": "finance"}) == {event_uid(workshop)}
    assert uids({"tag": "nothing-has-this"}) == set()


def test_agenda_feed_takes_the_agenda_pages_date_range(client):
    march = EventFactory(start=dt.datetime(2040, 3, 10, 9, tzinfo=dt.UTC),
                         end=dt.datetime(2040, 3, 10, 17, tzinfo=dt.UTC))
    june = EventFactory(start=dt.datetime(2040, 6, 10, 9, tzinfo=dt.UTC),
                        end=dt.datetime(2040, 6, 10, 17, tzinfo=dt.UTC))

    def uids(params: dict) -> set[str]:
        return uids_of(fetch(client, AGENDA, params))

    assert uids({"starts_after": "2040-06-01", "starts_before": "2040-06-30"}) == {
        event_uid(june)
    }
    assert uids({"starts_before": "2040-03-10"}) == {event_uid(march)}


@pytest.mark.parametrize(
    "params",
    [
        {"kinds": "forum"},
        {"kind": "festival"},
        {"format": "paper"},
        {"starts_after": "yesterday"},
        {"status": "deleted"},
        {"tag": "climate\x00"},
        {"q": "x" * 300},
        {"alarm": "0"},
        {"alarm": "10081"},
        {"alarm": "thirty"},
        {"alarm": "30.5"},
        {"alarm": "+30"},
        {"alarm": "٣٠"},
        {"alarm": ["30", "60"]},
        {"all_day": "maybe"},
    ],
)
def test_agenda_feed_refuses_unknown_parameters_and_bad_values_with_a_400(client, params):
    response = client.get(AGENDA, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == set(params)


@pytest.mark.parametrize("url", ["/feeds/events/{slug}.ics", "/feeds/events/{slug}/event.ics"])
def test_event_feeds_refuse_filters_they_do_not_take(client, url):
    event = EventFactory()

    response = client.get(url.format(slug=event.slug), {"kind": "forum"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind"}


# --- Subscriber's options -----------------------------------------------------------------------


def test_all_day_shows_a_multi_day_event_as_its_local_dates_with_an_exclusive_end(client):
    event = forum_weekend()  # Saturday 09:00 to Sunday 18:00 in Brussels
    one_day = EventFactory(
        start=dt.datetime(2031, 3, 4, 9, tzinfo=BRUSSELS),
        end=dt.datetime(2031, 3, 4, 17, tzinfo=BRUSSELS),
    )
    to_midnight = EventFactory(
        timezone="Asia/Shanghai",
        start=dt.datetime(2031, 3, 4, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        end=dt.datetime(2031, 3, 6, 0, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    )

    body = fetch(client, f"/feeds/events/{event.slug}.ics", {"all_day": "1"})
    lines = unfolded_lines(body)
    agenda = fetch(client, AGENDA, {"all_day": "1"})

    assert "DTSTART;VALUE=DATE:20211030" in lines
    assert "DTEND;VALUE=DATE:20211101" in lines
    for parser, occurrences in parse_with_every_parser(body).items():
        occurrence = occurrences[event_uid(event)]
        assert (occurrence.start, occurrence.end) == (
            dt.date(2021, 10, 30), dt.date(2021, 11, 1)
        ), parser
    assert vevent_by_uid(agenda, event_uid(one_day)).decoded("DTSTART") == dt.datetime(
        2031, 3, 4, 9, tzinfo=BRUSSELS
    )
    midnight = vevent_by_uid(agenda, event_uid(to_midnight))
    assert (midnight.decoded("DTSTART"), midnight.decoded("DTEND")) == (
        dt.date(2031, 3, 4), dt.date(2031, 3, 6)
    )


def test_alarm_adds_a_display_reminder_to_each_item_not_cancelled(client):
    event = forum_weekend()
    kept = session_at(event, 30, title="Kept")
    dropped = session_at(event, 31)
    cancel_session(session=dropped)

    body = fetch(client, feed_url(event), {"alarm": "30"})

    alarms = vevent_by_uid(body, session_uid(kept)).walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0]["TRIGGER"].to_ical() == b"-PT30M"
    assert str(alarms[0]["DESCRIPTION"]) == "Kept"
    assert vevent_by_uid(body, session_uid(dropped)).walk("VALARM") == []
    assert b"TRIGGER:-PT30M" in body
    assert b"TRIGGER:-P7D" in fetch(client, feed_url(event), {"alarm": "10080"})
    assert b"VALARM" not in fetch(client, feed_url(event))


# --- One-item downloads -------------------------------------------------------------------------


def test_event_download_is_the_whole_event_as_one_attachment(client):
    event = forum_weekend()
    session_at(event, 30)

    response = client.get(f"/feeds/events/{event.slug}/event.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="forum-2021.ics"'
    assert uids_of(response.content) == {event_uid(event)}
    vevent = vevent_by_uid(response.content, event_uid(event))
    assert vevent.decoded("DTSTART") == dt.datetime(2021, 10, 30, 9, tzinfo=BRUSSELS)


def test_session_download_is_one_session_as_an_attachment(client):
    event = forum_weekend()
    session = session_at(event, 31)
    session_at(event, 30)

    response = client.get(f"/feeds/sessions/{session.uuid}.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="session-{session.uuid}.ics"'
    )
    assert uids_of(response.content) == {session_uid(session)}
