"""The OpenAPI document describes the organizer endpoints as they answer."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_OPERATIONS = {
    ("/api/v1/events/", "get"), ("/api/v1/events/{slug}/", "get"),
    ("/api/v1/sessions/", "get"), ("/api/v1/sessions/{id}/", "get"),
    ("/api/v1/events/{slug}/rooms/", "get"), ("/api/v1/events/{slug}/rooms/{id}/", "get"),
    ("/api/v1/events/{slug}/tracks/", "get"), ("/api/v1/events/{slug}/tracks/{id}/", "get"),
    ("/api/v1/events/{slug}/registrations/", "post"),
    ("/api/v1/events/{slug}/questions/", "get"),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get(
            "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def organizer_operations(schema):
    for path, item in schema["paths"].items():
        if path.startswith("/api/v1/registrations/"):
            continue  # the attendee's own, by management token
        for method, operation in item.items():
            if (path, method) not in PUBLIC_OPERATIONS:
                yield path, method, operation


def test_every_organizer_operation_documents_401_and_its_403_404(schema):
    missing = [
        (path, method) for path, method, operation in organizer_operations(schema)
        if "401" not in operation["responses"]
        or ("{" in path and "404" not in operation["responses"])
        or ("{slug}" in path and "403" not in operation["responses"])
    ]

    assert list(organizer_operations(schema))
    assert missing == []


def test_writes_document_their_input_errors(schema):
    writes = [(path, method, operation) for path, method, operation
              in organizer_operations(schema) if method in ("post", "put", "patch")]

    assert all("400" in op["responses"] or op.get("requestBody") is None
               for _path, _method, op in writes)
    assert all({"409", "415", "429"} <= set(op["responses"]) for _path, method, op in writes
               if method in ("put", "patch"))


def test_nullable_fields_are_marked_nullable(schema):
    components = schema["components"]["schemas"]

    registration = components["OrganizerRegistration"]["properties"]
    assert registration["checked_in_at"].get("nullable") is True
    assert registration["confirmed_at"].get("nullable") is True
    assert components["Webhook"]["properties"]["event"].get("nullable") is True
    assert components["Delivery"]["properties"]["last_response_status"]["nullable"]
    assert components["Delivery"]["properties"]["delivered_at"]["nullable"]


def test_the_public_registration_keeps_its_errors(schema):
    responses = schema["paths"]["/api/v1/events/{slug}/registrations/"]["post"]["responses"]

    assert {"201", "400", "409", "429"} <= set(responses)
