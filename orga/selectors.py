"""What the organizer pages show, each read in a bounded number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from agenda import permissions
from agenda.models import AuditEntry, Event, Session, Speaker
from agenda.permissions import Permission
from notifications.changes import attendees_of_session, notice_recipients
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
# --- Event work: the programme pages -------------------------------------------------------


def event_change_recipients(event: Event) -> int:
    """How many attendees a change to ``event``'s time, place or status emails."""
    return notice_recipients(Registration.objects.filter(event=event)).count()


def session_change_recipients(session: Session) -> int:
    """How many attendees a change to ``session``'s time, room or status emails."""
    return notice_recipients(attendees_of_session(session)).distinct().count()


def programme(event: Event) -> list[Session]:
    """The event's sessions with room, track and speakers, and how many attendees chose each
    (``attendees``); three queries."""
    sessions = (
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk")))
        .annotate(attendees=Count("choices", filter=Q(choices__status__in=(
            SessionChoiceStatus.CONFIRMED, SessionChoiceStatus.WAITLISTED,
            SessionChoiceStatus.REQUESTED,
        )), distinct=True))
        .order_by("start", "title", "pk")
    )
    sessions = list(sessions)
    for session in sessions:
        session.event = event
    return sessions


def event_speakers(event: Event) -> QuerySet[Speaker]:
    """The speakers of ``event``'s sessions."""
    return Speaker.objects.filter(sessions__event=event).distinct().order_by(
        "name", "organization", "pk"
    )


def find_speakers(text: str, *, limit: int = 20) -> list[Speaker]:
    """Existing speakers whose name, role or organization contains ``text``."""
    text = text.strip()
    if not text:
        return []
    return list(Speaker.objects.filter(
        Q(name__icontains=text) | Q(role__icontains=text) | Q(organization__icontains=text)
    ).order_by("name", "organization", "pk")[:limit])


@dataclass(frozen=True)
class SpeakerRow:
    speaker: Speaker
    changeable: bool  # False when it also speaks at an event the person does not run


def speaker_rows(event: Event, user) -> list[SpeakerRow]:
    """The event's speakers, and whether ``user`` may change each: two queries, and one more
    for each distinct set of events shared with events the person does not run."""
    speakers = list(event_speakers(event).prefetch_related(
        Prefetch("sessions", queryset=Session.objects.only("pk", "event_id"))
    ))
    used_at = {speaker.pk: frozenset(session.event_id for session in speaker.sessions.all())
               for speaker in speakers}
    everywhere = frozenset().union(*used_at.values())
    verdicts: dict[frozenset[int], bool] = {}
    if permissions.may_change_shared(user, [Event(pk=pk) for pk in everywhere]):
        verdicts = {events: True for events in used_at.values()}
    for events in set(used_at.values()) - verdicts.keys():
        verdicts[events] = permissions.may_change_shared(user, [Event(pk=pk) for pk in events])
    return [SpeakerRow(speaker=speaker, changeable=verdicts[used_at[speaker.pk]])
            for speaker in speakers]


def speaker_events(speaker: Speaker) -> list[Event]:
    return list(Event.objects.filter(sessions__speakers=speaker).distinct())


def speaker_changeable(speaker: Speaker, user) -> bool:
    return permissions.may_change_shared(user, speaker_events(speaker))
