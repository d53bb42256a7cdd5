from rest_framework import serializers

from agenda.models import Event
from webhooks.enums import EventType
from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery


class WebhookInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), allow_null=True, required=False,
        help_text="The event's slug; null (or left out) for every event you organize.",
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), required=False,
        help_text="What to be told about; every type when left out.",
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class WebhookSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))

    class Meta:
        model = Webhook
        fields = ["id", "url", "event", "event_types", "description", "is_active",
                  "disabled_reason", "created_at", "updated_at"]


class WebhookWithSecretSerializer(WebhookSerializer):
    """Only in the answer that creates the hook or rotates its secret: never shown again."""

    secret = serializers.CharField(help_text="whsec_…: verify signatures with it. Shown once.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    response_status = serializers.IntegerField(allow_null=True)

    class Meta:
        model = WebhookAttempt
        fields = ["started_at", "duration_ms", "response_status", "error", "succeeded"]


class DeliverySerializer(serializers.ModelSerializer):
    last_response_status = serializers.IntegerField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    attempt_log = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "message_id", "event_type", "status", "attempts", "created_at",
                  "next_attempt_at", "delivered_at", "last_response_status", "last_error",
                  "attempt_log"]
