import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false``, nothing else: DRF's own takes ``"yes"``, ``1``, ``"on"``."""

    default_error_messages = {"invalid": _("Must be true or false (a JSON boolean).")}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class StrictTextMixin:
    """A JSON string, nothing else: DRF's text fields turn ``5`` into ``"5"``."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Must be a string."), code="invalid")
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            # DRF checks the length after trimming white space: the schema's maxLength is
            # about the string as sent.
            self.fail("max_length", max_length=max_length)
        return super().to_internal_value(data)


class StrictCharField(StrictTextMixin, serializers.CharField):
    pass


class StrictEmailField(StrictTextMixin, serializers.EmailField):
    pass


class StrictSlugField(StrictTextMixin, serializers.SlugField):
    pass


class StrictURLField(StrictTextMixin, serializers.URLField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer, nothing else: DRF's own turns ``"5"`` and ``5.0`` into 5 (and
    ``true`` into 1)."""

    default_error_messages = {"invalid": _("Must be a whole number (a JSON integer).")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id as a JSON integer: DRF's own looks ``"5"`` up as 5, and ``true`` as 1."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer for input whose fields take their JSON type only: the schema says
    ``"type": "string"`` (or integer, boolean), and anything else is a 400, as it says."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.URLField: StrictURLField,
        models.EmailField: StrictEmailField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField


class LocalDateTimeField(serializers.DateTimeField):
    """A UTC moment shown as ISO 8601 with the offset of the owning event's time zone."""

    def __init__(self, *, event_attr: str | None = None, **kwargs) -> None:
        # ``event_attr``: dotted path from the serialized object to its Event (None: itself).
        self.event_attr = event_attr
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        moment = super().get_attribute(instance)
        if moment is None:
            return None
        event = instance
        for name in self.event_attr.split(".") if self.event_attr else ():
            event = getattr(event, name)
        local = moment.astimezone(event.tzinfo)
        if local.utcoffset().total_seconds() % 60:
            # Before a zone adopted standard time its offset is local mean time, in seconds
            # (Brussels: +00:17:30), which RFC 3339 (OpenAPI's date-time) cannot write.
            # The same moment in UTC can.
            return moment.astimezone(dt.UTC)
        return local

    def to_representation(self, value):
        return None if value is None else value.isoformat()
