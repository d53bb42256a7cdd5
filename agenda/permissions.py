"""Who may do what to which event: the one place every interface asks.

The admin, the organizer area, the API and the commands all ask here; none filters events by
role on its own. A person's roles are per event (``EventRole``): an **organizer** runs the
event (its programme, registrations, messages, team, audit log and webhooks); a **check-in
helper** sees the attendee list and checks people in, nothing else. Superusers (the site's
staff) may do everything to every event.
"""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .enums import Role
from .models import Event, EventRole


class Permission(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    CHANGE_EVENT = "change_event"  # the event, its sessions, rooms, tracks and speakers
    VIEW_ATTENDEES = "view_attendees"
    CHANGE_REGISTRATIONS = "change_registrations"  # approve, cancel, promote
    EXPORT_ATTENDEES = "export_attendees"
    CHECK_IN = "check_in"
    SEND_MESSAGES = "send_messages"
    MANAGE_TEAM = "manage_team"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_WEBHOOKS = "manage_webhooks"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ORGANIZER: frozenset(Permission),
    Role.CHECKIN: frozenset({Permission.VIEW_ATTENDEES, Permission.CHECK_IN}),
}

#: The Django groups a role's holders belong to (created by agenda's migration 0005), which
#: carry the model permissions the admin needs. Check-in helpers do not use the admin.
ROLE_GROUPS = {Role.ORGANIZER: "Organizers", Role.CHECKIN: "Check-in helpers"}

User = AbstractBaseUser | AnonymousUser | None


def is_site_staff(user: User) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


def _is_member(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def roles_for(user: User, event: Event) -> frozenset[str]:
    """The roles ``user`` holds for ``event`` (every role for the site's staff)."""
    if is_site_staff(user):
        return frozenset(Role)
    if not _is_member(user):
        return frozenset()
    return frozenset(
        EventRole.objects.filter(event=event, user=user).values_list("role", flat=True)
    )


def roles_by_event(user: User, event_ids: list[int]) -> dict[int, frozenset[str]]:
    """The roles ``user`` holds for each of ``event_ids``, in one query."""
    if is_site_staff(user):
        return {event_id: frozenset(Role) for event_id in event_ids}
    if not _is_member(user):
        return {}
    found: dict[int, set[str]] = {}
    for event_id, role in EventRole.objects.filter(
        user=user, event_id__in=event_ids
    ).values_list("event_id", "role"):
        found.setdefault(event_id, set()).add(role)
    return {event_id: frozenset(roles) for event_id, roles in found.items()}


def permissions_for(user: User, event: Event) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles_for(user, event):
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def has_event_permission(user: User, event: Event, permission: Permission) -> bool:
    if is_site_staff(user):
        return True
    return permission in permissions_for(user, event)


def require_event_permission(user: User, event: Event, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may do ``permission`` to ``event``."""
    if not has_event_permission(user, event, permission):
        raise PermissionDenied


def _roles_granting(permission: Permission) -> list[str]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


def event_filter(user: User, permission: Permission, *, prefix: str = "") -> Q | None:
    """A filter on events (or on rows reaching an event through ``prefix``, such as
    ``"event__"``) that keeps those ``user`` may do ``permission`` to; None means all of them.
    """
    if is_site_staff(user):
        return None
    if not _is_member(user):
        return Q(pk__in=[])
    event_ids = EventRole.objects.filter(
        user=user, role__in=_roles_granting(permission)
    ).values("event_id")
    return Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}in": event_ids})


def events_with_permission(user: User, permission: Permission) -> QuerySet[Event]:
    """The events ``user`` may do ``permission`` to."""
    condition = event_filter(user, permission)
    events = Event.objects.all()
    return events if condition is None else events.filter(condition)


def scope_to_events(queryset: QuerySet, user: User, permission: Permission,
                    *, event_path: str = "event") -> QuerySet:
    """``queryset`` (of events, or of rows with a foreign key path ``event_path`` to one) cut
    down to the events ``user`` may do ``permission`` to."""
    if event_path == "pk":
        condition = event_filter(user, permission)
    else:
        condition = event_filter(user, permission, prefix=f"{event_path}__")
    return queryset if condition is None else queryset.filter(condition)


def may_change_shared(user: User, events: QuerySet[Event] | list[Event]) -> bool:
    """Whether ``user`` may change a row shared between events (a speaker, a topic): only when
    they may change every event that uses it."""
    if is_site_staff(user):
        return True
    allowed = set(events_with_permission(user, Permission.CHANGE_EVENT).values_list("pk",
                                                                                   flat=True))
    return all(event.pk in allowed for event in events)
