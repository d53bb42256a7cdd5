"""Every page runs a constant number of queries, whether an event has two sessions or forty."""

import datetime as dt

import pytest

from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    SessionFactory,
    create_event_with_programme,
)

pytestmark = pytest.mark.django_db

# One bound per page, the same for a small and a large agenda.
AGENDA_QUERIES = 4  # with the tracks for the filter
PAST_AGENDA_QUERIES = 5
EVENT_QUERIES = 6  # with the registration questions
SPEAKERS_QUERIES = 5
SESSION_QUERIES = 2  # the session with its event, room and track; its speakers
MANAGE_QUERIES = 6  # with the waitlist position, the questions and the answers


def agenda_of(size: int) -> None:
    for index in range(size):
        create_event_with_programme(
            sessions=1, speakers_per_session=1, tags=2,
            start=(dt.datetime(2040, 1, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=7 * index)),
        )
        EventFactory(start=dt.datetime(2021, 1, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=index))


@pytest.mark.parametrize("size", [1, 25])
def test_agenda_queries_do_not_grow_with_events(client, django_assert_max_num_queries, size):
    agenda_of(size)

    with django_assert_max_num_queries(AGENDA_QUERIES):
        upcoming = client.get("/", {"q": "forum"})
    with django_assert_max_num_queries(PAST_AGENDA_QUERIES):
        past = client.get("/", {"when": "past"})

    assert upcoming.status_code == past.status_code == 200
    assert upcoming.content.decode().count('class="card event-card') == size


@pytest.mark.parametrize("sessions", [2, 40])
def test_event_and_speaker_pages_queries_do_not_grow_with_sessions(
    client, django_assert_max_num_queries, sessions
):
    event = create_event_with_programme(sessions=sessions, speakers_per_session=3, tags=4)

    with django_assert_max_num_queries(EVENT_QUERIES):
        page = client.get(f"/events/{event.slug}/")
    with django_assert_max_num_queries(SPEAKERS_QUERIES):
        speakers = client.get(f"/events/{event.slug}/speakers/")

    assert page.status_code == speakers.status_code == 200
    assert page.content.decode().count('<span class="choice-title">') == sessions
    assert page.content.decode().count('class="card session') == sessions


@pytest.mark.parametrize("speakers", [1, 12])
def test_session_page_queries_do_not_grow_with_speakers(
    client, django_assert_max_num_queries, speakers
):
    event = create_event_with_programme(sessions=1, speakers_per_session=speakers)
    session = event.sessions.get()

    with django_assert_max_num_queries(SESSION_QUERIES):
        response = client.get(f"/events/{event.slug}/sessions/{session.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("sessions", [2, 40])
def test_manage_page_queries_do_not_grow_with_sessions(
    client, django_assert_max_num_queries, sessions
):
    event = EventFactory(capacity=1)
    created = [
        SessionFactory(event=event, start=event.start + dt.timedelta(minutes=5 * index),
                       end=event.start + dt.timedelta(minutes=5 * index + 30))
        for index in range(sessions)
    ]
    questions = [QuestionFactory(event=event, position=index) for index in range(sessions)]
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, session_ids=[session.pk for session in created],
        answers={question.pk: "Vegetarian" for question in questions},
    )

    with django_assert_max_num_queries(MANAGE_QUERIES):
        response = client.get(f"/manage/{waiting.manage_token}/")

    assert response.status_code == 200
    assert "You are number 1 on the waitlist." in response.content.decode()
