"""Reads of registrations. Capability tokens are checked here, in constant time."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from agenda.enums import EventStatus
from agenda.models import Event
from agenda.selectors import PUBLIC_STATUSES

from .enums import RegistrationStatus, SessionChoiceStatus
from .models import Registration, SessionChoice
from .tokens import secrets_match, split_token


def registration_by_manage_token(token: str) -> Registration | None:
    return _by_token(token, column="manage_secret")


def registration_by_feed_token(token: str) -> Registration | None:
    return _by_token(token, column="feed_secret")


def registration_by_ticket_code(code: str) -> Registration | None:
    """The registration whose ticket carries ``code`` (any event), or None."""
    return _by_token(code.strip(), column="ticket_secret")


def _by_token(token: str, *, column: str) -> Registration | None:
    parts = split_token(token)
    if parts is None:
        return None
    public_id, secret = parts
    registration = registration_with_details().filter(public_id=public_id).first()
    if registration is None or not secrets_match(secret, getattr(registration, column)):
        return None
    return registration


def active_choices() -> QuerySet[SessionChoice]:
    """Choices that hold or wait for a seat (a released one is history)."""
    return SessionChoice.objects.exclude(status=SessionChoiceStatus.RELEASED)


def registration_with_details() -> QuerySet[Registration]:
    choices = active_choices().select_related(
        "session", "session__room", "session__track"
    ).order_by("session__start", "pk")
    return Registration.objects.select_related("event").prefetch_related(
        Prefetch("session_choices", queryset=choices, to_attr="active_choices")
    )


def event_open_for_registration(slug: str) -> Event | None:
    """The public event behind ``slug`` (cancelled ones too, to say why it is closed)."""
    return Event.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).first()


def registrations_of(event: Event) -> QuerySet[Registration]:
    return registration_with_details().filter(event=event).order_by("pk")


def join_url(registration: Registration) -> str:
    """The event's online join link as this attendee may see it: only once confirmed, only
    for an online or hybrid event that still takes place; otherwise empty."""
    event = registration.event
    if (
        registration.status == RegistrationStatus.CONFIRMED
        and event.is_online
        and event.status != EventStatus.CANCELLED
    ):
        return event.online_url
    return ""


def registrations_for_organizers(event: Event) -> QuerySet[Registration]:
    """An event's registrations as its organizers list them, with their session choices."""
    return registration_with_details().filter(event=event).order_by("pk")
@dataclass(frozen=True)
class CheckInCounts:
    confirmed: int
    checked_in: int

    @property
    def still_expected(self) -> int:
        return self.confirmed - self.checked_in


def check_in_counts(event: Event) -> CheckInCounts:
    """How many confirmed attendees ``event`` has, and how many of them are checked in: one
    query."""
    counts = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).aggregate(
        confirmed=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return CheckInCounts(confirmed=counts["confirmed"], checked_in=counts["checked_in"])


def check_in_candidates(event: Event, query: str, *, limit: int = 20) -> list[Registration]:
    """Registrations of ``event`` (cancelled ones too, to say so) whose name or email contains
    ``query``: the scan page's fallback for a ticket left at home. Alphabetical."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        registration_with_details()
        .filter(event=event, erased_at__isnull=True)
        .filter(Q(name__icontains=query) | Q(email__icontains=query))
        .select_related("checked_in_by")
        .order_by(Lower("name"), "pk")[:limit]
    )


def check_in_list(event: Event) -> list[Registration]:
    """The confirmed attendees of ``event``, alphabetical, with their sessions: the printed
    list at the door."""
    return list(
        registration_with_details()
        .filter(event=event, status=RegistrationStatus.CONFIRMED)
        .order_by(Lower("name"), Lower("email"), "pk")
    )
