"""The outbox: every email owed to an attendee, recorded in the transaction that caused it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Registration

from .enums import DeliveryStatus, MessageKind


class Delivery(models.Model):
    """One email to one registration. (registration, kind, scheduled_for) is unique, so a
    message is recorded, and therefore sent, at most once whoever asks for it again."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="deliveries"
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
                fields=["registration", "kind", "scheduled_for"], name="delivery_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        recipient = self.registration.email
        return f"{self.get_kind_display()} → {recipient} ({self.get_status_display()})"
