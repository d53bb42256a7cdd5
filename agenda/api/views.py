"""The agenda API: public reads (drafts visible to their organizers only), and the
organizers' writes (``organizer_views``) on the same resources."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from agenda import selectors

from .filters import EventFilter, SessionFilter, StrictFilterBackend
from .organizer_views import EventWriteMixin, SessionWriteMixin
from .serializers import EventDetailSerializer, EventSerializer, SessionListSerializer


@extend_schema_view(
    list=extend_schema(summary="List events", description="Published and cancelled events, "
                       "ordered by start. Dates are ISO 8601; times carry the event's offset."),
    retrieve=extend_schema(summary="An event with its sessions, speakers, tracks and rooms"),
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


@extend_schema_view(
    list=extend_schema(summary="List sessions", description="Sessions of visible events, by "
                       "start; filter by event, track and day (in the event's time zone)."),
    retrieve=extend_schema(summary="A session"),
)
class SessionViewSet(SessionWriteMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionListSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = SessionFilter

    def get_queryset(self):
        return selectors.session_list(self.request.user)
