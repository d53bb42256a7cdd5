"""The agenda API: public reads (drafts visible to their organizers only), and the
organizers' writes (``organizer_views``) on the same resources."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from agenda import selectors

from . import listing
from .filters import EventFilter, SessionFilter, StrictFilterBackend
from .organizer_views import EventWriteMixin, SessionWriteMixin
from .schema_errors import error_responses
from .serializers import EventDetailSerializer, EventSerializer, SessionListSerializer

# 400: an unknown, repeated or empty query parameter, or a wrong value; 404: a page past the
# last.
LIST_ERRORS = error_responses(400, 404)


@extend_schema_view(
    list=extend_schema(summary="List events", description="Published and cancelled events, "
                       "ordered by start. Dates are ISO 8601; times carry the event's offset.",
                       responses={200: EventSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(summary="An event with its sessions, speakers, tracks and rooms",
                           responses={200: EventDetailSerializer, **error_responses(404)}),
)
class EventViewSet(EventWriteMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = [StrictFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.event_detail(self.request.user)
        return selectors.event_list(self.request.user)

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    def list(self, request, *args, **kwargs):
        # The rows path (``listing``); ``serialized_list`` is the plain path it must match.
        events = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(selectors.event_rows(events))
        return self.get_paginated_response(listing.event_items(rows))

    def serialized_list(self, request, *args, **kwargs):
        """The list through ``EventSerializer``: the reference of the rows path."""
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List sessions", description="Sessions of visible events, by "
                       "start; filter by event, track and day (in the event's time zone).",
                       responses={200: SessionListSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(summary="A session",
                           responses={200: SessionListSerializer, **error_responses(404)}),
)
class SessionViewSet(SessionWriteMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionListSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = SessionFilter

    def get_queryset(self):
        return selectors.session_list(self.request.user)

    def list(self, request, *args, **kwargs):
        # The rows path (``listing``); ``serialized_list`` is the plain path it must match.
        sessions = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(selectors.session_rows(sessions))
        return self.get_paginated_response(listing.session_items(rows))

    def serialized_list(self, request, *args, **kwargs):
        """The list through ``SessionListSerializer``: the reference of the rows path."""
        return super().list(request, *args, **kwargs)
