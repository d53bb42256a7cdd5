"""Reads of the agenda, each arriving with the related rows its callers need."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet

from .enums import EventStatus
from .models import Event, Session, Speaker
from .permissions import Permission, event_filter, events_with_permission

# Events anyone may see: drafts are the organizers' alone.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visibility_filter(user: User | AnonymousUser | None, *, prefix: str = "") -> Q:
    """Which events ``user`` may see: public ones, plus every event they organize."""
    public = Q(**{f"{prefix}status__in": PUBLIC_STATUSES})
    if user is None or not user.is_authenticated:
        return public
    organized = event_filter(user, Permission.CHANGE_EVENT, prefix=prefix)
    return Q() if organized is None else public | organized


def organized_events(user: User) -> QuerySet[Event]:
    """The events an organizer manages (every event for a superuser)."""
    return events_with_permission(user, Permission.CHANGE_EVENT)


def visible_events(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    events = Event.objects.all()
    condition = visibility_filter(user)
    if condition:
        events = events.filter(condition)
    return events


def event_list(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    return visible_events(user).prefetch_related("tags").order_by("start", "slug")


def with_programme(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` arriving with their topics, tracks, and sessions with their details."""
    # The prefetch gives each session its event (the instance above), so the sessions need
    # no join to it: an event page of 200 sessions built 200 more Event instances before.
    sessions = Session.objects.select_related("room", "track").prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.order_by(*SPEAKER_ORDER))
    )
    return events.prefetch_related(
        "tags",
        "tracks",
        Prefetch("sessions", queryset=sessions.order_by("start", "title")),
    )


def event_detail(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    return with_programme(visible_events(user))


# A session's speakers as every reader shows them; the primary key settles ties, so two
# reads of the same rows (the API's serializers and its rows path) agree on the order.
SPEAKER_ORDER = ("organization", "role", "name", "pk")


def sessions_with_details() -> QuerySet[Session]:
    return Session.objects.select_related("room", "track", "event").prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.order_by(*SPEAKER_ORDER))
    )


def session_list(user: User | AnonymousUser | None = None) -> QuerySet[Session]:
    return sessions_with_details().filter(event__in=visible_events(user)).order_by(
        "start", "title", "pk"
    )


# --- Rows for the list endpoints -------------------------------------------------------------
# The same rows as ``event_list`` and ``session_list``, as dicts of exactly the columns the
# public API shows (``agenda.api.listing`` shapes them): no model instances, no unused columns
# (an event's description and reminder offsets), and the related rows in one query each.

EVENT_ROW_FIELDS = (
    "id", "slug", "title", "summary", "kind", "format", "timezone", "start", "end",
    "venue_name", "venue_address", "capacity", "status",
)
SESSION_ROW_FIELDS = (
    "id", "uuid", "event__slug", "event__timezone", "title", "abstract", "start", "end",
    "status", "room_id", "room__name", "track_id", "track__slug", "track__name",
    "track__color", "capacity",
)


def event_rows(events: QuerySet[Event]) -> QuerySet:
    """``events`` (filtered, ordered) as rows of ``EVENT_ROW_FIELDS``."""
    return events.prefetch_related(None).values(*EVENT_ROW_FIELDS)


def session_rows(sessions: QuerySet[Session]) -> QuerySet:
    """``sessions`` (filtered, ordered) as rows of ``SESSION_ROW_FIELDS``, their event, room
    and track joined."""
    return sessions.prefetch_related(None).values(*SESSION_ROW_FIELDS)


def tags_by_event(event_ids: Iterable[int]) -> dict[int, list[dict]]:
    """The topics (slug, name) of each event, by name as ``Tag`` orders them: one query."""
    through = Event.tags.through.objects.filter(event_id__in=list(event_ids))
    tags: dict[int, list[dict]] = {}
    for row in through.order_by("tag__name").values_list("event_id", "tag__slug", "tag__name"):
        tags.setdefault(row[0], []).append({"slug": row[1], "name": row[2]})
    return tags


def speakers_by_session(session_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """The speakers of each session as (id, name, role, organization, bio), in
    ``SPEAKER_ORDER``: one query."""
    through = Session.speakers.through.objects.filter(session_id__in=list(session_ids))
    speakers: dict[int, list[tuple]] = {}
    rows = through.order_by(*(f"speaker__{name}" for name in SPEAKER_ORDER)).values_list(
        "session_id", "speaker_id", "speaker__name", "speaker__role", "speaker__organization",
        "speaker__bio",
    )
    for session_id, *speaker in rows:
        speakers.setdefault(session_id, []).append(tuple(speaker))
    return speakers
