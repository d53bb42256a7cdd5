import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agenda.durations import format_duration_list, parse_duration_list
from agenda.enums import EventFormat
from agenda.models import Event, Session, Speaker
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2021, 3, 1, 8, 0, tzinfo=UTC)


def error_fields(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


# --- Event -------------------------------------------------------------------------------------


def test_event_that_ends_before_it_starts_fails_validation():
    event = EventFactory.build(start=START, end=START - dt.timedelta(hours=1))

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert excinfo.value.message_dict["end"] == ["The event must end after it starts."]


def test_event_that_ends_when_it_starts_fails_validation():
    event = EventFactory.build(start=START, end=START)

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert "end" in error_fields(excinfo)


def test_database_refuses_an_event_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start=START, end=START - dt.timedelta(minutes=1))


def test_valid_event_passes_validation():
    event = EventFactory.build(start=START, end=START + dt.timedelta(hours=8))

    event.full_clean()


def test_event_with_an_unknown_time_zone_fails_validation():
    event = EventFactory.build(timezone="Europe/Atlantis")

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert excinfo.value.message_dict["timezone"] == [
        '"Europe/Atlantis" is not an IANA time zone. Use a name such as "Europe/Brussels".'
    ]


def test_event_with_an_iana_time_zone_passes_validation():
    EventFactory.build(timezone="America/Argentina/Buenos_Aires").full_clean()


def test_event_with_negative_capacity_fails_validation():
    event = EventFactory.build(capacity=-1)

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert error_fields(excinfo) == {"capacity"}


def test_database_refuses_a_negative_event_capacity():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(capacity=-5)


def test_event_with_zero_capacity_passes_validation():
    EventFactory.build(capacity=0).full_clean()


def test_event_slug_must_be_unique():
    EventFactory(slug="rbc-forum-2021")
    duplicate = EventFactory.build(slug="rbc-forum-2021")

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert error_fields(excinfo) == {"slug"}


def test_database_refuses_a_duplicate_event_slug():
    EventFactory(slug="rbc-forum-2021")

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(slug="rbc-forum-2021")


def test_registration_that_closes_before_it_opens_fails_validation():
    event = EventFactory.build(
        start=START,
        end=START + dt.timedelta(hours=8),
        registration_opens_at=START - dt.timedelta(days=1),
        registration_closes_at=START - dt.timedelta(days=2),
    )

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert excinfo.value.message_dict["registration_closes_at"] == [
        "Registration must close after it opens."
    ]


def test_database_refuses_registration_that_closes_before_it_opens():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(
            start=START,
            end=START + dt.timedelta(hours=8),
            registration_opens_at=START - dt.timedelta(days=1),
            registration_closes_at=START - dt.timedelta(days=2),
        )


def test_registration_that_closes_after_the_event_ended_fails_validation():
    event = EventFactory.build(
        start=START,
        end=START + dt.timedelta(hours=8),
        registration_closes_at=START + dt.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert excinfo.value.message_dict["registration_closes_at"] == [
        "Registration cannot close after the event has ended."
    ]


def test_registration_closes_at_the_start_when_no_closing_time_is_set():
    event = EventFactory.build(start=START, registration_closes_at=None)

    assert event.registration_closes == START


def test_in_person_event_without_a_venue_fails_validation():
    event = EventFactory.build(format=EventFormat.IN_PERSON, venue_name="")

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert error_fields(excinfo) == {"venue_name"}


def test_online_event_needs_no_venue():
    EventFactory.build(format=EventFormat.ONLINE, venue_name="", venue_address="").full_clean()


def test_event_dates_cannot_shrink_so_that_a_session_falls_outside():
    event = EventFactory(start=START, end=START + dt.timedelta(hours=8))
    SessionFactory(
        event=event,
        start=START + dt.timedelta(hours=6),
        end=START + dt.timedelta(hours=7),
    )
    event.end = START + dt.timedelta(hours=4)

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    assert excinfo.value.message_dict["start"] == [
        "1 session(s) would fall outside the event's new dates; move them first."
    ]


def test_event_dates_may_shrink_while_every_session_still_fits():
    event = EventFactory(start=START, end=START + dt.timedelta(hours=8))
    SessionFactory(
        event=event,
        start=START + dt.timedelta(hours=1),
        end=START + dt.timedelta(hours=2),
    )
    event.end = START + dt.timedelta(hours=3)

    event.full_clean()


# --- Reminder offsets and durations ------------------------------------------------------------


def test_event_reminder_offsets_default_to_a_week_a_day_and_an_hour():
    event = EventFactory()

    assert Event.objects.get(pk=event.pk).reminder_offsets == [10080, 1440, 60]


def reminder_offset_errors(offsets) -> list[str]:
    """The messages ``full_clean`` gives an event with these reminder offsets."""
    event = EventFactory.build(reminder_offsets=offsets)

    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()

    return excinfo.value.message_dict["reminder_offsets"]


@pytest.mark.parametrize(
    "offsets",
    [[60, 0], [-30], ["60"], [True], [1.5], "60", {"minutes": 60}],
    ids=["zero", "negative", "string-item", "boolean", "float", "string", "dict"],
)
def test_event_reminder_offsets_must_be_positive_whole_minutes(offsets):
    assert reminder_offset_errors(offsets) == [
        "Reminder offsets must be a list of positive numbers of minutes before the start."
    ]


@pytest.mark.parametrize("offsets", [[366 * 24 * 60 + 1], [10**30]], ids=["a-year-and-a-minute",
                                                                         "past-any-date"])
def test_event_reminder_offsets_stop_a_year_before_the_start(offsets):
    assert reminder_offset_errors(offsets) == [
        "A reminder goes out at most 366 days (527040 minutes) before the start."
    ]


def test_event_reminder_offsets_are_ten_at_most():
    assert reminder_offset_errors(list(range(1, 12))) == ["An event sends at most 10 reminders."]


@pytest.mark.parametrize("offsets", [[30], [10080, 1440, 60], [366 * 24 * 60],
                                     list(range(1, 11))])
def test_event_reminder_offsets_accept_lists_of_positive_minutes(offsets):
    EventFactory.build(reminder_offsets=offsets).full_clean()


def test_parse_duration_list_reads_days_and_hours_as_minutes():
    assert parse_duration_list("7d, 1d, 1h") == [10080, 1440, 60]


def test_parse_duration_list_sorts_longest_first_and_drops_repeats():
    assert parse_duration_list("30m,1w, 2H ,7d,, ") == [10080, 120, 30]


def test_format_duration_list_writes_minutes_in_the_largest_exact_unit():
    assert format_duration_list([10080, 1440, 60]) == "7d, 1d, 1h"


def test_format_duration_list_falls_back_to_minutes():
    assert format_duration_list([2880, 90, 45]) == "2d, 90m, 45m"


@pytest.mark.parametrize("text", ["7d, 1d, 1h", "2d, 3h, 15m", "1d", ""])
def test_duration_list_round_trips_through_minutes(text):
    assert format_duration_list(parse_duration_list(text)) == text


def test_parse_duration_list_names_the_part_it_cannot_read():
    with pytest.raises(ValidationError) as excinfo:
        parse_duration_list("7d, 1 day, 1h")

    assert excinfo.value.messages == [
        '"1 day" is not a duration. Write a number and a unit: w, d, h or m, as in "7d, 1d, 1h".'
    ]
    assert excinfo.value.code == "invalid_duration"


# --- Time zones --------------------------------------------------------------------------------


def test_event_times_are_stored_in_utc_and_shown_in_the_event_zone():
    event = EventFactory(
        timezone="Asia/Shanghai",
        start=dt.datetime(2021, 3, 2, 0, 30, tzinfo=SHANGHAI),
        end=dt.datetime(2021, 3, 2, 18, 0, tzinfo=SHANGHAI),
    )

    stored = Event.objects.get(pk=event.pk)

    assert stored.start == dt.datetime(2021, 3, 1, 16, 30, tzinfo=UTC)
    assert stored.start.utcoffset() == dt.timedelta(0)
    assert stored.local_start.utcoffset() == dt.timedelta(hours=8)
    assert stored.local_start.replace(tzinfo=None) == dt.datetime(2021, 3, 2, 0, 30)
    assert stored.local_end.replace(tzinfo=None) == dt.datetime(2021, 3, 2, 18, 0)


def test_session_local_start_uses_its_event_zone():
    event = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2021, 7, 1, 12, 0, tzinfo=UTC),
        end=dt.datetime(2021, 7, 1, 22, 0, tzinfo=UTC),
    )
    session = SessionFactory(
        event=event,
        start=dt.datetime(2021, 7, 1, 13, 0, tzinfo=UTC),
        end=dt.datetime(2021, 7, 1, 14, 0, tzinfo=UTC),
    )

    stored = Session.objects.select_related("event").get(pk=session.pk)

    assert stored.local_start.replace(tzinfo=None) == dt.datetime(2021, 7, 1, 9, 0)
    assert stored.local_start.utcoffset() == dt.timedelta(hours=-4)
    assert str(stored) == f"{session.title} (01 Jul 2021 09:00)"


# --- Session -----------------------------------------------------------------------------------


@pytest.fixture
def event() -> Event:
    return EventFactory(start=START, end=START + dt.timedelta(hours=8))


def test_session_that_ends_before_it_starts_fails_validation(event):
    session = SessionFactory.build(
        event=event, start=START + dt.timedelta(hours=2), end=START + dt.timedelta(hours=1)
    )

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert excinfo.value.message_dict["end"] == ["The session must end after it starts."]


def test_database_refuses_a_session_that_ends_before_it_starts(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(
            event=event, start=START + dt.timedelta(hours=2), end=START + dt.timedelta(hours=1)
        )


def test_session_must_take_place_within_its_event(event):
    session = SessionFactory.build(
        event=event, start=START + dt.timedelta(hours=7), end=START + dt.timedelta(hours=9)
    )

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert excinfo.value.message_dict["start"] == [
        "The session must take place within its event "
        "(2021-03-01 09:00 \u2013 2021-03-01 17:00 Europe/Brussels)."
    ]


def test_session_may_not_start_before_its_event(event):
    session = SessionFactory.build(
        event=event, start=START - dt.timedelta(minutes=30), end=START + dt.timedelta(hours=1)
    )

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert error_fields(excinfo) == {"start"}


def test_session_filling_its_whole_event_passes_validation(event):
    SessionFactory.build(event=event, start=event.start, end=event.end).full_clean()


def test_session_with_negative_capacity_fails_validation(event):
    session = SessionFactory.build(event=event, capacity=-1)

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert error_fields(excinfo) == {"capacity"}


def test_database_refuses_a_negative_session_capacity(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(event=event, capacity=-1)


def test_session_in_a_room_of_another_event_fails_validation(event):
    session = SessionFactory.build(event=event, room=RoomFactory())

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert excinfo.value.message_dict == {"room": ["The room belongs to another event."]}


def test_session_in_a_track_of_another_event_fails_validation(event):
    session = SessionFactory.build(event=event, track=TrackFactory())

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert excinfo.value.message_dict == {"track": ["The track belongs to another event."]}


def test_session_in_a_room_and_track_of_its_own_event_passes_validation(event):
    session = SessionFactory.build(
        event=event, room=RoomFactory(event=event), track=TrackFactory(event=event)
    )

    session.full_clean()


# --- Track -------------------------------------------------------------------------------------


def test_track_slug_must_be_unique_within_its_event(event):
    TrackFactory(event=event, slug="due-diligence")
    duplicate = TrackFactory.build(event=event, slug="due-diligence")

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.messages == ["Track with this Event and Slug already exists."]


def test_database_refuses_a_duplicate_track_slug_within_an_event(event):
    TrackFactory(event=event, slug="due-diligence")

    with pytest.raises(IntegrityError), transaction.atomic():
        TrackFactory(event=event, slug="due-diligence")


def test_track_slug_may_repeat_across_events(event):
    TrackFactory(event=event, slug="due-diligence")
    other = TrackFactory.build(event=EventFactory(), slug="due-diligence")

    other.full_clean()
    other.save()

    assert other.pk is not None


# --- Speaker -----------------------------------------------------------------------------------


def test_speaker_without_name_role_or_organization_fails_validation():
    speaker = Speaker(name="", role="", organization="", bio="Anonymous.")

    with pytest.raises(ValidationError) as excinfo:
        speaker.full_clean()

    assert excinfo.value.messages[0] == "Give the speaker a name, a role or an organization."


def test_database_refuses_a_speaker_without_any_description():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(name="", role="", organization="")


@pytest.mark.parametrize(
    ("fields", "display_name"),
    [
        ({"name": "Ana Ruiz", "role": "", "organization": ""}, "Ana Ruiz"),
        ({"name": "", "role": "Buyer", "organization": ""}, "Buyer"),
        ({"name": "", "role": "Buyer", "organization": "Retailer"}, "Buyer, Retailer"),
        ({"name": "Ana Ruiz", "role": "Buyer", "organization": "Retailer"},
         "Ana Ruiz (Buyer, Retailer)"),
    ],
)
def test_speaker_is_described_by_any_of_name_role_and_organization(fields, display_name):
    speaker = Speaker(**fields)

    speaker.full_clean()

    assert speaker.display_name == display_name
