from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What a webhook can be told about (the ``type`` of each message)."""

    REGISTRATION_CREATED = "registration.created", _("Registration created")
    REGISTRATION_CONFIRMED = "registration.confirmed", _("Registration confirmed")
    REGISTRATION_WAITLISTED = "registration.waitlisted", _("Registration waitlisted")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Registration cancelled")
    REGISTRATION_PROMOTED = "registration.promoted", _("Registration promoted")
    REGISTRATION_CHECKED_IN = "registration.checked_in", _("Attendee checked in")
    EVENT_PUBLISHED = "event.published", _("Event published")
    EVENT_CHANGED = "event.changed", _("Event changed")
    EVENT_CANCELLED = "event.cancelled", _("Event cancelled")
    SESSION_PUBLISHED = "session.published", _("Session published")
    SESSION_CHANGED = "session.changed", _("Session changed")
    SESSION_CANCELLED = "session.cancelled", _("Session cancelled")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
