"""Organizer inputs take the JSON type their schema states, and URLs only integer ids: a
number for a text, a string for a number or an id, is a 400 naming the field, never a guess;
an id that is not a number is a 404, never a 500."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import (
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)
from webhooks.services import create_webhook

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


def _json_write_operations() -> list[tuple[str, str]]:
    """Every operation of the API's schema that reads a JSON body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch")
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def test_json_nested_a_thousand_levels_deep_is_a_400_on_every_json_write_path(
    settings, client_a, organizer_a, event_a
):
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    speaker = SpeakerFactory()
    session = SessionFactory(event=event_a, speakers=[speaker])
    registration = RegistrationFactory(event=event_a)
    hook = create_webhook(owner=organizer_a, url="http://127.0.0.1:9/hooks", event=event_a)
    ids = {"rooms": RoomFactory(event=event_a).pk, "tracks": TrackFactory(event=event_a).pk,
           "sessions": session.pk, "speakers": speaker.pk, "webhooks": hook.pk}
    operations = _json_write_operations()
    assert len(operations) >= 20  # the schema was read, not an empty list

    for method, path in operations:
        collection = path.split("/{id}/")[0].rsplit("/", 1)[-1]
        url = (path.replace("{slug}", event_a.slug)
               .replace("{public_id}", str(registration.public_id))
               .replace("{token}", registration.manage_token)
               .replace("{id}", str(ids.get(collection, ""))))
        response = getattr(client_a, method)(url, "[" * 1000 + "]" * 1000,
                                             content_type="application/json")

        assert (response.status_code, response.json().get("code")) == (400, "parse_error"), (
            method, url)
