"""The error responses of the API in the OpenAPI schema, declared in one place.

Every error body has the shape ``agenda.api.errors.exception_handler`` gives it; views list
the statuses they can answer with: ``responses={200: X, **error_responses(400, 401, 404)}``.
"""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(help_text="A message a person can act on."),
        "code": serializers.CharField(help_text="A stable machine-readable code."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Field name -> messages; only for invalid input (400).",
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
