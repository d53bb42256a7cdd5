"""Input and output shapes of the organizer side of the agenda API.

Kept apart from the public read serializers (``serializers.py``) so the public responses, and
the speed of reading them, stay as they are. Inputs only parse; the rules, and their
messages, are the models' ``clean()`` run by the services, as in the admin.
"""

from rest_framework import serializers

from agenda import services
from agenda.models import Event, Room, Session, Speaker, Tag, Track
from agenda.validators import MAX_REMINDER_MINUTES, MAX_REMINDERS

from .fields import (
    LocalDateTimeField,
    StrictIntegerField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
)
from .serializers import EventDetailSerializer, SessionListSerializer, SpeakerSerializer

EVENT_FIELDS = [
    "slug", "title", "summary", "description", "kind", "format", "timezone", "start", "end",
    "venue_name", "venue_address", "online_url", "capacity", "registration_opens_at",
    "registration_closes_at", "requires_approval", "reminder_offsets",
]


class EventInputSerializer(StrictModelSerializer):
    """An event as organizers write it; status changes go through publish and cancel."""

    tags = serializers.SlugRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), many=True, required=False,
        help_text="Slugs of existing topics; replaces the event's topics.",
    )
    reminder_offsets = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_REMINDER_MINUTES), required=False,
        max_length=MAX_REMINDERS,
        help_text="Minutes before the start at which registered attendees are reminded; "
        "an empty list sends no reminders.",
    )

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, "tags"]
        # Uniqueness is the model's to check (full_clean), with the admin's message.
        extra_kwargs = {"slug": {"validators": []}}

    def create(self, validated_data: dict) -> Event:
        tags = validated_data.pop("tags", None)
        return services.create_event(
            event=Event(**validated_data), organizer=self.context["request"].user, tags=tags
        )

    def update(self, event: Event, validated_data: dict) -> Event:
        tags = validated_data.pop("tags", None)
        for name, value in validated_data.items():
            setattr(event, name, value)
        return services.save_event(event=event, tags=tags)


class RescheduleInputSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class OrganizerEventSerializer(EventDetailSerializer):
    """The public detail, plus what only the event's organizers see."""

    class Meta(EventDetailSerializer.Meta):
        fields = [
            *EventDetailSerializer.Meta.fields,
            "venue_name", "venue_address", "online_url", "reminder_offsets", "seats_taken",
            "sequence",
        ]


class SessionInputSerializer(StrictModelSerializer):
    """A session as organizers write it; cancel and reschedule are actions of their own."""

    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(),
        help_text="The event's slug; set when the session is created, never moved.",
    )
    room = StrictPrimaryKeyRelatedField(
        queryset=Room.objects.all(), allow_null=True, required=False
    )
    track = StrictPrimaryKeyRelatedField(
        queryset=Track.objects.all(), allow_null=True, required=False
    )
    speakers = StrictPrimaryKeyRelatedField(
        queryset=Speaker.objects.all(), many=True, required=False
    )

    class Meta:
        model = Session
        fields = ["event", "title", "abstract", "start", "end", "room", "track", "speakers",
                  "capacity"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["event"].read_only = True

    def create(self, validated_data: dict) -> Session:
        speakers = validated_data.pop("speakers", None)
        return services.save_session(session=Session(**validated_data), speakers=speakers)

    def update(self, session: Session, validated_data: dict) -> Session:
        speakers = validated_data.pop("speakers", None)
        for name, value in validated_data.items():
            setattr(session, name, value)
        return services.save_session(session=session, speakers=speakers)


class OrganizerSessionSerializer(SessionListSerializer):
    start = LocalDateTimeField(event_attr="event")
    end = LocalDateTimeField(event_attr="event")

    class Meta(SessionListSerializer.Meta):
        fields = [*SessionListSerializer.Meta.fields, "seats_taken", "sequence"]


class RoomInputSerializer(StrictModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity"]

    def create(self, validated_data: dict) -> Room:
        return services.save_room(room=Room(event=self.context["event"], **validated_data))

    def update(self, room: Room, validated_data: dict) -> Room:
        for name, value in validated_data.items():
            setattr(room, name, value)
        return services.save_room(room=room)


class TrackInputSerializer(StrictModelSerializer):
    class Meta:
        model = Track
        fields = ["id", "name", "slug", "color"]

    def create(self, validated_data: dict) -> Track:
        return services.save_track(track=Track(event=self.context["event"], **validated_data))

    def update(self, track: Track, validated_data: dict) -> Track:
        for name, value in validated_data.items():
            setattr(track, name, value)
        return services.save_track(track=track)


class SpeakerInputSerializer(StrictModelSerializer):
    class Meta:
        model = Speaker
        fields = ["name", "role", "organization", "bio"]

    def create(self, validated_data: dict) -> Speaker:
        return services.save_speaker(speaker=Speaker(**validated_data))

    def update(self, speaker: Speaker, validated_data: dict) -> Speaker:
        for name, value in validated_data.items():
            setattr(speaker, name, value)
        return services.save_speaker(speaker=speaker)


__all__ = ["SpeakerSerializer"]
