"""Output shapes of the public agenda API. Never include ``Event.online_url``: it is private."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda import calendar_links, links
from agenda.enums import EventFormat
from agenda.models import Event, Room, Session, Speaker, Tag, Track

from .fields import LocalDateTimeField


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["slug", "name", "color"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name"]


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "role", "organization", "display_name", "bio"]


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField(source="venue_name")
    address = serializers.CharField(source="venue_address")


class EventLinksSerializer(serializers.Serializer):
    self = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    ical = serializers.SerializerMethodField()

    def get_self(self, event: Event) -> str:
        return links.event_api_url(event.slug)

    def get_page(self, event: Event) -> str:
        return links.event_page_url(event.slug)

    def get_ical(self, event: Event) -> str:
        return links.event_feed_url(event.slug)


class EventDetailLinksSerializer(EventLinksSerializer):
    """The list's links plus "add to calendar": subscribe (webcal), Google Calendar, Outlook
    on the web, and the event as an .ics file."""

    webcal = serializers.SerializerMethodField()
    google_calendar = serializers.SerializerMethodField()
    outlook = serializers.SerializerMethodField()
    ics = serializers.SerializerMethodField()

    def _calendar_links(self, event: Event) -> calendar_links.CalendarLinks:
        # Built once for the four fields of the same event.
        cached = getattr(self, "_calendar_links_of", None)
        if cached is None or cached[0] is not event:
            cached = (event, calendar_links.event_links(event))
            self._calendar_links_of = cached
        return cached[1]

    def get_webcal(self, event: Event) -> str:
        return self._calendar_links(event).webcal

    def get_google_calendar(self, event: Event) -> str:
        return self._calendar_links(event).google_calendar

    def get_outlook(self, event: Event) -> str:
        return self._calendar_links(event).outlook

    def get_ics(self, event: Event) -> str:
        return self._calendar_links(event).ics


class SessionSerializer(serializers.ModelSerializer):
    start = LocalDateTimeField(event_attr="event")
    end = LocalDateTimeField(event_attr="event")
    room = RoomSerializer(read_only=True, allow_null=True)
    track = TrackSerializer(read_only=True, allow_null=True)
    speakers = SpeakerSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id", "uuid", "title", "abstract", "start", "end", "status",
            "room", "track", "speakers", "capacity",
        ]


class SessionListSerializer(SessionSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta(SessionSerializer.Meta):
        fields = ["id", "uuid", "event", *SessionSerializer.Meta.fields[2:]]


class EventSerializer(serializers.ModelSerializer):
    start = LocalDateTimeField()
    end = LocalDateTimeField()
    venue = serializers.SerializerMethodField()
    tags = TagSerializer(many=True, read_only=True)
    links = EventLinksSerializer(source="*", read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug", "title", "summary", "kind", "format", "timezone", "start", "end",
            "venue", "capacity", "status", "tags", "links",
        ]

    @extend_schema_field(VenueSerializer(allow_null=True))
    def get_venue(self, event: Event) -> dict | None:
        # An online event has no venue, even if one was left over from an earlier format.
        if event.format == EventFormat.ONLINE or not event.venue_name:
            return None
        return VenueSerializer(event).data


class EventDetailSerializer(EventSerializer):
    links = EventDetailLinksSerializer(source="*", read_only=True)
    registration_opens_at = LocalDateTimeField(allow_null=True)
    registration_closes_at = LocalDateTimeField(allow_null=True)
    tracks = TrackSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description", "registration_opens_at", "registration_closes_at",
            "requires_approval", "tracks", "sessions",
        ]
