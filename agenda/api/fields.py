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
        return super().to_internal_value(data)


class StrictCharField(StrictTextMixin, serializers.CharField):
    pass


class StrictEmailField(StrictTextMixin, serializers.EmailField):
    pass


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
        return moment.astimezone(event.tzinfo)

    def to_representation(self, value):
        return None if value is None else value.isoformat()
