"""What the organizer pages show, each read in a bounded number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from agenda import permissions
from agenda.models import AuditEntry, Event, Session
from agenda.permissions import Permission
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from registrations import services as registration_services
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration

FEED_WINDOW_DAYS = 7


@dataclass(frozen=True)
class StatusCounts:
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    cancelled: int = 0
    checked_in: int = 0

    @property
    def live(self) -> int:
        return self.confirmed + self.waitlisted + self.pending


def _status_aggregates(prefix: str = "") -> dict:
    """Counts of registrations by status; ``prefix`` reaches them from another model (an
    event's ``"registrations__"``)."""
    counted = prefix.rstrip("_") or "pk"

    def count(**condition) -> Count:
        return Count(counted, filter=Q(**{f"{prefix}{name}": value
                                          for name, value in condition.items()}))

    return {
        "confirmed": count(status=RegistrationStatus.CONFIRMED),
        "waitlisted": count(status=RegistrationStatus.WAITLISTED),
        "pending": count(status=RegistrationStatus.PENDING_APPROVAL),
        "cancelled": count(status=RegistrationStatus.CANCELLED),
        "checked_in": count(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False),
    }


def status_counts(event: Event) -> StatusCounts:
    return StatusCounts(**Registration.objects.filter(event=event).aggregate(
        **_status_aggregates()
    ))


@dataclass(frozen=True)
class EventRow:
    event: Event
    counts: StatusCounts
    roles: frozenset[str]


def event_index(user, *, now: dt.datetime | None = None) -> tuple[list[EventRow], list[EventRow]]:
    """The events ``user`` has a role for, with their counts: upcoming first (soonest
    first), then past ones (latest first). Two queries, whatever the number of events."""
    now = now or timezone.now()
    events = permissions.scope_to_events(
        Event.objects.all(), user, Permission.VIEW_ATTENDEES, event_path="pk"
    ).annotate(**_status_aggregates("registrations__"))
    roles_by_event = permissions.roles_by_event(user, [event.pk for event in events])
    rows = [
        EventRow(
            event=event,
            counts=StatusCounts(**{name: getattr(event, name) for name in
                                   ("confirmed", "waitlisted", "pending", "cancelled",
                                    "checked_in")}),
            roles=roles_by_event.get(event.pk, frozenset()),
        )
        for event in events
    ]
    upcoming = sorted((row for row in rows if row.event.end >= now),
                      key=lambda row: (row.event.start, row.event.slug))
    past = sorted((row for row in rows if row.event.end < now),
                  key=lambda row: (row.event.start, row.event.slug), reverse=True)
    return upcoming, past


@dataclass(frozen=True)
class SessionFill:
    session: Session
    waitlisted: int

    @property
    def percent(self) -> int | None:
        if not self.session.capacity:
            return None
        return round(100 * self.session.seats_taken / self.session.capacity)


@dataclass(frozen=True)
class DeliveryLine:
    kind: str
    label: str
    sent: int
    pending: int
    failed: int


@dataclass
class Dashboard:
    event: Event
    counts: StatusCounts
    timeline: list[tuple[dt.date, int, int]]  # day, registrations so far, confirmed so far
    sessions: list[SessionFill]
    deliveries: list[DeliveryLine]
    feed_fetches: int
    feed_days: int = FEED_WINDOW_DAYS
    failing: int = field(default=0)


def registration_timeline(event: Event) -> list[tuple[dt.date, int, int]]:
    """Per day (in the event's zone) on which people registered: how many had registered by
    the end of it, and how many of them hold a confirmed seat now."""
    per_day = (
        Registration.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=event.tzinfo))
        .values("day")
        .annotate(registered=Count("pk"),
                  confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)))
        .order_by("day")
    )
    timeline, registered, confirmed = [], 0, 0
    for row in per_day:
        registered += row["registered"]
        confirmed += row["confirmed"]
        timeline.append((row["day"], registered, confirmed))
    return timeline


def session_fills(event: Event) -> list[SessionFill]:
    sessions = (
        Session.objects.filter(event=event)
        .select_related("room")
        .annotate(waitlisted=Count("choices",
                                   filter=Q(choices__status=SessionChoiceStatus.WAITLISTED)))
        .order_by("start", "title")
    )
    fills = []
    for session in sessions:
        session.event = event  # its times are shown in the event's zone: no query per row
        fills.append(SessionFill(session=session, waitlisted=session.waitlisted))
    return fills


def delivery_lines(event: Event) -> list[DeliveryLine]:
    rows = (
        Delivery.objects.filter(registration__event=event)
        .values("kind")
        .annotate(
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            pending=Count("pk", filter=Q(status__in=(DeliveryStatus.PENDING,
                                                      DeliveryStatus.SENDING))),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        )
        .order_by("kind")
    )
    labels = dict(MessageKind.choices)
    return [DeliveryLine(kind=row["kind"], label=str(labels.get(row["kind"], row["kind"])),
                         sent=row["sent"], pending=row["pending"], failed=row["failed"])
            for row in rows]


def feed_fetches(event: Event, *, days: int = FEED_WINDOW_DAYS) -> int:
    return registration_services.feed_fetches(event_id=event.pk, days=days)


def dashboard(event: Event) -> Dashboard:
    """Everything the event's dashboard shows, in six queries."""
    deliveries = delivery_lines(event)
    return Dashboard(
        event=event,
        counts=status_counts(event),
        timeline=registration_timeline(event),
        sessions=session_fills(event),
        deliveries=deliveries,
        feed_fetches=feed_fetches(event),
        failing=sum(line.failed for line in deliveries),
    )


def organizers_of(event: Event) -> QuerySet:
    return event.roles.select_related("user", "granted_by").order_by("role", "user__email")


def audit_entries(event: Event) -> QuerySet:
    """The event's audit log, newest first (entries outlive what they describe)."""
    return AuditEntry.objects.filter(event_id=event.pk).select_related(None).order_by(
        "-created_at", "-pk"
    )
