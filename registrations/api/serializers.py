"""Input and output shapes of registrations. Personal data leaves only through these, to the
holder of the registration's management token."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.api.fields import (
    LocalDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictEmailField,
)
from agenda.models import MAX_ID, Event
from agenda.validators import validate_timezone
from registrations import links, selectors
from registrations.answers import clean_answers
from registrations.models import Answer, Question, Registration, SessionChoice
from registrations.services import Conflict

MAX_SESSIONS = 100


ANSWERS_HELP = (
    "Answers to the event's registration questions (listed in the event's `questions`), by "
    "question id: text for `short_text` (200 characters at most) and `long_text` (2,000), "
    "an option's `value` for `one_choice`, a list of option values for `several_choices`, "
    "true or false for `yes_no`. Every `required` question needs an answer; an unknown id "
    "or a wrong answer is a 400 naming the question."
)


class AnswersField(serializers.DictField):
    """``{"<question id>": answer}``, checked against the questions of the event in the
    serializer's context by ``registrations.answers.clean_answers``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(child=serializers.JSONField(), help_text=ANSWERS_HELP, **kwargs)


def _check_answers(serializer: serializers.Serializer, value: dict, *, partial: bool) -> dict:
    questions = serializer.context.get("questions", [])
    checked = clean_answers(
        questions=questions, raw=value, language=serializer.context.get("language", "en"),
        partial=partial,
    )
    if not checked.ok:
        raise serializers.ValidationError(
            {str(key) if key is not None else "non_field_errors": [message]
             for key, message in checked.errors.items()}
        )
    return value


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(StrictBooleanField):
    """``true``, and nothing else, is consent: the schema says so (``validate_consent``
    refuses the rest)."""


class RegistrationInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200, trim_whitespace=True)
    email = StrictEmailField(max_length=254)
    organization = StrictCharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=MAX_SESSIONS,
        help_text="Ids of sessions of this event for the personal agenda.",
    )
    consent = ConsentField(
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
    answers = AnswersField(required=False, default=dict)

    def validate_answers(self, value: dict) -> dict:
        return _check_answers(self, value, partial=False)

    def validate_consent(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(
                "Please accept the privacy notice: we need your consent to store your "
                "registration."
            )
        return value


class SessionChoicesInputSerializer(serializers.Serializer):
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_SESSIONS,
        allow_empty=True,
        required=False,
        help_text="The whole personal agenda: ids of sessions of the event. Left out: the "
        "sessions stay as they are.",
    )
    join_waitlist = StrictBooleanField(required=False, default=False)
    answers = AnswersField(required=False)

    def validate_answers(self, value: dict) -> dict:
        # Only the answers sent change: a required question answered before needs no repeat.
        return _check_answers(self, value, partial=True)

    def validate(self, data: dict) -> dict:
        if "sessions" not in data and "answers" not in data:
            raise serializers.ValidationError(
                {"sessions": ["Send “sessions”, “answers”, or both."]}
            )
        return data


class QuestionOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What an answer sends.")
    en = serializers.CharField()
    fr = serializers.CharField(allow_blank=True, default="")


class QuestionSerializer(serializers.ModelSerializer):
    options = QuestionOptionSerializer(many=True)

    class Meta:
        model = Question
        fields = ["id", "kind", "text_en", "text_fr", "help_en", "help_fr", "required",
                  "options"]


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id")
    text = serializers.CharField(source="question.text_en")
    value = serializers.JSONField()

    class Meta:
        model = Answer
        fields = ["question", "text", "value"]


class ChosenSessionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="session.id")
    title = serializers.CharField(source="session.title")
    start = LocalDateTimeField(source="session.start", event_attr="session.event")
    end = LocalDateTimeField(source="session.end", event_attr="session.event")
    room = serializers.CharField(source="session.room.name", default=None, allow_null=True)
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
    answers = AnswerSerializer(many=True, read_only=True)
    online_url = serializers.SerializerMethodField()
    manage_url = serializers.SerializerMethodField()
    feed_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    conflicts = serializers.SerializerMethodField(
        help_text="Chosen sessions whose times overlap, two by two: a warning, the registration "
        "stands. The answer to a registration or a change of sessions lists them; other "
        "answers, none."
    )

    class Meta:
        model = Registration
        fields = [
            "id", "event", "name", "email", "organization", "timezone", "status", "sessions",
            "answers", "online_url", "consent_version", "consented_at", "created_at",
            "confirmed_at", "cancelled_at", "manage_url", "feed_url", "api_url", "conflicts",
        ]

    def get_online_url(self, registration: Registration) -> str | None:
        return selectors.join_url(registration) or None

    def get_manage_url(self, registration: Registration) -> str:
        return links.manage_url(registration)

    def get_feed_url(self, registration: Registration) -> str:
        return links.feed_url(registration)

    def get_api_url(self, registration: Registration) -> str:
        return links.manage_api_url(registration)

    @extend_schema_field(ConflictSerializer(many=True))
    def get_conflicts(self, registration: Registration) -> list:
        """The ``conflicts`` of the context: those the request that is answered found."""
        return ConflictSerializer(self.context.get("conflicts", ()), many=True).data

