"""Webhooks organizers register, and their outbox: one row per message owed to one hook."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Event

from .enums import DeliveryStatus, EventType


class Webhook(models.Model):
    """A URL told about what happens to one event, or to every event its owner organizes
    (``event`` empty). Messages are signed with ``secret`` (Standard Webhooks)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks",
        verbose_name=_("owner"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="webhooks",
        verbose_name=_("event"), help_text=_("Empty: every event the owner organizes."),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(max_length=100, editable=False)
    # The secret before the last rotation, still signed with until it expires, so that a
    # receiver can switch over without losing a message.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return event_type in self.event_types


class WebhookDelivery(models.Model):
    """One message to one webhook, recorded in the transaction of the change it reports.

    ``body`` is the exact JSON sent (and signed) at every attempt; ``message_id`` is its
    ``webhook-id``, the same at every attempt, so receivers can drop duplicates.
    """

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(_("message id"), max_length=40, unique=True)
    event_type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    # What the message is about ("registration:<uuid>"): messages about one object go out
    # in the order they were recorded.
    object_key = models.CharField(max_length=80)
    event_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    body = models.TextField()
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    give_up_at = models.DateTimeField(_("retried until"))
    last_response_status = models.PositiveSmallIntegerField(_("last response"), null=True,
                                                            blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["webhook", "object_key", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.webhook.url} ({self.get_status_display()})"


class WebhookAttempt(models.Model):
    """One try at a delivery: the delivery log an organizer reads."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempt_log")
    started_at = models.DateTimeField(_("at"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.response_status or self.error}"
