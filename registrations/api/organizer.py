"""An event's registrations for its organizers and check-in helpers: list, act, export.

Allowed by ``agenda.permissions`` only (``agenda.api.access``); the actions call the same
services as the admin and the organizer area. Exports are streamed (``registrations.exports``).
"""

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agenda.api.access import OrganizerMixin, event_for
from agenda.api.fields import LocalDateTimeField
from agenda.api.filters import StrictFilterBackend
from agenda.api.pagination import StrictPageSizeMixin
from agenda.api.schema_errors import ORGANIZER_READ, ORGANIZER_WRITE, error_responses
from agenda.models import MAX_ID, Event
from agenda.permissions import Permission
from registrations import exports, selectors, services
from registrations.enums import CancelledBy, RegistrationStatus
from registrations.filters import RegistrationFilter
from registrations.models import Registration, SessionChoice


class ChoiceSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="session.id")
    title = serializers.CharField(source="session.title")

    class Meta:
        model = SessionChoice
        fields = ["id", "title", "status"]


class OrganizerRegistrationSerializer(serializers.ModelSerializer):
    """A registration as its event's organizers see it: never its private links."""

    id = serializers.UUIDField(source="public_id")
    sessions = ChoiceSerializer(source="active_choices", many=True)
    created_at = LocalDateTimeField(event_attr="event")
    confirmed_at = LocalDateTimeField(event_attr="event", allow_null=True)
    cancelled_at = LocalDateTimeField(event_attr="event", allow_null=True)
    checked_in_at = LocalDateTimeField(event_attr="event", allow_null=True)

    class Meta:
        model = Registration
        fields = ["id", "name", "email", "organization", "status", "sessions", "language",
                  "timezone", "created_at", "confirmed_at", "cancelled_at", "cancelled_by",
                  "checked_in_at"]


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="",
        help_text="Shown to the attendee in their cancellation email.",
    )


class RegistrationCursorPagination(StrictPageSizeMixin, CursorPagination):
    ordering = "pk"  # arrival order: the waitlist's order
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


#: ``RegistrationFilter`` as the schema gives it, for the list and the exports alike.
FILTER_PARAMETERS = [
    OpenApiParameter("status", str, many=True, enum=RegistrationStatus.values),
    OpenApiParameter("session", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                     description="Holding, or waiting for, a seat in this session (its id)."),
    OpenApiParameter("checked_in", bool, description="`true` or `false`."),
    OpenApiParameter("search", str, description="Words of the name, email or organization."),
]


class RegistrationFilterBackend(StrictFilterBackend):
    always_allowed = frozenset({"cursor", "page_size"})


def registration_body(registration: Registration) -> dict:
    fresh = selectors.registration_with_details().get(pk=registration.pk)
    return OrganizerRegistrationSerializer(fresh).data


class RegistrationListMixin:
    """The organizer side of ``EventRegistrationsView`` (its GET), and the exports."""

    filter_backends = [RegistrationFilterBackend]
    filterset_class = RegistrationFilter

    def filtered(self, request: Request, event: Event, queryset=None):
        if queryset is None:
            queryset = selectors.registrations_for_organizers(event)
        for backend in self.filter_backends:
            queryset = backend().filter_queryset(request, queryset, self)
        return queryset


class EventRegistrationListing(RegistrationListMixin):
    pagination_class = RegistrationCursorPagination

    def list_registrations(self, request: Request, slug: str) -> Response:
        event = event_for(request.user, slug, Permission.VIEW_ATTENDEES)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(self.filtered(request, event), request, view=self)
        return paginator.get_paginated_response(
            OrganizerRegistrationSerializer(page, many=True).data
        )


class _RegistrationAction(OrganizerMixin, generics.GenericAPIView):
    permission: Permission = Permission.CHANGE_REGISTRATIONS
    serializer_class = OrganizerRegistrationSerializer

    def registration(self, slug: str, public_id) -> Registration:
        event = event_for(self.request.user, slug, self.permission)
        registration = Registration.objects.filter(event=event, public_id=public_id).first()
        if registration is None:
            raise Http404
        return registration


class RegistrationDetailView(_RegistrationAction):
    permission = Permission.VIEW_ATTENDEES

    @extend_schema(summary="A registration, for the event's organizers",
                   responses={200: OrganizerRegistrationSerializer,
                              **error_responses(*ORGANIZER_READ)})
    def get(self, request: Request, slug: str, public_id) -> Response:
        return Response(registration_body(self.registration(slug, public_id)))


ACTION_ERRORS = error_responses(*ORGANIZER_WRITE)


class ApproveRegistrationView(_RegistrationAction):
    @extend_schema(summary="Approve a pending registration (a seat if free, else the "
                   "waitlist)", request=None,
                   responses={200: OrganizerRegistrationSerializer, **ACTION_ERRORS})
    def post(self, request: Request, slug: str, public_id) -> Response:
        registration = services.approve_registration(
            registration=self.registration(slug, public_id)
        )
        return Response(registration_body(registration))


class CancelRegistrationByOrganizerView(_RegistrationAction):
    @extend_schema(summary="Cancel a registration; the reason goes into the attendee's email",
                   request=CancelInputSerializer,
                   responses={200: OrganizerRegistrationSerializer, **ACTION_ERRORS})
    def post(self, request: Request, slug: str, public_id) -> Response:
        registration = self.registration(slug, public_id)
        form = CancelInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        registration = services.cancel_registration(
            registration=registration, cancelled_by=CancelledBy.ORGANIZER,
            reason=form.validated_data["reason"],
        )
        return Response(registration_body(registration))


class PromoteRegistrationView(_RegistrationAction):
    @extend_schema(summary="Give a waitlisted person a seat out of turn (adds one)",
                   request=None,
                   responses={200: OrganizerRegistrationSerializer, **ACTION_ERRORS})
    def post(self, request: Request, slug: str, public_id) -> Response:
        registration = services.promote_registration(
            registration=self.registration(slug, public_id)
        )
        return Response(registration_body(registration))


class CheckInView(_RegistrationAction):
    permission = Permission.CHECK_IN

    @extend_schema(summary="Check a confirmed attendee in (again: nothing changes)",
                   request=None,
                   responses={200: OrganizerRegistrationSerializer, **ACTION_ERRORS})
    def post(self, request: Request, slug: str, public_id) -> Response:
        outcome = services.check_in(registration=self.registration(slug, public_id),
                                    by=request.user)
        return Response(registration_body(outcome.registration))

    @extend_schema(summary="Undo a mistaken check-in",
                   responses={200: OrganizerRegistrationSerializer,
                              **error_responses(*ORGANIZER_READ)})
    def delete(self, request: Request, slug: str, public_id) -> Response:
        registration = services.undo_check_in(registration=self.registration(slug, public_id))
        return Response(registration_body(registration))


class _ExportView(OrganizerMixin, RegistrationListMixin, APIView):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def stream(self, registrations, event):
        return exports.stream_csv(registrations, event)

    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        event = event_for(request.user, slug, Permission.EXPORT_ATTENDEES)
        # exports.export_rows reads what its columns need, a chunk at a time.
        registrations = self.filtered(request, event, Registration.objects.filter(event=event))
        response = StreamingHttpResponse(self.stream(registrations, event),
                                         content_type=self.content_type)
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="attendees-{event.slug}-{stamp}.{self.extension}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ExportCsvView(_ExportView):
    @extend_schema(
        summary="Export the event's registrations as CSV (streamed; same filters as the list)",
        parameters=FILTER_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(description="One row per registration; "
                   "times in the event's zone; cells safe for spreadsheets."),
                   **error_responses(400, *ORGANIZER_READ)},
    )
    def get(self, request: Request, slug: str):
        return super().get(request, slug)


class ExportJsonView(_ExportView):
    content_type = "application/json"
    extension = "json"

    def stream(self, registrations, event):
        return exports.stream_json(registrations, event)

    @extend_schema(
        summary="Export the event's registrations as JSON (streamed; same filters as the list)",
        parameters=FILTER_PARAMETERS,
        responses={(200, "application/json"): OpenApiResponse(
            description="An array with one object per registration, keys as the CSV's "
            "columns."), **error_responses(400, *ORGANIZER_READ)},
    )
    def get(self, request: Request, slug: str):
        return super().get(request, slug)
