"""The organizer side of the agenda API: writes to events, sessions, rooms, tracks, speakers.

Reads stay public (``views.py``); the event and session viewsets take the write actions
below as mixins. Each write goes through ``agenda.services`` (the admin's and the organizer
area's rules and messages) and is allowed by ``agenda.permissions`` only.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from agenda import permissions, services
from agenda.models import Event, Room, Session, Speaker, Track
from agenda.permissions import Permission
from agenda.selectors import visible_events

from .access import AuditedMixin, OrganizerMixin, OrganizerRateThrottle, deny, event_for
from .organizer_serializers import (
    EventInputSerializer,
    OrganizerEventSerializer,
    OrganizerSessionSerializer,
    RescheduleInputSerializer,
    RoomInputSerializer,
    SessionInputSerializer,
    SpeakerInputSerializer,
    TrackInputSerializer,
)
from .schema_errors import ORGANIZER_READ, ORGANIZER_WRITE, error_responses
from .serializers import SpeakerSerializer

READ_ACTIONS = ("list", "retrieve")
#: The ids in URLs: anything else is a 404 from the router, never a lookup that fails (500).
INTEGER_ID = r"[0-9]+"


def _organizer_event(event: Event) -> dict:
    fresh = Event.objects.prefetch_related("tags", "tracks", "sessions__speakers",
                                           "sessions__room", "sessions__track").get(pk=event.pk)
    return OrganizerEventSerializer(fresh).data


class WritableMixin(AuditedMixin):
    """Public reads, organizer writes on one viewset."""

    def get_permissions(self):
        if self.action in READ_ACTIONS:
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        if self.action in READ_ACTIONS:
            return super().get_throttles()
        return [OrganizerRateThrottle()]


class EventWriteMixin(WritableMixin):
    def _event(self) -> Event:
        return event_for(self.request.user, self.kwargs["slug"], Permission.CHANGE_EVENT)

    @extend_schema(
        summary="Create an event (a draft; its creator becomes its organizer)",
        request=EventInputSerializer,
        responses={201: OrganizerEventSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    def create(self, request: Request) -> Response:
        if not (permissions.is_site_staff(request.user)
                or permissions.events_with_permission(request.user,
                                                      Permission.CHANGE_EVENT).exists()):
            # Creating events is for organizers: someone organizing at least one event.
            deny(request.user)
        form = EventInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        event = form.save()
        return Response(_organizer_event(event), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an event",
        request=EventInputSerializer,
        responses={200: OrganizerEventSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    def update(self, request: Request, slug: str, partial: bool = False) -> Response:
        event = self._event()
        form = EventInputSerializer(event, data=request.data, partial=partial,
                                    context={"request": request})
        form.is_valid(raise_exception=True)
        return Response(_organizer_event(form.save()))

    @extend_schema(
        summary="Change some fields of an event",
        request=EventInputSerializer,
        responses={200: OrganizerEventSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        return self.update(request, slug, partial=True)

    @extend_schema(
        summary="Delete an event (refused once anyone registered: cancel it instead)",
        responses={204: None, **error_responses(401, 403, 404, 409, 429)},
    )
    def destroy(self, request: Request, slug: str) -> Response:
        services.delete_event(event=self._event())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Publish an event: listed, in the feeds, open for registration",
        request=None,
        responses={200: OrganizerEventSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, slug: str) -> Response:
        return Response(_organizer_event(services.publish_event(event=self._event())))

    @extend_schema(
        summary="Cancel an event (attendees are told; it stays listed, marked cancelled)",
        request=None,
        responses={200: OrganizerEventSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, slug: str) -> Response:
        return Response(_organizer_event(services.cancel_event(event=self._event())))

    @extend_schema(
        summary="Move an event; its sessions move with its start",
        request=RescheduleInputSerializer,
        responses={200: OrganizerEventSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, slug: str) -> Response:
        event = self._event()
        form = RescheduleInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        event = services.reschedule_event(event=event, **form.validated_data)
        return Response(_organizer_event(event))


class SessionWriteMixin(WritableMixin):
    lookup_value_regex = INTEGER_ID

    def _session(self) -> Session:
        session = Session.objects.select_related("event").filter(pk=self.kwargs["pk"]).first()
        if session is None:
            raise Http404
        event_for(self.request.user, session.event.slug, Permission.CHANGE_EVENT)
        return session

    def _body(self, session: Session, code: int = status.HTTP_200_OK) -> Response:
        fresh = Session.objects.select_related("event", "room", "track").prefetch_related(
            "speakers").get(pk=session.pk)
        return Response(OrganizerSessionSerializer(fresh).data, status=code)

    @extend_schema(
        summary="Add a session to an event",
        request=SessionInputSerializer,
        responses={201: OrganizerSessionSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    def create(self, request: Request) -> Response:
        form = SessionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        event = form.validated_data["event"]
        event_for(request.user, event.slug, Permission.CHANGE_EVENT)
        return self._body(form.save(), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a session",
        request=SessionInputSerializer,
        responses={200: OrganizerSessionSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        session = self._session()
        form = SessionInputSerializer(session, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        return self._body(form.save())

    @extend_schema(
        summary="Change some fields of a session",
        request=SessionInputSerializer,
        responses={200: OrganizerSessionSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(summary="Delete a session",
                   responses={204: None, **error_responses(401, 403, 404, 429)})
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_session(session=self._session())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Cancel a session (its attendees are told)",
        request=None,
        responses={200: OrganizerSessionSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._body(services.cancel_session(session=self._session()))

    @extend_schema(
        summary="Move a session (its attendees are told)",
        request=RescheduleInputSerializer,
        responses={200: OrganizerSessionSerializer, **error_responses(*ORGANIZER_WRITE)},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        session = self._session()
        form = RescheduleInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._body(services.reschedule_session(session=session, **form.validated_data))


def _event_part_schema(serializer: type, noun: str) -> dict:
    """Each action's answers: a class-wide ``responses`` would replace their 200s and 201s."""
    # 404: no event the account may see (reads), or may change (writes); 409: deleting a room
    # sessions are in.
    return {
        "list": extend_schema(summary=f"The event's {noun}s",
                              responses={200: serializer(many=True),
                                         **error_responses(401, 404)}),
        "retrieve": extend_schema(summary=f"A {noun} of the event",
                                  responses={200: serializer, **error_responses(401, 404)}),
        "create": extend_schema(summary=f"Add a {noun} to the event",
                                responses={201: serializer, **error_responses(*ORGANIZER_WRITE)}),
        "update": extend_schema(summary=f"Change a {noun}",
                                responses={200: serializer, **error_responses(*ORGANIZER_WRITE)}),
        "partial_update": extend_schema(
            summary=f"Change some fields of a {noun}",
            responses={200: serializer, **error_responses(*ORGANIZER_WRITE)}),
        "destroy": extend_schema(summary=f"Delete a {noun}",
                                 responses={204: None, **error_responses(401, 403, 404, 409, 429)}),
    }


class _EventPartViewSet(WritableMixin, viewsets.ModelViewSet):
    """Rooms or tracks of one event: read by whoever sees the event, written by its
    organizers."""

    pagination_class = None
    lookup_value_regex = INTEGER_ID
    model: type = Room
    input_serializer: type = RoomInputSerializer

    def get_event(self) -> Event:
        slug = self.kwargs["slug"]
        if self.action in READ_ACTIONS:
            event = Event.objects.filter(slug=slug).first()
            if event is None:
                raise Http404
            if not visible_events(self.request.user).filter(pk=event.pk).exists():
                raise Http404
            return event
        return event_for(self.request.user, slug, Permission.CHANGE_EVENT)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return self.model.objects.none()
        return self.model.objects.filter(event=self.get_event()).order_by("name", "pk")

    def get_serializer_class(self):
        return self.input_serializer

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.action == "create":
            context["event"] = self.get_event()
        return context

    def perform_destroy(self, instance) -> None:
        self.delete_service(instance)


@extend_schema_view(**_event_part_schema(RoomInputSerializer, "room"))
class RoomViewSet(_EventPartViewSet):
    model = Room
    input_serializer = RoomInputSerializer

    def delete_service(self, room: Room) -> None:
        services.delete_room(room=room)


@extend_schema_view(**_event_part_schema(TrackInputSerializer, "track"))
class TrackViewSet(_EventPartViewSet):
    model = Track
    input_serializer = TrackInputSerializer

    def delete_service(self, track: Track) -> None:
        services.delete_track(track=track)


class SpeakerViewSet(OrganizerMixin, viewsets.ModelViewSet):
    """Speakers of the events one organizes. A speaker is shared between events: only
    someone who may change every event they speak at may change them."""

    pagination_class = None
    lookup_value_regex = INTEGER_ID

    def get_queryset(self) -> QuerySet[Speaker]:
        user = self.request.user
        if permissions.is_site_staff(user):
            return Speaker.objects.all()
        events = permissions.events_with_permission(user, Permission.CHANGE_EVENT)
        # A speaker in no session yet belongs to no event: any organizer may take them on.
        return Speaker.objects.filter(
            Q(sessions__event__in=events) | Q(sessions__isnull=True)
        ).distinct()

    def get_object(self) -> Speaker:
        speaker = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if self.action not in READ_ACTIONS:
            events = list(Event.objects.filter(sessions__speakers=speaker).distinct())
            if not permissions.may_change_shared(self.request.user, events):
                deny(self.request.user)
        return speaker

    def get_serializer_class(self):
        return SpeakerSerializer if self.action in READ_ACTIONS else SpeakerInputSerializer

    @extend_schema(responses={201: SpeakerSerializer, **error_responses(*ORGANIZER_WRITE)})
    def create(self, request: Request) -> Response:
        if not (permissions.is_site_staff(request.user)
                or permissions.events_with_permission(request.user,
                                                      Permission.CHANGE_EVENT).exists()):
            deny(request.user)
        form = SpeakerInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return Response(SpeakerSerializer(form.save()).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: SpeakerSerializer, **error_responses(*ORGANIZER_WRITE)})
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        speaker = self.get_object()
        form = SpeakerInputSerializer(speaker, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        return Response(SpeakerSerializer(form.save()).data)

    @extend_schema(responses={200: SpeakerSerializer, **error_responses(*ORGANIZER_WRITE)})
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(responses={204: OpenApiResponse(description="Deleted"),
                              **error_responses(401, 403, 404, 429)})
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_speaker(speaker=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Speakers of the events you organize (and those in no session)",
                   responses={200: SpeakerSerializer(many=True), **error_responses(401, 429)})
    def list(self, request: Request) -> Response:
        return Response(SpeakerSerializer(self.get_queryset(), many=True).data)

    @extend_schema(responses={200: SpeakerSerializer, **error_responses(*ORGANIZER_READ)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(SpeakerSerializer(self.get_object()).data)

