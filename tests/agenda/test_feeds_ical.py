"""The pure iCalendar builder, without a database."""

import datetime as dt
import uuid
import zoneinfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda import ical
from tests.ical_parsers import uids_of, unfolded_lines

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
CHANGED = dt.datetime(2021, 6, 1, 12, tzinfo=dt.UTC)


def item(**fields) -> ical.FeedItem:
    start = fields.pop("start", dt.datetime(2021, 10, 30, 10, tzinfo=BRUSSELS))
    values = {
        "uid": f"session-{uuid.uuid4()}@agenda.example.org",
        "summary": "Panel",
        "start": start,
        "end": start + dt.timedelta(hours=1),
        "timezone": "Europe/Brussels",
        "created": CHANGED,
        "last_modified": CHANGED,
        "sequence": 0,
        **fields,
    }
    return ical.FeedItem(**values)


def serialized(*items: ical.FeedItem, alarm_minutes: int | None = None) -> bytes:
    calendar = ical.build_calendar(
        ical.CalendarInfo(name="Agenda"), items, alarm_minutes=alarm_minutes
    )
    return ical.serialize(calendar)


def test_serialize_gives_exactly_what_icalendar_gives():
    items = [
        item(description="é" * 200 + "\\;,\n" * 20, categories=("A,B", "Ç")),
        item(status=ical.ItemStatus.CANCELLED, location="x" * 74),
        item(all_day=True, end=dt.datetime(2021, 11, 2, 10, tzinfo=BRUSSELS)),
    ]
    calendar = ical.build_calendar(ical.CalendarInfo(name="Ä" * 80), items, alarm_minutes=5)

    assert ical.serialize(calendar) == calendar.to_ical()


@given(
    text=st.text(alphabet="ab\\^;,:\n\"é€😀 ", max_size=400),
    padding=st.integers(min_value=0, max_value=80),
)
def test_serialize_folds_like_icalendar_whatever_falls_on_the_fold(text, padding):
    calendar = ical.build_calendar(
        ical.CalendarInfo(name="x" * padding + text), [item(description="y" * padding + text)]
    )

    assert ical.serialize(calendar) == calendar.to_ical()


@given(summary=st.text(alphabet="ab\\^;,:\n\"é€😀 ", max_size=200))
def test_alarm_lines_written_by_hand_are_what_icalendar_writes(summary):
    alarm = ical._alarm(summary, ical._STAND_IN_TRIGGER)

    assert ical.alarm_lines(summary) == ical.serialize(alarm) == alarm.to_ical()


def test_uids_are_stable_and_name_the_kind_and_the_site():
    key = uuid.UUID("6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b")

    assert ical.session_uid(key, "a.org") == "session-6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b@a.org"
    assert ical.event_uid(key, "a.org") == "event-6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b@a.org"


@pytest.mark.parametrize(
    ("start", "end", "dates"),
    [
        ((2021, 10, 30, 9), (2021, 10, 31, 18), ((2021, 10, 30), (2021, 11, 1))),
        ((2021, 10, 30, 9), (2021, 10, 30, 18), ((2021, 10, 30), (2021, 10, 31))),
        ((2021, 10, 30, 9), (2021, 11, 1, 0), ((2021, 10, 30), (2021, 11, 1))),
        ((2021, 10, 30, 23), (2021, 10, 31, 1), ((2021, 10, 30), (2021, 11, 1))),
    ],
)
def test_local_dates_end_the_day_after_the_last_and_midnight_ends_a_day(start, end, dates):
    first, after_last = ical.local_dates(
        dt.datetime(*start, tzinfo=BRUSSELS), dt.datetime(*end, tzinfo=BRUSSELS),
        "Europe/Brussels",
    )

    assert (first, after_last) == (dt.date(*dates[0]), dt.date(*dates[1]))


def test_vtimezone_is_built_once_per_zone_and_span():
    first = ical.vtimezone("Europe/Brussels", 2021, 2022)

    assert ical.vtimezone("Europe/Brussels", 2021, 2022) is first
    assert ical.vtimezone("Europe/Brussels", 2021, 2023) is not first


def test_vtimezone_spans_the_years_of_the_items():
    body = serialized(
        item(start=dt.datetime(2021, 12, 31, 23, tzinfo=BRUSSELS)),
        item(start=dt.datetime(2023, 6, 1, 10, tzinfo=BRUSSELS)),
    )
    lines = unfolded_lines(body)

    assert "DTSTART:20210101T000000" in lines  # from the first year's first day
    assert "DTSTART:20210328T030000" in lines  # summer time of 2021 begins
    assert b"20230326T030000" in body  # and that of 2023
    # RFC 5545 allows no COMMENT on the VTIMEZONE itself (libical refuses the calendar).
    assert [line for line in lines if line.startswith("COMMENT")] == []


def test_a_zone_unknown_here_is_written_in_utc_not_floating():
    body = serialized(
        item(timezone="Mars/Olympus_Mons", start=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    )

    assert "DTSTART:20210101T000000Z" in unfolded_lines(body)
    assert b"TZID" not in body


def test_alarm_minutes_out_of_range_are_refused():
    with pytest.raises(ValueError):
        serialized(item(), alarm_minutes=0)
    with pytest.raises(ValueError):
        serialized(item(), alarm_minutes=ical.MAX_ALARM_MINUTES + 1)


def test_tentative_items_keep_their_status_and_parse_everywhere():
    tentative = item(status=ical.ItemStatus.TENTATIVE)

    body = serialized(tentative)

    assert uids_of(body) == {tentative.uid}
    assert "STATUS:TENTATIVE" in unfolded_lines(body)
    assert icalendar.Calendar.from_ical(body).get_missing_tzids() == set()
