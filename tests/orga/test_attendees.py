"""The organizer's attendee list: search, filters, pages, actions through the services, exports,
and nothing of another event reachable through it."""

import csv
import io
import tempfile

import openpyxl
import pytest
from django.urls import reverse

from agenda.enums import Role
from agenda.models import AuditEntry
from notifications.enums import MessageKind
from notifications.models import Delivery
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def event(organizer):
    event = EventFactory(capacity=2)
    grant(event, organizer)
    return event


@pytest.fixture
def signed_in(client, organizer):
    client.force_login(organizer)
    return client


def url(event, name="attendees", *args) -> str:
    return reverse(f"orga:{name}", args=[event.slug, *args])


def listed(response) -> list[str]:
    return [registration.name for registration in response.context["page"].object_list]


def csv_names(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["name"] for row in csv.DictReader(io.StringIO(text))]


# --- The list -----------------------------------------------------------------------------


def test_list_shows_the_events_registrations_newest_first_with_their_sessions(signed_in, event):
    session = SessionFactory(event=event, title="Plenary on due diligence")
    RegistrationFactory(event=event, name="Ana", session_ids=[session.pk])
    RegistrationFactory(event=event, name="Bo")
    RegistrationFactory(event=EventFactory(), name="Someone elsewhere")

    response = signed_in.get(url(event))

    assert response.status_code == 200
    assert listed(response) == ["Bo", "Ana"]
    assert "Plenary on due diligence" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_search_finds_by_name_email_or_organization(signed_in, event):
    RegistrationFactory(event=event, name="Ana Lopez", email="ana@coop.example",
                        organization="Textile Cooperative")
    RegistrationFactory(event=event, name="Bo", email="bo@example.org", organization="Bank")

    found = {query: listed(signed_in.get(url(event), {"q": query}))
             for query in ("lopez", "COOP.example", "textile", "bank", "nobody")}

    assert found == {"lopez": ["Ana Lopez"], "COOP.example": ["Ana Lopez"],
                     "textile": ["Ana Lopez"], "bank": ["Bo"], "nobody": []}


def test_filters_by_status_session_and_check_in(signed_in, event):
    session = SessionFactory(event=event)
    seated = RegistrationFactory(event=event, name="Seated", session_ids=[session.pk])
    RegistrationFactory(event=event, name="Other")
    RegistrationFactory(event=event, name="Waiting")
    services.check_in(registration=seated)

    assert listed(signed_in.get(url(event), {"status": "waitlisted"})) == ["Waiting"]
    assert listed(signed_in.get(url(event), {"session": session.pk})) == ["Seated"]
    assert listed(signed_in.get(url(event), {"checked_in": "yes"})) == ["Seated"]
    assert listed(signed_in.get(url(event), {"checked_in": "no"})) == ["Waiting", "Other"]


def test_list_is_paginated_and_keeps_its_filters_across_pages(signed_in, event):
    event.capacity = None
    event.save()
    for index in range(55):
        RegistrationFactory(event=event, name=f"Person {index:02}", organization="Coop")

    first = signed_in.get(url(event), {"q": "coop"})
    second = signed_in.get(url(event), {"q": "coop", "page": 2})

    assert (len(listed(first)), len(listed(second))) == (50, 5)
    assert "?q=coop&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_do_not_grow_with_attendees(signed_in, event,
                                                  django_assert_max_num_queries, count):
    event.capacity = None
    event.save()
    sessions = [SessionFactory(event=event) for _ in range(3)]
    for _ in range(count):
        RegistrationFactory(event=event, session_ids=[session.pk for session in sessions])

    with django_assert_max_num_queries(9):
        response = signed_in.get(url(event), {"q": "attendee", "checked_in": "no"})

    assert len(listed(response)) == count


def test_a_session_of_another_event_is_refused_as_a_filter(signed_in, event):
    RegistrationFactory(event=event, name="Mine")
    theirs = SessionFactory(event=EventFactory())

    response = signed_in.get(url(event), {"session": theirs.pk})

    assert "session" in response.context["filter"].form.errors
    assert theirs.title not in response.content.decode()


# --- Actions ------------------------------------------------------------------------------


def test_cancel_with_a_reason_releases_the_seat_promotes_the_waitlist_and_tells_the_attendee(
    signed_in, event, organizer
):
    first = RegistrationFactory(event=event, name="First")
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, name="Waiting")

    response = signed_in.post(url(event, "attendee-cancel", first.pk),
                              {"reason": "The venue lost a room.", "return_query": "q=first"})

    assert response.status_code == 302
    assert response["Location"] == url(event) + "?q=first"
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, first.cancelled_by) == (RegistrationStatus.CANCELLED, "organizer")
    assert waiting.status == RegistrationStatus.CONFIRMED
    notice = first.deliveries.get(kind=MessageKind.CANCELLED)
    assert notice.context == {"cancelled_by": "organizer", "reason": "The venue lost a room."}
    assert waiting.deliveries.filter(kind=MessageKind.PROMOTED).count() == 1
    entry = AuditEntry.objects.get(action="registration_cancelled")
    assert (entry.actor, entry.via) == (organizer, "orga")
    page = signed_in.get(response["Location"])
    assert "The registration of First is cancelled" in page.content.decode()


def test_approve_promote_and_check_in_go_through_the_services(signed_in, organizer):
    event = EventFactory(capacity=1, requires_approval=True)
    grant(event, organizer)
    pending = RegistrationFactory(event=event, name="Pending")
    second = RegistrationFactory(event=event, name="Second")

    signed_in.post(url(event, "attendee-approve", pending.pk))
    signed_in.post(url(event, "attendee-approve", second.pk))  # no seat left: waitlisted
    signed_in.post(url(event, "attendee-promote", second.pk))  # out of turn: capacity + 1
    signed_in.post(url(event, "attendee-check-in", pending.pk))

    pending.refresh_from_db()
    second.refresh_from_db()
    event.refresh_from_db()
    assert (pending.status, second.status, event.capacity) == (
        RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, 2,
    )
    assert pending.checked_in_at is not None
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "checked_in", "registration_approved", "registration_approved", "registration_promoted",
    ]
    assert pending.checked_in_by == organizer


def test_a_refused_action_says_why_and_changes_nothing(signed_in, event):
    confirmed = RegistrationFactory(event=event, name="Confirmed")

    response = signed_in.post(url(event, "attendee-promote", confirmed.pk), follow=True)

    assert "Only waitlisted registrations can be promoted." in response.content.decode()
    confirmed.refresh_from_db()
    assert confirmed.status == RegistrationStatus.CONFIRMED


def test_actions_need_a_post_with_a_csrf_token(organizer, event):
    from django.test import Client

    registration = RegistrationFactory(event=event)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(organizer)

    assert strict.get(url(event, "attendee-check-in", registration.pk)).status_code == 405
    assert strict.post(url(event, "attendee-check-in", registration.pk)).status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_too_long_reason_is_refused_with_a_message(signed_in, event):
    registration = RegistrationFactory(event=event)

    response = signed_in.post(url(event, "attendee-cancel", registration.pk),
                              {"reason": "x" * 1001}, follow=True)

    assert "The reason is too long" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


# --- Check-in helpers ---------------------------------------------------------------------


def test_check_in_helpers_see_the_list_and_check_in_but_change_and_export_nothing(client, event):
    helper = UserFactory()
    grant(event, helper, role=Role.CHECKIN)
    client.force_login(helper)
    registration = RegistrationFactory(event=event)

    page = client.get(url(event))
    denied = [
        client.post(url(event, "attendee-cancel", registration.pk)).status_code,
        client.post(url(event, "attendee-approve", registration.pk)).status_code,
        client.post(url(event, "attendee-promote", registration.pk)).status_code,
        client.get(url(event, "attendees-csv")).status_code,
        client.get(url(event, "attendees-xlsx")).status_code,
    ]
    checked = client.post(url(event, "attendee-check-in", registration.pk))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Check in" in content
    assert [text for text in ("Cancel this registration", "Export as CSV")
            if text in content] == []
    assert denied == [403] * 5
    assert checked.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.checked_in_at is not None) == (
        RegistrationStatus.CONFIRMED, True,
    )


# --- Exports ------------------------------------------------------------------------------


def test_exports_hold_the_filtered_list_of_the_event_only(signed_in, event):
    event.capacity = None
    event.save()
    RegistrationFactory(event=event, name="Ana", organization="Coop")
    RegistrationFactory(event=event, name="=evil()", organization="Coop")
    RegistrationFactory(event=event, name="Bo", organization="Bank")
    RegistrationFactory(event=EventFactory(), name="Elsewhere", organization="Coop")

    csv_response = signed_in.get(url(event, "attendees-csv"), {"q": "coop"})
    xlsx_response = signed_in.get(url(event, "attendees-xlsx"), {"q": "coop"})

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{event.slug}-attendees-' in csv_response["Content-Disposition"]
    assert csv_names(csv_response) == ["Ana", "'=evil()"]
    with tempfile.TemporaryFile() as spool:
        spool.write(b"".join(xlsx_response.streaming_content))
        spool.seek(0)
        sheet = openpyxl.load_workbook(spool, read_only=True).active
        names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Ana", "'=evil()"]
    assert xlsx_response["Cache-Control"] == "private, no-store"


# --- Another event's organizer ------------------------------------------------------------


def test_an_organizer_of_another_event_reaches_nothing_of_it(signed_in, event):
    other = EventFactory(capacity=1)
    grant(other, UserFactory())
    theirs = RegistrationFactory(event=other, name="Their attendee")
    waiting = RegistrationFactory(event=other, name="Their waitlisted")
    before = list(Registration.objects.filter(event=other).values_list("status", "checked_in_at"))
    deliveries = Delivery.objects.count()

    pages = [signed_in.get(url(other, name)).status_code
             for name in ("attendees", "attendees-csv", "attendees-xlsx")]
    # Their ids posted to their URLs, and to this organizer's own event's URLs.
    posted = [
        signed_in.post(url(target, action, registration.pk), {"reason": "x"}).status_code
        for target in (other, event)
        for action, registration in (("attendee-cancel", theirs), ("attendee-approve", theirs),
                                     ("attendee-promote", waiting),
                                     ("attendee-check-in", theirs))
    ]
    own_export = csv_names(signed_in.get(url(event, "attendees-csv")))

    assert pages == [404, 404, 404]
    assert posted == [404] * 8
    assert own_export == []
    assert list(Registration.objects.filter(event=other).values_list(
        "status", "checked_in_at")) == before
    assert Delivery.objects.count() == deliveries
    assert AuditEntry.objects.count() == 0


def test_checking_in_twice_says_they_already_were(signed_in, event):
    registration = RegistrationFactory(event=event, name="Ana")
    signed_in.post(url(event, "attendee-check-in", registration.pk))

    again = signed_in.post(url(event, "attendee-check-in", registration.pk), follow=True)

    assert "Ana was already checked in." in again.content.decode()
