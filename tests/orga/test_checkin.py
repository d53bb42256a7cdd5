"""The check-in page at /orga/events/<slug>/check-in/: every answer a scan can get, undo, live
counts, the no-JS forms, the printable list, and who may use them."""

import io
import json
import threading

import pypdf
import pytest
from django.db import connection
from django.test import Client

from agenda.enums import Role
from agenda.models import AuditEntry
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def url(event, tail: str = "") -> str:
    return f"/orga/events/{event.slug}/check-in/{tail}"


@pytest.fixture
def event():
    return EventFactory(title="Living Wage Summit", capacity=2)


@pytest.fixture
def helper(event):
    user = UserFactory(username="door", first_name="Dana", last_name="Door")
    grant(event, user, role=Role.CHECKIN)
    return user


@pytest.fixture
def door(client, helper):
    client.force_login(helper)
    return client


def scan(client, event, **body):
    return client.post(url(event, "scan/"), json.dumps(body), content_type="application/json")


def test_scanning_a_ticket_checks_in_and_names_the_person_and_sessions(door, event, helper):
    session = SessionFactory(event=event, title="Opening plenary")
    registration = RegistrationFactory(event=event, name="Amina Diallo", organization="Coop",
                                       session_ids=[session.pk])

    response = scan(door, event, code=registration.ticket_code)

    assert response.status_code == 200
    answer = response.json()
    assert (answer["result"], answer["tone"], answer["name"], answer["organization"]) == (
        "checked_in", "ok", "Amina Diallo", "Coop",
    )
    assert answer["message"] == "Checked in: Amina Diallo"
    assert [line.endswith("Opening plenary") for line in answer["sessions"]] == [True]
    assert answer["checked_in_by"] == "Dana Door"
    assert answer["counts"] == {"confirmed": 1, "checked_in": 1, "label": "1 of 1 checked in"}
    registration.refresh_from_db()
    assert registration.checked_in_by == helper
    assert AuditEntry.objects.get(action="checked_in").actor == helper


def test_scanning_the_same_ticket_again_says_when_and_by_whom(door, event, helper):
    registration = RegistrationFactory(event=event, name="Amina Diallo")
    first = scan(door, event, code=registration.ticket_code).json()

    again = scan(door, event, code=registration.ticket_code)

    answer = again.json()
    assert (again.status_code, answer["result"], answer["tone"]) == (
        200, "already_checked_in", "warn",
    )
    assert answer["checked_in_at"] == first["checked_in_at"]
    assert answer["message"] == (
        f"Already checked in at {first['checked_in_at']} by Dana Door: Amina Diallo"
    )
    assert answer["counts"]["checked_in"] == 1


@pytest.mark.parametrize(
    ("status", "result", "tone"),
    [("pending_approval", "pending_approval", "warn"), ("waitlisted", "waitlisted", "warn"),
     ("cancelled", "cancelled", "danger")],
)
def test_a_ticket_that_is_not_confirmed_is_refused_by_name(door, event, status, result, tone):
    registration = RegistrationFactory(event=event, name="Bram de Vries")
    Registration.objects.filter(pk=registration.pk).update(status=status)

    response = scan(door, event, code=registration.ticket_code)

    answer = response.json()
    assert (response.status_code, answer["result"], answer["tone"], answer["name"]) == (
        409, result, tone, "Bram de Vries",
    )
    assert answer["message"].startswith("Not checked in")
    assert answer["can_undo"] is False
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_another_events_ticket_says_so_and_names_nobody(door, event):
    other = RegistrationFactory(event=EventFactory(title="Other Forum"), name="Carla Secret")

    response = scan(door, event, code=other.ticket_code)

    answer = response.json()
    assert (response.status_code, answer["result"], answer["name"]) == (409, "other_event", "")
    assert answer["message"] == "This ticket is for another event: Other Forum."
    assert "Carla" not in response.content.decode()


@pytest.mark.parametrize("code", ["https://example.org/", "x" * 5000, "🎫"])
def test_an_unknown_code_says_so(door, event, code):
    response = scan(door, event, code=code)

    answer = response.json()
    assert (response.status_code, answer["result"], answer["tone"]) == (404, "unknown", "danger")
    assert answer["message"].startswith("Unknown code")


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"code": 12}', b"{}",
                                  b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000],
                         ids=["empty", "not-json", "array", "number", "no-code", "not-utf8",
                              "nested-too-deep"])
def test_a_scan_without_a_code_is_a_400_with_a_message(door, event, body):
    response = door.post(url(event, "scan/"), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["message"]


def test_checking_in_a_person_found_by_name(door, event):
    registration = RegistrationFactory(event=event, name="Amina Diallo")

    found = door.get(url(event), {"q": "amina"}).content.decode()
    response = scan(door, event, registration=str(registration.public_id))

    assert "Amina Diallo" in found and f'value="{registration.public_id}"' in found
    assert response.json()["result"] == "checked_in"


def test_a_registration_of_another_event_cannot_be_checked_in_by_its_id(door, event):
    other = RegistrationFactory(event=EventFactory())

    assert scan(door, event, registration=str(other.public_id)).status_code == 404
    assert scan(door, event, registration="not-a-uuid").status_code == 404
    assert Registration.objects.get(pk=other.pk).checked_in_at is None


def test_undo_takes_the_check_in_back(door, event):
    registration = RegistrationFactory(event=event, name="Amina Diallo")
    scan(door, event, code=registration.ticket_code)

    response = door.post(url(event, "undo/"),
                         json.dumps({"registration": str(registration.public_id)}),
                         content_type="application/json")

    answer = response.json()
    assert (answer["result"], answer["counts"]["checked_in"]) == ("undone", 0)
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
    assert scan(door, event, code=registration.ticket_code).json()["result"] == "checked_in"
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "checked_in", "check_in_undone", "checked_in",
    ]


def test_live_counts(door, event):
    first = RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    services.check_in(registration=first)

    response = door.get(url(event, "counts/"))

    assert response.json() == {"confirmed": 2, "checked_in": 1, "label": "1 of 2 checked in"}
    assert response["Cache-Control"] == "private, no-store"


# --- Without JavaScript -------------------------------------------------------------------------


def test_typed_code_form_checks_in_and_shows_the_answer(door, event):
    registration = RegistrationFactory(event=event, name="Amina Diallo")

    response = door.post(url(event), {"code": registration.ticket_code})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="checked_in"' in page
    assert "Checked in: Amina Diallo" in page
    assert "Undo this check-in" in page


def test_no_js_refusal_is_a_4xx_page_with_the_message(door, event):
    response = door.post(url(event), {"code": "nonsense"})

    assert response.status_code == 404
    assert 'data-result="unknown"' in response.content.decode()


def test_no_js_undo_form(door, event):
    registration = RegistrationFactory(event=event, name="Amina Diallo")
    services.check_in(registration=registration)

    response = door.post(url(event, "undo/"), {"registration": str(registration.public_id)})

    assert response.status_code == 200
    assert "Check-in undone: Amina Diallo" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_the_page_has_the_counts_the_tab_and_no_inline_script(door, event):
    RegistrationFactory(event=event)

    page = door.get(url(event)).content.decode()

    assert "0 of 1 checked in" in page
    assert f'href="{url(event)}" aria-current="page">Check-in</a>' in page
    assert "<script>" not in page and " style=" not in page
    assert "orga/vendor/jsQR" in page


# --- The printable list -------------------------------------------------------------------------


def test_printable_list_is_alphabetical_with_boxes_and_only_the_confirmed(door, helper):
    event = EventFactory(title="Living Wage Summit", capacity=3)
    grant(event, helper, role=Role.CHECKIN)
    for name in ("Zoë Martin", "amina Diallo", "Bram de Vries", "Waiting Person"):
        RegistrationFactory(event=event, name=name)
    services.check_in(registration=Registration.objects.get(name="Bram de Vries"))

    response = door.get(url(event, "list.pdf"))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(
        io.BytesIO(response.content)).pages)
    assert "Living Wage Summit" in text
    assert "3 confirmed, 1 already checked in" in text
    names = [name for name in ("amina Diallo", "Bram de Vries", "Zoë Martin") if name in text]
    assert names == ["amina Diallo", "Bram de Vries", "Zoë Martin"]
    assert [text.index(name) for name in names] == sorted(text.index(name) for name in names)
    assert "Waiting Person" not in text
    # A box for each of the three, the one already in ticked (two strokes).
    drawing = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].get_contents().get_data()
    assert drawing.count(b" re S") == 3
    assert drawing.count(b" l S") == 2


def test_printable_list_of_many_attendees_runs_over_pages(door, helper):
    event = EventFactory(capacity=None)
    grant(event, helper, role=Role.CHECKIN)
    for index in range(120):
        RegistrationFactory(event=event, name=f"Person {index:03d}")

    response = door.get(url(event, "list.pdf"))

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"Person {index:03d}" in text for index in range(120))


# --- Who may ------------------------------------------------------------------------------------


def test_a_helper_of_event_a_cannot_check_in_or_read_the_list_of_event_b(door, event):
    other_event = EventFactory()
    theirs = RegistrationFactory(event=other_event)

    assert door.get(url(other_event)).status_code == 404
    assert door.get(url(other_event), {"q": theirs.name}).status_code == 404
    assert scan(door, other_event, code=theirs.ticket_code).status_code == 404
    assert door.post(url(other_event, "undo/"),
                     {"registration": str(theirs.public_id)}).status_code == 404
    assert door.get(url(other_event, "counts/")).status_code == 404
    assert door.get(url(other_event, "list.pdf")).status_code == 404
    assert Registration.objects.get(pk=theirs.pk).checked_in_at is None


def test_organizers_may_check_in_too(client, event):
    organizer = UserFactory()
    grant(event, organizer, role=Role.ORGANIZER)
    registration = RegistrationFactory(event=event)
    client.force_login(organizer)

    assert scan(client, event, code=registration.ticket_code).json()["result"] == "checked_in"


def test_a_check_in_helper_sees_the_check_in_tab_but_not_the_dashboard(door, event):
    page = door.get(url(event)).content.decode()

    assert door.get(f"/orga/events/{event.slug}/").status_code == 403
    assert "Dashboard</a>" not in page


def test_signed_out_visitors_are_sent_to_sign_in(client, event):
    registration = RegistrationFactory(event=event)

    assert client.get(url(event)).status_code == 302
    assert scan(client, event, code=registration.ticket_code).status_code == 302
    assert client.get(url(event, "list.pdf")).status_code == 302
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_a_scan_without_the_csrf_token_is_refused(helper, event):
    registration = RegistrationFactory(event=event)
    client = Client(enforce_csrf_checks=True)
    client.force_login(helper)

    response = scan(client, event, code=registration.ticket_code)

    assert response.status_code == 403
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_a_scan_with_the_pages_csrf_token_is_accepted(helper, event):
    registration = RegistrationFactory(event=event)
    client = Client(enforce_csrf_checks=True)
    client.force_login(helper)
    page = client.get(url(event)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    response = client.post(url(event, "scan/"), json.dumps({"code": registration.ticket_code}),
                           content_type="application/json", headers={"X-CSRFToken": token})

    assert response.json()["result"] == "checked_in"


# --- Two helpers, one ticket, the same moment ---------------------------------------------------


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency: runs in the PostgreSQL pass "
    "(DATABASE_URL=postgres://...)",
)


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_helpers_scanning_the_same_ticket_at_once_get_one_check_in_between_them():
    event = EventFactory()
    registration = RegistrationFactory(event=event, name="Amina Diallo")
    helpers = [UserFactory(username=f"helper{index}") for index in range(2)]
    for helper in helpers:
        grant(event, helper, role=Role.CHECKIN)
    clients = []
    for helper in helpers:
        client = Client()
        client.force_login(helper)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)
    errors: list = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            answers[index] = scan(clients[index], event, code=registration.ticket_code).json()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(answer["result"] for answer in answers) == ["already_checked_in", "checked_in"]
    winner = next(answer for answer in answers if answer["result"] == "checked_in")
    loser = next(answer for answer in answers if answer["result"] == "already_checked_in")
    assert (loser["checked_in_at"], loser["checked_in_by"]) == (
        winner["checked_in_at"], winner["checked_in_by"],
    )
    assert AuditEntry.objects.filter(action="checked_in").count() == 1


# --- Queries stay bounded -----------------------------------------------------------------------


def queries_for(client, path, **params) -> int:
    from django.db import connection as default_connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(default_connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_search_and_printable_list_take_as_many_queries_for_many_people_as_for_few(door, helper):
    few, many = EventFactory(capacity=None), EventFactory(capacity=None)
    session = SessionFactory(event=many)
    for event, count in ((few, 2), (many, 12)):
        grant(event, helper, role=Role.CHECKIN)
        sessions = [session.pk] if event == many else []
        for index in range(count):
            registration = RegistrationFactory(event=event, name=f"Amina {index}",
                                               session_ids=sessions)
            if index % 2:
                services.check_in(registration=registration, by=helper)

    for tail, params in (("", {"q": "amina"}), ("list.pdf", {})):
        assert queries_for(door, url(many, tail), **params) == \
            queries_for(door, url(few, tail), **params)
