"""Registration endpoints: register for an event; manage a registration by its private token.

Endpoints under a token take no session authentication (the token is the credential), so
they need no CSRF token; a wrong token is a 404 that says nothing about whether it existed.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from agenda.api.access import OrganizerRateThrottle
from agenda.api.schema_errors import ORGANIZER_READ, error_responses
from registrations import idempotency, selectors, services
from registrations.errors import RegistrationError
from registrations.models import Registration

from . import quick
from .bodies import registration_body
from .organizer import (
    FILTER_PARAMETERS,
    EventRegistrationListing,
    OrganizerRegistrationSerializer,
)
from .serializers import (
    QuestionSerializer,
    RegistrationInputSerializer,
    RegistrationSerializer,
    SessionChoicesInputSerializer,
)
from .throttling import RegistrationRateThrottle


def _registration_body(registration: Registration, conflicts=()) -> dict:
    """The attendee's view of ``registration``, read afresh with its details."""
    return _body_of(selectors.registration_with_answers().get(pk=registration.pk), conflicts)


def _body_of(detailed: Registration, conflicts=()) -> dict:
    """The attendee's view of a registration that holds its details (``registration_with_
    answers``, or ``services.register``'s new one, which arrives with them in memory):
    ``RegistrationSerializer``'s output with the conflicts, built by hand (``bodies``)."""
    return registration_body(detailed, conflicts)


class PublicEndpoint(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class EventRegistrationsView(EventRegistrationListing, PublicEndpoint):
    """POST: anyone registers (no credentials, so no CSRF; throttled per address).
    GET: the event's organizers and check-in helpers list its registrations."""

    throttle_classes = [RegistrationRateThrottle]
    queryset = Registration.objects.none()  # for the schema: what the list holds

    def initialize_request(self, request, *args, **kwargs):
        # The authenticators depend on the method; the schema generator's mock request
        # arrives here without self.request being set.
        self._method = request.method
        return super().initialize_request(request, *args, **kwargs)

    def _lists(self) -> bool:
        return getattr(self, "_method", None) in ("GET", "HEAD", "OPTIONS")

    def get_authenticators(self):
        if self._lists():
            return [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        return super().get_authenticators()

    def get_permissions(self):
        return [IsAuthenticated()] if self._lists() else super().get_permissions()

    def get_throttles(self):
        return [OrganizerRateThrottle()] if self._lists() else super().get_throttles()

    def dispatch(self, request, *args, **kwargs):
        # A plain registration is answered without DRF's machinery (quick's docstring).
        if request.method == "POST":
            self.request = request
            response = quick.respond(self, request, kwargs["slug"], attempt=_register)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        summary="An event's registrations (organizers and check-in helpers)",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("cursor", str, description="The next or previous page's cursor."),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 500},
                             description="At most 500 (default 50)."),
        ],
        responses={200: OrganizerRegistrationSerializer(many=True),
                   **error_responses(400, *ORGANIZER_READ)},
    )
    def get(self, request: Request, slug: str) -> Response:
        return self.list_registrations(request, slug)

    @extend_schema(
        summary="Register for an event",
        request=RegistrationInputSerializer,
        responses={201: RegistrationSerializer, **error_responses(400, 404, 409, 413, 415, 429)},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER,
                description="Send the same key when retrying: the first response is returned "
                "and nobody is registered twice.",
            )
        ],
        description="201 with status confirmed, waitlisted or pending_approval and the private "
        "manage_url. 409 if the address is already registered (its owner is emailed the "
        "management link) or registration is not open; 400 with field errors for bad input; "
        "429 when the client sends too many requests.",
    )
    def post(self, request: Request, slug: str) -> Response:
        event, questions = quick.already_read(request, slug) or (
            selectors.event_open_for_registration(slug), None)
        if event is None:
            raise RegistrationError("event_not_found", status_code=404)
        language = get_language() or "en"
        if questions is None:
            questions = selectors.questions_of(event)
        form = RegistrationInputSerializer(
            data=request.data, context={"questions": questions, "language": language}
        )
        form.is_valid(raise_exception=True)

        def attempt() -> tuple[int, dict]:
            return _register(event, form.validated_data, questions, language)

        key = request.headers.get("Idempotency-Key", "").strip()
        if key:
            code, body = idempotency.run_once(
                scope=f"POST {request.path}",
                key=key,
                request_fingerprint=idempotency.fingerprint(request.data),
                action=attempt,
            )
        else:
            code, body = attempt()
        return Response(body, status=code)


def _register(event, data: dict, questions, language: str) -> tuple[int, dict]:
    """Register with the validated input ``data``: the status and body of the answer."""
    outcome = services.register_input(event=event, data=data, language=language,
                                      questions=questions)
    if not outcome.created:
        # Never the existing registration nor its link: its owner gets an email.
        error = RegistrationError("already_registered", status_code=409)
        return error.status_code, {"detail": error.message, "code": error.code}
    # The new registration arrives with its details: no need to read it back.
    return status.HTTP_201_CREATED, _body_of(outcome.registration, outcome.conflicts)


class EventQuestionsView(PublicEndpoint):
    @extend_schema(
        summary="The questions an event's registration asks",
        responses={200: QuestionSerializer(many=True), **error_responses(404)},
        description="Answer them in the registration's `answers`, by `id`. 404 for no public "
        "event.",
    )
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_open_for_registration(slug)
        if event is None:
            raise RegistrationError("event_not_found", status_code=404)
        return Response(QuestionSerializer(selectors.questions_of(event), many=True).data)


#: A wrong (or erased, or replaced) token is a 404; 409 once the registration is cancelled or
#: its event is over.
TOKEN_ERRORS = error_responses(404)
TOKEN_CHANGE_ERRORS = error_responses(404, 409)


class TokenEndpoint(PublicEndpoint):
    def registration(self, token: str) -> Registration:
        registration = selectors.registration_by_manage_token(token)
        if registration is None:
            raise Http404
        return registration


class RegistrationView(TokenEndpoint):
    @extend_schema(summary="A registration, by its management token",
                   responses={200: RegistrationSerializer, **TOKEN_ERRORS})
    def get(self, request: Request, token: str) -> Response:
        registration = self.registration(token)
        conflicts = services.find_conflicts([c.session for c in registration.active_choices])
        return Response(_registration_body(registration, conflicts))

    @extend_schema(
        summary="Change the sessions or answers of a registration",
        request=SessionChoicesInputSerializer,
        responses={200: RegistrationSerializer,
                   **error_responses(400, 404, 409, 413, 415)},
        description="`sessions` replaces the personal agenda; `answers` changes the answers "
        "it names (the others stay). 400 for bad input, 409 once the registration is "
        "cancelled or the event is over.",
    )
    def patch(self, request: Request, token: str) -> Response:
        registration = self.registration(token)
        form = SessionChoicesInputSerializer(
            data=request.data,
            context={
                "questions": selectors.questions_of(registration.event),
                "language": registration.language,
            },
        )
        form.is_valid(raise_exception=True)
        data = form.validated_data
        conflicts = services.update_registration(
            registration=registration,
            session_ids=data.get("sessions"),
            answers=data.get("answers"),
            join_waitlist=data["join_waitlist"],
        )
        return Response(_registration_body(registration, conflicts))

    @extend_schema(summary="Erase my personal data (anonymize the registration)",
                   responses={204: None, **TOKEN_ERRORS})
    def delete(self, request: Request, token: str) -> Response:
        services.erase_personal_data(registration=self.registration(token))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CancelRegistrationView(TokenEndpoint):
    @extend_schema(summary="Cancel a registration", request=None,
                   responses={200: RegistrationSerializer, **TOKEN_CHANGE_ERRORS})
    def post(self, request: Request, token: str) -> Response:
        registration = services.cancel_registration(registration=self.registration(token))
        return Response(_registration_body(registration))


class EraseRegistrationView(TokenEndpoint):
    @extend_schema(summary="Erase my personal data (anonymize the registration)",
                   request=None, responses={204: None, **TOKEN_ERRORS})
    def post(self, request: Request, token: str) -> Response:
        services.erase_personal_data(registration=self.registration(token))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegistrationDataView(TokenEndpoint):
    @extend_schema(summary="Download my data (JSON)",
                   responses={200: RegistrationSerializer, **TOKEN_ERRORS})
    def get(self, request: Request, token: str) -> Response:
        registration = self.registration(token)
        body = _registration_body(registration)
        body["exported_at"] = timezone.now().isoformat()
        response = Response(body)
        response["Content-Disposition"] = (
            f'attachment; filename="registration-{registration.event.slug}.json"'
        )
        return response


class RotateFeedTokenView(TokenEndpoint):
    @extend_schema(summary="Revoke the personal feed link and issue a new one", request=None,
                   responses={200: RegistrationSerializer, **TOKEN_ERRORS})
    def post(self, request: Request, token: str) -> Response:
        registration = services.rotate_feed_token(registration=self.registration(token))
        return Response(_registration_body(registration))
