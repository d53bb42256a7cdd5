"""Organizer inputs take the JSON type their schema states, and URLs only integer ids: a
number for a text, a string for a number or an id, is a 400 naming the field, never a guess;
an id that is not a number is a 404, never a 500."""

import pytest

from tests.factories import RoomFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/events/event-a/rooms/", {"name": 5}, "name"),
        ("/api/v1/events/event-a/rooms/", {"name": "Hall", "capacity": "50"}, "capacity"),
        ("/api/v1/events/event-a/rooms/", {"name": "Hall", "capacity": True}, "capacity"),
        ("/api/v1/events/event-a/tracks/", {"name": "Policy", "slug": "policy", "color": 0},
         "color"),
        ("/api/v1/speakers/", {"name": "Ada", "organization": 0}, "organization"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_a_400(client_a, event_a, url, body, field):
    response = client_a.post(url, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_room_id_as_a_string_is_a_400(client_a, event_a):
    session = SessionFactory(event=event_a)
    room = RoomFactory(event=event_a)

    response = client_a.patch(f"/api/v1/sessions/{session.pk}/", {"room": str(room.pk)},
                              format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["room"]


def test_reminder_offsets_null_is_a_400_naming_it(client_a, event_a):
    response = client_a.patch("/api/v1/events/event-a/", {"reminder_offsets": None},
                              format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reminder_offsets"]


@pytest.mark.parametrize("offsets", [[527041], [10**30], list(range(1, 12))],
                         ids=["a-year-and-a-minute", "past-any-date", "eleven"])
def test_reminder_offsets_past_a_year_or_too_many_are_a_400(client_a, event_a, offsets):
    response = client_a.patch("/api/v1/events/event-a/", {"reminder_offsets": offsets},
                              format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reminder_offsets"]
    event_a.refresh_from_db()
    assert event_a.reminder_offsets != offsets


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/sessions/{0}/"), ("patch", "/api/v1/sessions/{0}/"),
        ("delete", "/api/v1/sessions/{0}/"), ("post", "/api/v1/sessions/{0}/cancel/"),
        ("get", "/api/v1/speakers/{0}/"), ("patch", "/api/v1/speakers/{0}/"),
        ("delete", "/api/v1/speakers/{0}/"), ("get", "/api/v1/events/event-a/rooms/{0}/"),
    ],
)
@pytest.mark.parametrize("not_an_id", ["null,null", "abc", "1.5"])
def test_an_id_that_is_not_a_number_is_a_404_not_a_500(client_a, event_a, method, url,
                                                         not_an_id):
    SessionFactory(event=event_a, speakers=[SpeakerFactory()])

    response = getattr(client_a, method)(url.format(not_an_id), {}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_text_longer_than_its_maximum_is_a_400_even_when_it_starts_with_white_space(
        client_a, event_a):
    # The schema's maxLength (150) is about the string as sent, before trimming.
    body = {"name": "Ada", "organization": "\n" + "x" * 150}

    response = client_a.post("/api/v1/speakers/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["organization"]


def test_white_space_around_a_text_within_its_maximum_is_trimmed(client_a, event_a):
    response = client_a.post("/api/v1/speakers/", {"name": "Ada", "organization": " Acme "},
                             format="json")

    assert (response.status_code, response.json()["organization"]) == (201, "Acme")
