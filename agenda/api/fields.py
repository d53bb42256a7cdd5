from rest_framework import serializers


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
