"""The organizer's index and each event's dashboard: counts, plot data, bounded queries."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from agenda.enums import Role
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from orga import selectors
from registrations import services as registration_services
from registrations.enums import RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def _registered_on(registration, moment):
    registration.__class__.objects.filter(pk=registration.pk).update(created_at=moment)


def test_the_dashboard_counts_each_status_and_check_ins():
    event = EventFactory(capacity=2, requires_approval=False)
    first, second, waiting = (RegistrationFactory(event=event) for _ in range(3))
    registration_services.check_in(registration=first)
    registration_services.cancel_registration(registration=second)  # waiting gets the seat
    RegistrationFactory(event=event)  # waitlisted

    counts = selectors.dashboard(event).counts

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert (counts.confirmed, counts.waitlisted, counts.pending, counts.cancelled,
            counts.checked_in) == (2, 1, 0, 1, 1)


def test_the_timeline_is_cumulative_per_day_in_the_events_zone():
    event = EventFactory(capacity=10, timezone="Asia/Tokyo")
    zone = event.tzinfo
    late_on_first = dt.datetime(2026, 10, 1, 23, 30, tzinfo=zone)
    for moment in (late_on_first, late_on_first + dt.timedelta(minutes=40),
                   dt.datetime(2026, 10, 3, 9, 0, tzinfo=zone)):
        _registered_on(RegistrationFactory(event=event), moment)

    timeline = selectors.registration_timeline(event)

    assert timeline == [(dt.date(2026, 10, 1), 1, 1), (dt.date(2026, 10, 2), 2, 2),
                        (dt.date(2026, 10, 3), 3, 3)]


def test_sessions_show_fill_and_waitlist():
    event = EventFactory(capacity=10)
    session = SessionFactory(event=event, capacity=1)
    RegistrationFactory(event=event, session_ids=[session.pk])
    late = RegistrationFactory(event=event)
    registration_services.change_sessions(registration=late, session_ids=[session.pk],
                                          join_waitlist=True)

    [fill] = selectors.session_fills(event)

    assert (fill.session.seats_taken, fill.waitlisted, fill.percent) == (1, 1, 100)


def test_delivery_state_is_counted_per_kind():
    event = EventFactory(capacity=10)
    registration = RegistrationFactory(event=event)
    now = timezone.now()
    Delivery.objects.create(registration=registration, kind=MessageKind.REMINDER,
                            scheduled_for=now, status=DeliveryStatus.SENT)
    Delivery.objects.create(registration=registration, kind=MessageKind.REMINDER,
                            scheduled_for=now + dt.timedelta(hours=1),
                            status=DeliveryStatus.FAILED)

    board = selectors.dashboard(event)

    reminder = next(line for line in board.deliveries if line.kind == MessageKind.REMINDER)
    assert (reminder.sent, reminder.failed, board.failing) == (1, 1, 1)


def test_personal_feed_fetches_are_counted_without_saying_whose(client):
    event = EventFactory(capacity=10)
    registration = RegistrationFactory(event=event)

    for _ in range(3):
        assert client.get(f"/feeds/me/{registration.feed_token}.ics").status_code == 200
    client.get("/feeds/me/not-a-token.ics")

    assert selectors.feed_fetches(event) == 3
    assert selectors.feed_fetches(EventFactory()) == 0


def test_the_dashboard_page_has_its_plot_data_and_a_table(client):
    event, organizer = EventFactory(capacity=50), UserFactory()
    grant(event, organizer)
    RegistrationFactory(event=event)
    client.force_login(organizer)

    response = client.get(f"/orga/events/{event.slug}/")

    page = response.content.decode()
    data = json.loads(page.split('id="registrations-data" type="application/json">')[1]
                      .split("</script>")[0])
    # From nothing the day before the first registration, to today.
    assert (data["registered"], data["capacity"]) == ([0, 1], 50)
    assert 'id="registrations-table"' in page
    assert response["Cache-Control"] == "private, no-store"


def test_a_check_in_helper_gets_403_on_the_dashboard_but_sees_the_event_listed(client):
    event, helper = EventFactory(title="Door forum"), UserFactory()
    grant(event, helper, role=Role.CHECKIN)
    client.force_login(helper)

    assert client.get(f"/orga/events/{event.slug}/").status_code == 403
    assert "Door forum" in client.get("/orga/").content.decode()


def test_index_and_dashboard_queries_do_not_grow_with_events_or_registrations(
    client, django_assert_max_num_queries,
):
    organizer = UserFactory()
    events = [EventFactory(capacity=100) for _ in range(5)]
    for event in events:
        grant(event, organizer)
        for _ in range(5):
            RegistrationFactory(event=event, session_ids=[SessionFactory(event=event).pk])
    client.force_login(organizer)

    with django_assert_max_num_queries(6):
        assert client.get("/orga/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/orga/events/{events[0].slug}/").status_code == 200
