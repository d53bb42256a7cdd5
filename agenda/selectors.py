"""Reads of the agenda, each arriving with the related rows its callers need."""

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
    return events.prefetch_related(
        "tags",
        "tracks",
        Prefetch("sessions", queryset=sessions_with_details().order_by("start", "title")),
    )


def event_detail(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    return with_programme(visible_events(user))


def sessions_with_details() -> QuerySet[Session]:
    return Session.objects.select_related("room", "track", "event").prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.order_by("organization", "role", "name"))
    )


def session_list(user: User | AnonymousUser | None = None) -> QuerySet[Session]:
    return sessions_with_details().filter(event__in=visible_events(user)).order_by(
        "start", "title", "pk"
    )
