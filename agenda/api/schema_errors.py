"""The error responses of the API in the OpenAPI schema, declared in one place.

Every error body has the shape ``agenda.api.errors.exception_handler`` gives it; views list
the statuses they can answer with: ``responses={200: X, **error_responses(400, 401, 404)}``.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import serializers

#: A field's messages; for a list or a mapping (``sessions``, ``answers``, ``event_types``),
#: the messages of each wrong item, by its index or key, nested as deep as the input.
FIELD_ERRORS_SCHEMA = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"}},
    ],
}


@extend_schema_field({"$ref": "#/components/schemas/FieldErrors"})
class FieldErrorsField(serializers.JSONField):
    pass


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(help_text="A message a person can act on."),
        "code": serializers.CharField(help_text="A stable machine-readable code."),
        "errors": serializers.DictField(
            child=FieldErrorsField(),
            required=False,
            help_text="Field name -> messages; only for invalid input (400). The messages of "
            "a list's or a mapping's items are keyed by their index or key: "
            '``{"sessions": {"1": ["A valid integer is required."]}}``.',
        ),
    },
)

DESCRIPTIONS = {
    400: "Invalid input: ``errors`` names each field and what is wrong with it.",
    401: "No credentials, or an invalid or revoked token (send ``Authorization: Token …``).",
    403: "Authenticated, but the account's role for this event does not allow this.",
    404: "No such object, or none this account may see.",
    409: "The request conflicts with the current state (say, approving a confirmed "
         "registration, or deleting an event people registered for).",
    413: "The request body is too large.",
    415: "The request body is not JSON (send ``Content-Type: application/json``).",
    422: "The request is well-formed but cannot be processed.",
    429: "Too many requests: slow down and retry after the ``Retry-After`` header's seconds.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    return {
        status: OpenApiResponse(response=ErrorSerializer, description=DESCRIPTIONS[status])
        for status in statuses
    }


#: What every authenticated organizer endpoint may answer besides its own statuses.
ORGANIZER_READ = (401, 403, 404, 429)
ORGANIZER_WRITE = (400, 401, 403, 404, 409, 413, 415, 429)


def postprocess_schema(result: dict, generator, request, public) -> dict:
    """drf-spectacular's last step: what the views cannot say one by one.

    - ``FieldErrors``, the recursive shape of ``Error.errors`` (an inline field cannot name
      itself);
    - every string query parameter is non-empty and not only white space: the API refuses
      ``?q=`` and ``?q=%20`` with a 400 (``agenda.api.filters.check_single_values``) rather
      than guess what it meant.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["FieldErrors"] = (
        FIELD_ERRORS_SCHEMA
    )
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                if schema.get("type") == "string":
                    _non_blank(schema)
                elif schema.get("type") == "array" and schema.get("items", {}).get(
                        "type") == "string":
                    _non_blank(schema["items"])
    return result


def _non_blank(schema: dict) -> None:
    schema.setdefault("minLength", 1)
    if not ({"enum", "format", "pattern"} & schema.keys()):
        # A non-space character somewhere: the filters strip the value (str.strip, the same
        # Unicode white space as this pattern's \s) and refuse what is left empty.
        schema["pattern"] = r"\S"
