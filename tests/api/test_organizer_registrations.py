"""An event's registrations through the API: listed, acted on and exported by its organizers
(and listed and checked in by its helpers), by nobody else."""

import csv
import io
import json

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from registrations.enums import CancelledBy, RegistrationStatus
from registrations.models import Registration
from tests.api.conftest import client_for
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(event, suffix: str = "") -> str:
    return f"/api/v1/events/{event.slug}/registrations/{suffix}"


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_organizer_lists_registrations_with_filters_and_a_cursor(client_a, event_a):
    session = SessionFactory(event=event_a)
    people = [RegistrationFactory(event=event_a, name=f"Person {index}") for index in range(5)]
    RegistrationFactory(event=event_a, name="Sessioned Sam", session_ids=[session.pk])

    first = client_a.get(url(event_a), {"page_size": 4}).json()
    second = client_a.get(first["next"]).json()
    by_session = client_a.get(url(event_a), {"session": session.pk}).json()
    by_search = client_a.get(url(event_a), {"search": "sessioned SAM"}).json()

    assert [r["id"] for r in first["results"]] == [str(p.public_id) for p in people[:4]]
    assert len(second["results"]) == 2 and second["next"] is None
    assert [r["name"] for r in by_session["results"]] == ["Sessioned Sam"]
    assert [r["name"] for r in by_search["results"]] == ["Sessioned Sam"]
    assert "manage_url" not in first["results"][0]


def test_status_and_checked_in_filters(client_a, event_a):
    here = RegistrationFactory(event=event_a)
    RegistrationFactory(event=event_a)
    Registration.objects.filter(pk=here.pk).update(checked_in_at=timezone.now())

    checked = client_a.get(url(event_a), {"checked_in": "true"}).json()
    waiting = client_a.get(url(event_a), {"status": "waitlisted"}).json()

    assert [r["id"] for r in checked["results"]] == [str(here.public_id)]
    assert waiting["results"] == []


@pytest.mark.parametrize(
    # Each of these Django's own number filter read as a number: 1.5 even matched session 1.
    "session", ["1.5", "1.0", "1e0", " 1", "+1", "١", "0", "-1", str(2**63), "ten"],
)
def test_a_session_filter_that_is_not_an_id_is_a_400_naming_it(client_a, event_a, session):
    RegistrationFactory(event=event_a, session_ids=[SessionFactory(event=event_a).pk])

    listed = client_a.get(url(event_a), {"session": session})
    exported = client_a.get(url(event_a, "export.csv"), {"session": session})

    assert listed.status_code == exported.status_code == 400
    assert listed.json()["errors"] == {
        "session": [f"Give a whole number from 1 to {2**63 - 1}."]}


def test_the_largest_session_id_is_a_filter_that_finds_nobody(client_a, event_a):
    RegistrationFactory(event=event_a, session_ids=[SessionFactory(event=event_a).pk])

    response = client_a.get(url(event_a), {"session": str(2**63 - 1)})

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("checked_in", ["1", "0", "yes", "True", " true", "x"])
def test_a_checked_in_filter_other_than_true_or_false_is_a_400(client_a, event_a, checked_in):
    # Django's own boolean filter read each of these as "not given", and listed everybody.
    RegistrationFactory(event=event_a)

    listed = client_a.get(url(event_a), {"checked_in": checked_in})
    exported = client_a.get(url(event_a, "export.json"), {"checked_in": checked_in})

    assert listed.status_code == exported.status_code == 400
    assert listed.json()["errors"] == {"checked_in": ["Give true or false."]}


def test_checked_in_false_lists_those_not_yet_here(client_a, event_a):
    here, away = RegistrationFactory(event=event_a), RegistrationFactory(event=event_a)
    Registration.objects.filter(pk=here.pk).update(checked_in_at=timezone.now())

    response = client_a.get(url(event_a), {"checked_in": "false"})

    assert [r["id"] for r in response.json()["results"]] == [str(away.public_id)]


def test_an_unknown_filter_is_a_400(client_a, event_a):
    response = client_a.get(url(event_a), {"stauts": "confirmed"})

    assert response.status_code == 400
    assert "stauts" in response.json()["errors"]


def test_public_registration_still_works_on_the_same_url(event_a):
    response = APIClient().post(url(event_a), {
        "name": "Ada", "email": "ada@example.org", "consent": True}, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"


def test_listing_needs_credentials(event_a):
    response = APIClient().get(url(event_a))

    assert response.status_code == 401


def test_organizer_of_a_sees_nothing_of_event_b(client_a, event_b):
    registration = RegistrationFactory(event=event_b)
    paths = [url(event_b), url(event_b, f"{registration.public_id}/"),
             url(event_b, "export.csv"), url(event_b, "export.json")]

    statuses = [client_a.get(path).status_code for path in paths]
    actions = [client_a.post(url(event_b, f"{registration.public_id}/{action}/")).status_code
               for action in ("approve", "cancel", "promote", "check-in")]

    assert statuses == [403] * 4
    assert actions == [403] * 4
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED


def test_a_registration_of_b_is_not_found_through_event_a(client_a, event_a, event_b):
    registration = RegistrationFactory(event=event_b)

    response = client_a.post(url(event_a, f"{registration.public_id}/cancel/"))

    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED


def test_organizer_cancels_with_a_reason_the_attendee_reads(client_a, event_a):
    registration = RegistrationFactory(event=event_a)
    mail.outbox.clear()

    response = client_a.post(url(event_a, f"{registration.public_id}/cancel/"),
                             {"reason": "The venue halved its capacity."}, format="json")

    assert response.status_code == 200
    assert response.json()["cancelled_by"] == CancelledBy.ORGANIZER
    from notifications.models import Delivery
    from notifications.services import send_delivery

    delivery = Delivery.objects.get(registration=registration, kind="cancelled")
    assert delivery.context["reason"] == "The venue halved its capacity."
    send_delivery(delivery_id=delivery.pk)
    assert "The venue halved its capacity." in mail.outbox[-1].body


def test_approve_and_promote(client_a, event_a):
    event_a.requires_approval = True
    event_a.save()
    pending = RegistrationFactory(event=event_a)

    approved = client_a.post(url(event_a, f"{pending.public_id}/approve/"))
    again = client_a.post(url(event_a, f"{pending.public_id}/approve/"))

    assert approved.json()["status"] == "confirmed"
    assert again.status_code == 409
    assert again.json()["code"] == "not_pending"


def test_promote_gives_a_waitlisted_person_a_seat(client_a):
    from agenda.models import Event

    event = Event.objects.get(slug="event-a")
    Event.objects.filter(pk=event.pk).update(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    assert waiting.status == RegistrationStatus.WAITLISTED

    response = client_a.post(url(event, f"{waiting.public_id}/promote/"))

    assert response.json()["status"] == "confirmed"
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_check_in_helper_lists_and_checks_in_but_does_nothing_else(helper_client, event_a):
    registration = RegistrationFactory(event=event_a)

    listed = helper_client.get(url(event_a))
    checked = helper_client.post(url(event_a, f"{registration.public_id}/check-in/"))
    cancel = helper_client.post(url(event_a, f"{registration.public_id}/cancel/"))
    export = helper_client.get(url(event_a, "export.csv"))

    assert listed.status_code == 200
    assert checked.status_code == 200 and checked.json()["checked_in_at"] is not None
    assert [cancel.status_code, export.status_code] == [403, 403]


def test_csv_export_is_streamed_formula_safe_and_in_the_events_zone(client_a, event_a):
    RegistrationFactory(event=event_a, name='=HYPERLINK("http://evil")')
    RegistrationFactory(event=event_a, name="Plain", organization="+32 Co")

    response = client_a.get(url(event_a, "export.csv"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["'=HYPERLINK(\"http://evil\")", "Plain"]
    assert rows[1]["organization"] == "'+32 Co"
    # Wall-clock times in the event's zone, which the export names.
    registered = Registration.objects.filter(event=event_a).order_by("pk").first().created_at
    assert rows[0]["registered_at"] == f"{event_a.localize(registered):%Y-%m-%d %H:%M:%S}"
    assert rows[0]["timezone"] == event_a.timezone


def test_json_export_has_the_same_records_and_takes_the_filters(client_a, event_a):
    RegistrationFactory(event=event_a, name="Ada")
    RegistrationFactory(event=event_a, name="Bob")

    response = client_a.get(url(event_a, "export.json"), {"search": "ada"})

    body = json.loads(streamed(response))
    assert [record["name"] for record in body] == ["Ada"]
    assert body[0]["event"] == event_a.slug


def _bulk_registrations(event, count: int) -> None:
    now = timezone.now()
    Registration.objects.bulk_create([
        Registration(event=event, name=f"Attendee {index}", email=f"a{index}@example.org",
                     status=RegistrationStatus.CONFIRMED, consent_version="t",
                     consented_at=now)
        for index in range(count)
    ], batch_size=1000)


def test_export_of_10000_rows_reads_them_a_chunk_at_a_time(client_a, event_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registrations.exports import CHUNK_SIZE

    _bulk_registrations(event_a, 10_000)
    response = client_a.get(url(event_a, "export.csv"))

    with CaptureQueriesContext(connection) as queries:
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)

    assert lines == 10_001
    # The questions (for the header, then for the rows), one read of the registrations
    # (fetched in chunks) and one of the session choices of each chunk: never the whole
    # list at once.
    chunks = 10_000 // CHUNK_SIZE
    choice_reads = [q for q in queries.captured_queries if "sessionchoice" in q["sql"]]
    assert len(choice_reads) == chunks
    assert len(queries.captured_queries) <= chunks + 3


def test_other_events_in_an_export_never_appear(client_a, event_a, event_b):
    RegistrationFactory(event=event_b, name="Not yours")
    RegistrationFactory(event=event_a, name="Yours")

    body = json.loads(streamed(client_a.get(url(event_a, "export.json"))))

    assert [record["name"] for record in body] == ["Yours"]


def test_the_registrations_of_no_such_event_are_a_404_for_staff_too(client_a):
    # The schema run once saw a 200 for event "0": an earlier case of the run had created it.
    superuser = client_for(UserFactory(username="root", is_staff=True, is_superuser=True))

    statuses = [client.get("/api/v1/events/0/registrations/", query).status_code
                for client in (client_a, superuser) for query in ({}, {"session": "1.5"})]

    assert statuses == [404] * 4


def test_draft_events_registrations_are_404_for_others(client_b):
    draft = EventFactory(status="draft")

    assert client_b.get(url(draft)).status_code == 404
