from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")


class SessionChoiceStatus(models.TextChoices):
    # The registration itself is not confirmed yet: the choice is a wish, holding no seat.
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    # The registration was cancelled or the session dropped: the choice holds nothing.
    RELEASED = "released", _("Released")


class CancelledBy(models.TextChoices):
    ATTENDEE = "attendee", _("Attendee")
    ORGANIZER = "organizer", _("Organizer")
    ERASURE = "erasure", _("Data erasure")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    ONE_CHOICE = "one_choice", _("One choice")
    SEVERAL_CHOICES = "several_choices", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
