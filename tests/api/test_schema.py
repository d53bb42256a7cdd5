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


def test_every_operation_documents_its_success(schema):
    # A class-wide extend_schema(responses=...) once replaced the rooms' and tracks' 200s.
    missing = [
        (path, method) for path, item in schema["paths"].items()
        for method, operation in item.items()
        if not any(code.startswith("2") for code in operation["responses"])
    ]

    assert missing == []


def test_public_reads_document_their_errors(schema):
    paths = schema["paths"]

    assert {"400", "404"} <= set(paths["/api/v1/events/"]["get"]["responses"])
    assert {"400", "404"} <= set(paths["/api/v1/sessions/"]["get"]["responses"])
    assert "404" in paths["/api/v1/events/{slug}/"]["get"]["responses"]
    assert "404" in paths["/api/v1/sessions/{id}/"]["get"]["responses"]
    assert "404" in paths["/api/v1/events/{slug}/questions/"]["get"]["responses"]


def test_management_token_endpoints_document_their_errors(schema):
    token_operations = [
        (path, method, operation) for path, item in schema["paths"].items()
        if path.startswith("/api/v1/registrations/{token}/")
        for method, operation in item.items()
    ]

    assert all("404" in operation["responses"] for _path, _method, operation in token_operations)
    patch = schema["paths"]["/api/v1/registrations/{token}/"]["patch"]["responses"]
    assert {"400", "409"} <= set(patch)


def test_nullable_fields_of_the_public_reads_are_marked_nullable(schema):
    components = schema["components"]["schemas"]

    detail = components["EventDetail"]["properties"]
    assert detail["registration_opens_at"].get("nullable") is True
    assert detail["registration_closes_at"].get("nullable") is True
    session = components["Session"]["properties"]
    assert session["room"].get("nullable") is True
    assert session["track"].get("nullable") is True
    assert components["ChosenSession"]["properties"]["room"].get("nullable") is True


def test_field_errors_of_list_items_are_documented_nested(schema):
    components = schema["components"]["schemas"]

    errors = components["Error"]["properties"]["errors"]
    assert errors["additionalProperties"] == {"$ref": "#/components/schemas/FieldErrors"}
    assert components["FieldErrors"]["oneOf"][1]["type"] == "object"


def test_ids_in_urls_are_documented_as_numbers(schema):
    parameters = schema["paths"]["/api/v1/sessions/{id}/"]["get"]["parameters"]

    assert [p["schema"].get("pattern") for p in parameters if p["name"] == "id"] == ["^[0-9]+$"]


def test_query_parameters_are_documented_as_refused_empty_or_out_of_range(schema):
    parameters = {p["name"]: p["schema"] for p in
                  schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    registrations = {p["name"]: p["schema"] for p in
                     schema["paths"]["/api/v1/events/{slug}/registrations/"]["get"]["parameters"]}

    assert parameters["q"]["minLength"] == 1
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 100)
    assert parameters["page"]["minimum"] == 1
    assert (registrations["page_size"]["minimum"], registrations["page_size"]["maximum"]) == (
        1, 500)
    # An id, as the registration's own ``sessions`` items: the API refuses the rest with a 400.
    assert registrations["session"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert registrations["checked_in"] == {"type": "boolean"}


def test_registration_documents_that_consent_must_be_true(schema):
    components = schema["components"]["schemas"]
    consent = components["RegistrationInputRequest"]["properties"]["consent"]
    # drf-spectacular moves every enum into a component of its own and refers to it.
    (reference,) = consent["allOf"]
    enum = components[reference["$ref"].rsplit("/", 1)[-1]]

    assert (enum["type"], enum["enum"]) == ("boolean", [True])


def test_free_text_query_parameters_are_documented_as_not_only_white_space(schema):
    # ?q=%C2%A0 (a no-break space) is refused like ?q=: the schema must not call it valid.
    parameters = {p["name"]: p["schema"] for p in
                  schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert parameters["q"]["pattern"] == r"\S"
    assert "pattern" not in parameters["starts_before"]  # a date-time says enough


def test_the_exports_document_the_filters_of_the_list_they_take(schema):
    def query_parameters(path):
        return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]
                if p["in"] == "query"}

    listed = query_parameters("/api/v1/events/{slug}/registrations/")

    for export in ("export.csv", "export.json"):
        exported = query_parameters(f"/api/v1/events/{{slug}}/registrations/{export}")
        assert exported == {name: listed[name]
                            for name in ("status", "session", "checked_in", "search")}


def test_the_registration_answer_documents_its_conflicts(schema):
    components = schema["components"]["schemas"]
    registration = components["Registration"]
    created = schema["paths"]["/api/v1/events/{slug}/registrations/"]["post"]["responses"]["201"]

    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/Registration")
    assert "conflicts" in registration["required"]
    items = registration["properties"]["conflicts"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert set(components[items]["properties"]) == {"sessions", "message"}
