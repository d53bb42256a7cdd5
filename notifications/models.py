"""The outbox: every email owed to an attendee, recorded in the transaction that caused it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Event, Session
from registrations.models import Registration

from .enums import Audience, DeliveryStatus, MessageKind


class Message(models.Model):
    """A message organizers wrote to an event's attendees (or one session's); one
    ``Delivery`` per recipient carries it, all recorded in the transaction that made it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="messages", verbose_name=_("event")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    audience = models.CharField(_("recipients"), max_length=20, choices=Audience.choices)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        verbose_name=_("session"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")

    def __str__(self) -> str:
        return f"{self.subject} ({self.event.title})" if self.event_id else self.subject


class Delivery(models.Model):
    """One email to one registration. (registration, kind, scheduled_for) is unique, so a
    message is recorded, and therefore sent, at most once whoever asks for it again; an
    organizer's message is unique per (message, registration) instead, so two messages
    never collide however close together they are sent."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The organizer's message this delivery carries (kind organizer_message), else None. No
    # index of its own: the partial unique (message, registration) index serves lookups by
    # message, and every registration's email would otherwise write a NULL entry.
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries",
        verbose_name=_("message"), db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    context = models.JSONField(_("details"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "scheduled_for"], name="delivery_once",
                condition=Q(message__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["message", "registration"], name="delivery_once_per_message",
                condition=Q(message__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        recipient = self.registration.email
        return f"{self.get_kind_display()} → {recipient} ({self.get_status_display()})"
