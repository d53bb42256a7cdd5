"""The attendee's own schedule: chosen sessions as a timetable on the manage page, and each
session's page under the management token, where it can be added or dropped."""

import datetime as dt

import pytest

from registrations.enums import SessionChoiceStatus
from registrations.models import SessionChoice
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2040, 3, 4, 8, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    return START + dt.timedelta(hours=hours)


@pytest.fixture
def event():
    return EventFactory(start=START, end=at(8), capacity=50)


def session_page(registration, session) -> str:
    return f"/manage/{registration.manage_token}/sessions/{session.pk}/"


def test_manage_page_shows_the_chosen_sessions_as_a_timetable(client, event):
    kept = SessionFactory(event=event, title="Kept talk", start=at(2), end=at(3))
    earlier = SessionFactory(event=event, title="Earlier talk", start=at(0), end=at(1))
    SessionFactory(event=event, title="Not chosen", start=at(4), end=at(5))
    registration = RegistrationFactory(event=event, session_ids=[kept.pk, earlier.pk])

    html = client.get(f"/manage/{registration.manage_token}/").content.decode()
    schedule = html[html.index('id="schedule-heading"'):html.index('id="sessions-heading"')]

    assert schedule.index("Earlier talk") < schedule.index("Kept talk")
    assert "Not chosen" not in schedule
    assert f'href="{session_page(registration, kept)}"' in schedule


def test_manage_form_carries_the_times_the_overlap_script_reads(client, event):
    session = SessionFactory(event=event, title="Panel", start=at(1), end=at(2))
    registration = RegistrationFactory(event=event)

    html = client.get(f"/manage/{registration.manage_token}/").content.decode()

    assert f'data-start="{at(1).isoformat()}" data-end="{at(2).isoformat()}"' in html
    assert 'data-title="Panel"' in html
    assert 'id="overlap-warning"' in html
    assert "/static/pages/schedule.js" in html
    assert f'href="{session_page(registration, session)}"' in html


def test_attendee_adds_a_session_from_its_page(client, event):
    session = SessionFactory(event=event, title="Workshop", capacity=5, start=at(1), end=at(2))
    registration = RegistrationFactory(event=event)

    page = client.get(session_page(registration, session))
    added = client.post(session_page(registration, session), {"action": "add"}, follow=True)

    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "Add to my registration" in page.content.decode()
    assert "The session is in your registration." in added.content.decode()
    choice = SessionChoice.objects.get(registration=registration, session=session)
    assert choice.status == SessionChoiceStatus.CONFIRMED


def test_attendee_drops_a_session_from_its_page(client, event):
    session = SessionFactory(event=event, capacity=5, start=at(1), end=at(2))
    registration = RegistrationFactory(event=event, session_ids=[session.pk])

    client.post(session_page(registration, session), {"action": "remove"})

    session.refresh_from_db()
    assert session.seats_taken == 0
    assert SessionChoice.objects.get(registration=registration).status == (
        SessionChoiceStatus.RELEASED
    )


def test_a_full_session_is_offered_as_its_waitlist(client, event):
    session = SessionFactory(event=event, title="Small lab", capacity=1, start=at(1), end=at(2))
    RegistrationFactory(event=event, session_ids=[session.pk])
    registration = RegistrationFactory(event=event)

    html = client.get(session_page(registration, session)).content.decode()
    refused = client.post(session_page(registration, session), {"action": "add"}, follow=True)
    joined = client.post(
        session_page(registration, session), {"action": "add", "join_waitlist": "on"}
    )

    assert "Join the session’s waitlist" in html
    assert "Small lab" in refused.content.decode() and "has just filled up" in (
        refused.content.decode()
    )
    assert joined.status_code == 302
    assert SessionChoice.objects.get(registration=registration).status == (
        SessionChoiceStatus.WAITLISTED
    )


def test_adding_an_overlapping_session_warns_after_saving(client, event):
    first = SessionFactory(event=event, title="First", start=at(1), end=at(2))
    second = SessionFactory(event=event, title="Second", start=at(1.5), end=at(3))
    registration = RegistrationFactory(event=event, session_ids=[first.pk])

    response = client.post(session_page(registration, second), {"action": "add"}, follow=True)

    assert "overlap in time" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"action": "steal"}])
def test_a_malformed_action_changes_nothing(client, event, data):
    session = SessionFactory(event=event, start=at(1), end=at(2))
    registration = RegistrationFactory(event=event)

    response = client.post(session_page(registration, session), data, follow=True)

    assert response.status_code == 200
    assert "Choose to add or to remove the session." in response.content.decode()
    assert not SessionChoice.objects.filter(registration=registration).exists()


def test_session_of_another_event_or_a_wrong_token_is_not_found(client, event):
    registration = RegistrationFactory(event=event)
    elsewhere = SessionFactory(event=EventFactory())
    mine = SessionFactory(event=event, start=at(1), end=at(2))

    assert client.get(session_page(registration, elsewhere)).status_code == 404
    wrong = f"/manage/{registration.public_id.hex}wrong/sessions/{mine.pk}/"
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, {"action": "add"}).status_code == 404


def test_session_page_under_a_token_runs_a_bounded_number_of_queries(
    client, event, django_assert_max_num_queries
):
    sessions = [SessionFactory(event=event, start=at(i / 4), end=at(i / 4 + 0.2))
                for i in range(10)]
    registration = RegistrationFactory(event=event, session_ids=[s.pk for s in sessions])

    # The registration, its choices, the session, its speakers.
    with django_assert_max_num_queries(4):
        response = client.get(session_page(registration, sessions[0]))

    assert response.status_code == 200
