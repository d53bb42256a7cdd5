"""Reads of the agenda, each arriving with the related rows its callers need."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet

from .enums import EventStatus
from .models import Event, Session, Speaker

# Events anyone may see: drafts are the organizers' alone.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visibility_filter(user: User | AnonymousUser | None, *, prefix: str = "") -> Q:
    """Which events ``user`` may see: public ones, plus every event they organize."""
    public = Q(**{f"{prefix}status__in": PUBLIC_STATUSES})
    if user is None or not user.is_authenticated or not user.is_staff:
        return public
    if user.is_superuser:
        return Q()
    return public | Q(**{f"{prefix}organizers": user})


def organized_events(user: User) -> QuerySet[Event]:
    """The events an organizer manages (every event for a superuser)."""
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(organizers=user)


def visible_events(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    events = Event.objects.all()
    condition = visibility_filter(user)
    if condition:
        # The organizers join can match a row twice only through the M2M; pk__in keeps it flat.
        events = events.filter(pk__in=Event.objects.filter(condition).values("pk"))
    return events


def event_list(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    return visible_events(user).prefetch_related("tags").order_by("start", "slug")


def event_detail(user: User | AnonymousUser | None = None) -> QuerySet[Event]:
    return visible_events(user).prefetch_related(
        "tags",
        "tracks",
        Prefetch("sessions", queryset=sessions_with_details().order_by("start", "title")),
    )


def sessions_with_details() -> QuerySet[Session]:
    return Session.objects.select_related("room", "track", "event").prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.order_by("organization", "role", "name"))
    )


def session_list(user: User | AnonymousUser | None = None) -> QuerySet[Session]:
    return sessions_with_details().filter(event__in=visible_events(user)).order_by(
        "start", "title", "pk"
    )
