from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    SUMMIT = "summit", _("Summit")
    CONFERENCE = "conference", _("Conference")
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "workshop", _("Workshop")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Role(models.TextChoices):
    """What a person does for one event (agenda.permissions says what each may do)."""

    ORGANIZER = "organizer", _("Organizer")
    CHECKIN = "checkin", _("Check-in helper")


class AuditVia(models.TextChoices):
    """The interface through which an organizer's change came."""

    ADMIN = "admin", _("Admin")
    ORGA = "orga", _("Organizer area")
    API = "api", _("API")
    COMMAND = "command", _("Command")
