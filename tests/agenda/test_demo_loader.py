"""The demo agenda loader: the 2021 archive, the upcoming events, idempotency and the command."""

import datetime as dt
import re
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agenda.demo import DemoLoadReport, load_demo_agenda
from agenda.demo.upcoming import first_working_day, webinar_slot
from agenda.enums import EventFormat, EventKind, EventStatus, SessionStatus
from agenda.models import Event, Room, Session, Speaker, Tag, Track
from tests.factories import SpeakerFactory, TagFactory

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, in a transaction rolled back at its end.

    Each test runs in a savepoint inside it, so what a test changes is undone after it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_demo_agenda()
        yield report
        transaction.set_rollback(True)


def archive_2021():
    return Event.objects.filter(start__year=2021)


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Event, Session, Speaker, Tag, Track, Room, Session.speakers.through)
    }


def clear_agenda() -> None:
    Event.objects.all().delete()
    Speaker.objects.all().delete()
    Tag.objects.all().delete()


# --- the 2021 archive --------------------------------------------------------------------------


def test_archive_holds_at_least_25_events_spread_over_2021(loaded_demo):
    events = archive_2021()

    assert events.count() >= 25
    assert {event.local_start.month for event in events} == set(range(1, 13))


def test_archive_holds_at_least_150_sessions_all_with_speakers(loaded_demo):
    sessions = Session.objects.filter(event__in=archive_2021())

    assert sessions.count() >= 150
    assert sessions.filter(speakers__isnull=True).count() == 0


def test_archive_covers_every_kind_and_format_in_at_least_three_time_zones(loaded_demo):
    events = archive_2021()

    assert set(events.values_list("kind", flat=True)) == set(EventKind.values)
    assert set(events.values_list("format", flat=True)) == set(EventFormat.values)
    zones = set(events.values_list("timezone", flat=True))
    assert {"Europe/Brussels", "Asia/Shanghai", "America/New_York"} <= zones
    assert len(zones) >= 3


def test_archive_has_exactly_one_cancelled_and_one_draft_event(loaded_demo):
    statuses = Counter(archive_2021().values_list("status", flat=True))

    assert statuses[EventStatus.CANCELLED] == 1
    assert statuses[EventStatus.DRAFT] == 1
    assert statuses[EventStatus.PUBLISHED] == archive_2021().count() - 2


def test_sessions_of_the_cancelled_event_are_cancelled(loaded_demo):
    cancelled = archive_2021().get(status=EventStatus.CANCELLED)

    assert cancelled.sessions.count() > 0
    assert set(cancelled.sessions.values_list("status", flat=True)) == {SessionStatus.CANCELLED}


def test_a_published_event_has_one_cancelled_session(loaded_demo):
    cancelled_sessions = Session.objects.filter(
        status=SessionStatus.CANCELLED, event__status=EventStatus.PUBLISHED
    )

    assert cancelled_sessions.count() == 1
    event = cancelled_sessions.get().event
    assert event.sessions.filter(status=SessionStatus.SCHEDULED).count() > 1


def test_a_multi_day_summit_has_sessions_on_every_day(loaded_demo):
    summit = archive_2021().get(kind=EventKind.SUMMIT)
    days = (summit.local_end.date() - summit.local_start.date()).days + 1

    assert days >= 2
    assert len({session.local_start.date() for session in summit.sessions.all()}) == days


# --- every event ---------------------------------------------------------------------------


def test_every_session_lies_within_its_event_and_ends_after_it_starts(loaded_demo):
    sessions = Session.objects.select_related("event")

    outside = [
        session.title
        for session in sessions
        if not session.event.start <= session.start < session.end <= session.event.end
    ]

    assert sessions.count() > 0
    assert outside == []


def test_sessions_start_at_working_hours_in_their_event_time_zone(loaded_demo):
    sessions = Session.objects.select_related("event")

    local_hours = {session.local_start.hour for session in sessions}

    assert min(local_hours) >= 8
    assert max(local_hours) <= 18


def test_every_event_and_session_passes_model_validation(loaded_demo):
    for event in Event.objects.all():
        event.full_clean()  # also checks that no session falls outside the event
    for session in Session.objects.select_related("event", "room", "track"):
        session.clean()


def test_speakers_have_names_biographies_roles_and_organizations(loaded_demo):
    speakers = Speaker.objects.all()

    assert speakers.count() > 0
    assert list(speakers.filter(name="")) == []
    assert list(speakers.filter(bio="")) == []
    assert list(speakers.filter(role="")) == []
    assert list(speakers.filter(organization="")) == []
    assert len(set(speakers.values_list("name", flat=True))) == speakers.count()


def test_speakers_come_from_a_small_pool_reused_across_events(loaded_demo):
    events_per_speaker = dict(
        Speaker.objects.annotate(events=Count("sessions__event", distinct=True)).values_list(
            "pk", "events"
        )
    )

    assert 30 <= len(events_per_speaker) <= 50
    reused = [pk for pk, events in events_per_speaker.items() if events >= 2]
    assert len(reused) >= 0.8 * len(events_per_speaker)


def test_online_events_have_a_join_link_and_no_venue_or_rooms(loaded_demo):
    online = Event.objects.filter(format=EventFormat.ONLINE)

    assert online.count() > 0
    for event in online:
        assert (event.venue_name, event.venue_address) == ("", "")
        assert event.online_url == f"https://meet.example.org/{event.slug}"
        assert event.rooms.count() == 0


def test_in_person_and_hybrid_events_have_a_venue_with_rooms(loaded_demo):
    on_site = Event.objects.exclude(format=EventFormat.ONLINE)

    assert on_site.count() > 0
    for event in on_site:
        assert event.venue_name
        assert event.venue_address
        assert event.rooms.count() > 0
        if event.format == EventFormat.HYBRID:
            assert event.online_url == f"https://meet.example.org/{event.slug}"
        else:
            assert event.online_url == ""


def test_events_have_texts_tracks_and_a_sensible_registration_window(loaded_demo):
    for event in Event.objects.all():
        assert event.summary and len(event.summary) <= 300
        assert event.description
        assert event.registration_opens_at < event.start
        assert event.registration_closes <= event.start
        assert event.start - event.registration_opens_at <= dt.timedelta(weeks=20)
    assert Session.objects.filter(abstract="").count() == 0
    assert Event.objects.filter(tracks__isnull=True).count() <= 1  # the general meeting


# --- upcoming events ---------------------------------------------------------------------------


def test_at_least_five_published_events_lie_ahead_with_registration_open(loaded_demo):
    now = timezone.now()
    upcoming = Event.objects.filter(start__gt=now)

    assert upcoming.count() >= 5
    for event in upcoming:
        assert event.status == EventStatus.PUBLISHED
        assert event.registration_opens_at <= now
        assert event.registration_closes_at is None or now < event.registration_closes_at
        assert event.sessions.filter(speakers__isnull=False).exists()
    assert max(upcoming.values_list("start", flat=True)) - now >= dt.timedelta(days=60)


def test_an_upcoming_workshop_has_at_most_15_seats_and_sessions_with_their_own_limit(
    loaded_demo,
):
    workshops = Event.objects.filter(
        start__gt=timezone.now(), kind=EventKind.WORKSHOP, capacity__lte=15
    )

    assert workshops.count() >= 1
    assert workshops.first().sessions.filter(capacity__isnull=False).exists()


def test_an_online_webinar_starts_within_the_next_day(loaded_demo):
    now = timezone.now()

    webinars = Event.objects.filter(
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        status=EventStatus.PUBLISHED,
        start__gte=now + dt.timedelta(hours=2),
        start__lte=now + dt.timedelta(hours=20),
    )

    assert webinars.count() == 1


def test_upcoming_events_are_dated_from_the_given_day(loaded_demo):
    Event.objects.filter(start__year__gt=2021).delete()
    today = dt.date(2030, 3, 14)

    report = load_demo_agenda(today=today)

    upcoming = Event.objects.filter(start__year__gt=2021)
    assert report.events_created == upcoming.count() >= 5
    local_days = [event.local_start.date() for event in upcoming]
    assert min(local_days) <= today + dt.timedelta(days=1)
    assert all(today <= day <= today + dt.timedelta(days=130) for day in local_days)


@pytest.mark.parametrize("day", [dt.date(2026, 3, 29), dt.date(2026, 6, 3), dt.date(2026, 10, 25)])
def test_webinar_slot_is_between_2_and_20_hours_ahead_at_any_time_of_day(day):
    # Every ten minutes of an ordinary day and of both DST change days in Brussels.
    moments = [
        dt.datetime.combine(day, dt.time(), tzinfo=BRUSSELS) + dt.timedelta(minutes=minutes)
        for minutes in range(0, 24 * 60, 10)
    ]

    for now in moments:
        slot = webinar_slot(now, BRUSSELS)
        assert dt.timedelta(hours=2) <= slot - now <= dt.timedelta(hours=20), now
        assert dt.time(8) <= slot.timetz().replace(tzinfo=None) <= dt.time(18), now


def test_first_working_day_skips_weekends_and_the_christmas_break():
    assert first_working_day(dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)  # Sat -> Mon
    assert first_working_day(dt.date(2026, 12, 3), days=2) == dt.date(2026, 12, 3)  # Thu-Fri
    assert first_working_day(dt.date(2026, 12, 4), days=2) == dt.date(2026, 12, 7)  # Fri -> Mon
    assert first_working_day(dt.date(2026, 12, 23), days=2) == dt.date(2027, 1, 4)


# --- reruns ------------------------------------------------------------------------------------


def test_first_run_reports_what_it_created(loaded_demo):
    assert loaded_demo == DemoLoadReport(
        events_created=Event.objects.count(),
        events_present=0,
        sessions_created=Session.objects.count(),
        speakers_created=Speaker.objects.count(),
        topics_created=Tag.objects.count(),
    )


def test_second_run_duplicates_nothing(loaded_demo):
    counts = row_counts()

    report = load_demo_agenda()

    assert row_counts() == counts
    assert report == DemoLoadReport(
        events_created=0,
        events_present=loaded_demo.events_created,
        sessions_created=0,
        speakers_created=0,
        topics_created=0,
    )


def test_event_edited_between_runs_keeps_its_edit(loaded_demo):
    event = Event.objects.get(slug="responsible-business-summit-2021")
    event.title = "Summit 2021 (edited)"
    event.save()
    event.sessions.order_by("start").first().delete()
    sessions_left = event.sessions.count()

    load_demo_agenda()

    event.refresh_from_db()
    assert event.title == "Summit 2021 (edited)"
    assert event.sessions.count() == sessions_left


def test_deleted_event_is_recreated_with_existing_speakers_and_topics(loaded_demo):
    event = Event.objects.get(slug="year-in-review-2021")
    session_count = event.sessions.count()
    event.delete()
    speakers, topics = Speaker.objects.count(), Tag.objects.count()

    report = load_demo_agenda()

    assert (report.events_created, report.sessions_created) == (1, session_count)
    assert (Speaker.objects.count(), Tag.objects.count()) == (speakers, topics)


def test_speakers_and_topics_already_present_are_reused():
    clear_agenda()
    speaker = SpeakerFactory(name="Hélène Vasseur", role="Executive director",
                             organization="the network's secretariat")
    topic = TagFactory(slug="csrd", name="CSRD reporting")
    renamed = TagFactory(slug="climate-and-scope-3", name="Scope 3 and climate")

    load_demo_agenda()

    assert list(Speaker.objects.filter(role=speaker.role, organization=speaker.organization)) == [
        speaker
    ]
    assert Tag.objects.filter(name__in=[topic.name, renamed.name]).count() == 2
    assert speaker.sessions.count() > 0
    assert renamed.events.count() > 0


# --- the command -------------------------------------------------------------------------------


def test_command_loads_the_demo_and_prints_a_summary():
    clear_agenda()
    out = StringIO()

    call_command("load_demo_agenda", stdout=out)

    assert out.getvalue().strip() == (
        f"Demo agenda: {Event.objects.count()} events created, 0 already present; "
        f"{Session.objects.count()} sessions, {Speaker.objects.count()} speakers and "
        f"{Tag.objects.count()} topics created."
    )
    assert archive_2021().count() >= 25


def test_command_rerun_reports_events_already_present(loaded_demo):
    out = StringIO()

    call_command("load_demo_agenda", "--today", "2030-03-14", stdout=out)

    assert re.fullmatch(
        rf"Demo agenda: 0 events created, {Event.objects.count()} already present; "
        r"0 sessions, 0 speakers and 0 topics created\.",
        out.getvalue().strip(),
    )
