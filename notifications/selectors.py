"""Reads of organizer messages: who gets one, and how its sending is going."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from agenda.models import Event, Session
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration

from .enums import Audience, DeliveryStatus
from .models import Delivery, Message

FAILURES_SHOWN = 200


def message_recipients(
    *, event: Event, audience: str, session: Session | None = None
) -> QuerySet[Registration]:
    """The registrations an organizer's message to ``audience`` reaches, in arrival order:
    never a cancelled registration, nor one whose personal data was erased."""
    registrations = Registration.objects.filter(event=event, erased_at__isnull=True)
    if audience == Audience.CONFIRMED:
        registrations = registrations.filter(status=RegistrationStatus.CONFIRMED)
    elif audience == Audience.WAITLISTED:
        registrations = registrations.filter(status=RegistrationStatus.WAITLISTED)
    elif audience == Audience.ALL:
        registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    elif audience == Audience.SESSION and session is not None:
        registrations = registrations.filter(
            status=RegistrationStatus.CONFIRMED,
            session_choices__session=session,
            session_choices__status=SessionChoiceStatus.CONFIRMED,
        )
    else:
        return Registration.objects.none()
    return registrations.order_by("pk")


def messages_of(event: Event) -> QuerySet[Message]:
    """An event's messages, newest first, each with its delivery counts (one query)."""
    return (
        Message.objects.filter(event=event)
        .select_related("session", "created_by")
        .annotate(**_delivery_counts("deliveries__"))
        .order_by("-created_at", "-pk")
    )


def _delivery_counts(prefix: str = "") -> dict:
    counted = prefix.rstrip("_") or "pk"

    def count(*statuses) -> Count:
        return Count(counted, filter=Q(**{f"{prefix}status__in": statuses}))

    return {
        "sent": count(DeliveryStatus.SENT),
        "waiting": count(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
        "failed": count(DeliveryStatus.FAILED),
        "skipped": count(DeliveryStatus.SKIPPED),
    }


@dataclass(frozen=True)
class MessageProgress:
    message: Message
    sent: int
    waiting: int
    failed: int
    skipped: int
    failures: list[Delivery]  # the first FAILURES_SHOWN failed deliveries, with reasons

    @property
    def done(self) -> bool:
        return self.waiting == 0


def message_progress(message: Message) -> MessageProgress:
    """How far the sending of ``message`` is, and why deliveries failed (two queries)."""
    counts = Delivery.objects.filter(message=message).aggregate(**_delivery_counts())
    failures = list(
        Delivery.objects.filter(message=message, status=DeliveryStatus.FAILED)
        .select_related("registration")
        .only("pk", "status", "attempts", "last_error", "registration__name",
              "registration__email", "registration")
        .order_by("pk")[:FAILURES_SHOWN]
    )
    return MessageProgress(message=message, failures=failures, **counts)
