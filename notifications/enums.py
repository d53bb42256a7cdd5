from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
    REGISTRATION_WAITLISTED = "registration_waitlisted", _("Registration waitlisted")
    REGISTRATION_PENDING = "registration_pending", _("Registration pending approval")
    PROMOTED = "promoted", _("Promoted from the waitlist")
    SESSION_SEAT = "session_seat", _("Seat in a session")
    CANCELLED = "cancelled", _("Registration cancelled")
    ALREADY_REGISTERED = "already_registered", _("Already registered (management link)")
    REMINDER = "reminder", _("Reminder before the event")
    CHANGE_NOTICE = "change_notice", _("Change notice")
    SESSIONS_CHANGED = "sessions_changed", _("Sessions changed by the attendee")
    ORGANIZER_MESSAGE = "organizer_message", _("Message from the organizers")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Claimed by a worker that is handing it to the mail server (until its lease runs out).
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Audience(models.TextChoices):
    """Who an organizer's message goes to."""

    CONFIRMED = "confirmed", _("Confirmed attendees")
    WAITLISTED = "waitlisted", _("Waitlisted attendees")
    ALL = "all", _("All attendees (confirmed, waitlisted and pending)")
    SESSION = "session", _("Confirmed attendees of one session")
