"""Registrations of attendees for events, their session choices, and retried-request records."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agenda.models import Event, Session
from agenda.validators import validate_timezone

from .enums import CancelledBy, QuestionKind, RegistrationStatus, SessionChoiceStatus
from .tokens import make_token, new_secret


class Registration(models.Model):
    """One person's registration for one event.

    Waitlist order is arrival order: the primary key, assigned while the event row is locked.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the (event, status) index below serves every lookup by event, and
    # each registration would otherwise write one more index entry.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    sessions = models.ManyToManyField(
        Session, through="SessionChoice", related_name="registrations", blank=True
    )
    consent_version = models.CharField(_("privacy notice version"), max_length=40)
    consented_at = models.DateTimeField(_("consent given"))
    manage_secret = models.CharField(max_length=64, default=new_secret, editable=False)
    feed_secret = models.CharField(max_length=64, default=new_secret, editable=False)
    # The ticket's secret: the QR code at the door. A capability of its own, so a photo of a
    # ticket checks its holder in and does nothing else (registrations/tickets.py).
    ticket_secret = models.CharField(max_length=64, default=new_secret, editable=False)
    # Only turns reminders off: the List-Unsubscribe link, which mail providers keep.
    unsubscribe_secret = models.CharField(max_length=64, default=new_secret, editable=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_timezone],
        help_text=_("The attendee's own IANA zone, when their browser or app gave it: "
                    "their emails then give times in it too."),
    )
    reminders_enabled = models.BooleanField(
        _("reminders"), default=True, help_text=_("The attendee can turn reminders off.")
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=20, choices=CancelledBy.choices, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("checked in by"),
    )
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status"])]
        constraints = [
            # One live registration per address and event; a cancelled one may register again.
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="registration_one_live_per_email_and_event",
            ),
        ]
        permissions = [("export_attendees", _("Can export attendee lists"))]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> · {self.event.title} ({self.get_status_display()})"

    @property
    def manage_token(self) -> str:
        return make_token(self.public_id, self.manage_secret)

    @property
    def feed_token(self) -> str:
        return make_token(self.public_id, self.feed_secret)

    @property
    def ticket_code(self) -> str:
        return make_token(self.public_id, self.ticket_secret)

    @property
    def unsubscribe_token(self) -> str:
        return make_token(self.public_id, self.unsubscribe_secret)

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class SessionChoice(models.Model):
    """A session in an attendee's personal agenda, with its seat (or waitlist place)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="session_choices"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    status = models.CharField(max_length=20, choices=SessionChoiceStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__start", "pk"]
        verbose_name = _("session choice")
        verbose_name_plural = _("session choices")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="session_choice_unique"
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.session.title} ({self.get_status_display()})"


class Question(models.Model):
    """A question an event asks in its registration form (dietary needs, accessibility, job
    title), worded in English and, optionally, in French.

    ``options`` lists the answers a choice question offers, each
    ``{"value": "vegetarian", "en": "Vegetarian", "fr": "Végétarien"}``: answers store the
    ``value``, so rewording an option keeps the answers given to it.
    """

    CHOICE_KINDS = (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_fr = models.CharField(
        _("question (French)"), max_length=300, blank=True,
        help_text=_("Empty: French visitors read the English question."),
    )
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    help_fr = models.CharField(_("help text (French)"), max_length=300, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.text_en

    def text(self, language: str) -> str:
        """The question in ``language`` (``fr`` or ``en``), English where no French is given."""
        return self.text_fr if language.startswith("fr") and self.text_fr else self.text_en

    def help(self, language: str) -> str:
        return self.help_fr if language.startswith("fr") and self.help_fr else self.help_en

    def option_labels(self, language: str) -> list[tuple[str, str]]:
        """``(value, label)`` of each offered answer, in ``language``."""
        french = language.startswith("fr")
        return [
            (option["value"], (option.get("fr") if french else "") or option["en"])
            for option in self.options
        ]

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    def clean(self) -> None:
        values = [option.get("value") for option in self.options or ()]
        if self.is_choice and len(values) < 2:
            raise ValidationError({"options": _("A choice question needs at least two options.")})
        if not self.is_choice and values:
            raise ValidationError({"options": _("Only choice questions have options.")})
        if len(set(values)) != len(values):
            raise ValidationError({"options": _("Two options have the same value.")})


class Answer(models.Model):
    """A registration's answer to one question: text, an option's value, a list of values,
    or true/false, as the question's kind says."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("answer"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an ``Idempotency-Key``, replayed on retries."""

    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=255, help_text="The request's method and path.")
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class TicketImage(models.Model):
    """A ticket's QR code as the PNG its emails carry, drawn once and kept with the
    registration: choosing the QR mask (segno, pure Python) costs ~10 ms, five times the
    rest of a reminder, and a cache would forget most of them before the reminders go out.
    ``code_digest`` names the code drawn, so an image of a rotated code is never used."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="ticket_image"
    )
    code_digest = models.CharField(max_length=64)
    png = models.BinaryField()

    def __str__(self) -> str:
        return f"ticket image of {self.registration_id}"
