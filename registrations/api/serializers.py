"""Input and output shapes of registrations. Personal data leaves only through these, to the
holder of the registration's management token."""

from rest_framework import serializers

from agenda.api.fields import (
    LocalDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictEmailField,
)
from agenda.models import Event
from agenda.validators import validate_timezone
from registrations import links, selectors
from registrations.models import Registration, SessionChoice
from registrations.services import Conflict

MAX_SESSIONS = 100
# Session ids are 64-bit: a larger number cannot be one, and the database cannot even compare it.
MAX_SESSION_ID = 2**63 - 1


class RegistrationInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200, trim_whitespace=True)
    email = StrictEmailField(max_length=254)
    organization = StrictCharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_SESSION_ID),
        required=False,
        default=list,
        max_length=MAX_SESSIONS,
        help_text="Ids of sessions of this event for the personal agenda.",
    )
    consent = StrictBooleanField(
        help_text="Must be true: the attendee accepts the privacy notice."
    )
    join_waitlist = StrictBooleanField(
        required=False,
        default=False,
        help_text="If a chosen session is full, join its waitlist instead of being refused.",
    )
    timezone = StrictCharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_timezone],
        help_text="The attendee's IANA time zone (e.g. America/New_York): emails then give "
        "times in it as well as in the event's.",
    )

    def validate_consent(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(
                "Please accept the privacy notice: we need your consent to store your "
                "registration."
            )
        return value


class SessionChoicesInputSerializer(serializers.Serializer):
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_SESSION_ID),
        max_length=MAX_SESSIONS,
        allow_empty=True,
    )
    join_waitlist = StrictBooleanField(required=False, default=False)


class ChosenSessionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="session.id")
    title = serializers.CharField(source="session.title")
    start = LocalDateTimeField(source="session.start", event_attr="session.event")
    end = LocalDateTimeField(source="session.end", event_attr="session.event")
    room = serializers.CharField(source="session.room.name", default=None)
    session_status = serializers.CharField(source="session.status")

    class Meta:
        model = SessionChoice
        fields = ["id", "title", "start", "end", "room", "status", "session_status"]


class ConflictSerializer(serializers.Serializer):
    sessions = serializers.SerializerMethodField()
    message = serializers.CharField()

    def get_sessions(self, conflict: Conflict) -> list[int]:
        return [conflict.first.pk, conflict.second.pk]


class RegisteredEventSerializer(serializers.ModelSerializer):
    start = LocalDateTimeField()
    end = LocalDateTimeField()

    class Meta:
        model = Event
        fields = ["slug", "title", "timezone", "start", "end", "status", "venue_name"]


class RegistrationSerializer(serializers.ModelSerializer):
    """The attendee's own view of their registration, with its private links."""

    id = serializers.UUIDField(source="public_id")
    event = RegisteredEventSerializer()
    sessions = ChosenSessionSerializer(source="active_choices", many=True)
    online_url = serializers.SerializerMethodField()
    manage_url = serializers.SerializerMethodField()
    feed_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id", "event", "name", "email", "organization", "timezone", "status", "sessions",
            "online_url", "consent_version", "consented_at", "created_at", "confirmed_at",
            "cancelled_at", "manage_url", "feed_url", "api_url",
        ]

    def get_online_url(self, registration: Registration) -> str | None:
        return selectors.join_url(registration) or None

    def get_manage_url(self, registration: Registration) -> str:
        return links.manage_url(registration)

    def get_feed_url(self, registration: Registration) -> str:
        return links.feed_url(registration)

    def get_api_url(self, registration: Registration) -> str:
        return links.manage_api_url(registration)

