"""Writes to the agenda. Every entry point (admin, commands, later APIs) goes through these.

A change to time, place or status raises the item's ``sequence`` (calendar clients use it to
replace their copy) and is announced with a domain signal from ``agenda.signals`` inside the
same transaction.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import audit, signals
from .enums import EventStatus, Role, SessionStatus
from .errors import AgendaError
from .models import Event, EventRole, Session
from .permissions import ROLE_GROUPS

# Fields whose change a subscriber's calendar or an attendee must hear about.
EVENT_SCHEDULE_FIELDS = frozenset(
    {"start", "end", "timezone", "venue_name", "venue_address", "format", "online_url", "status"}
)
SESSION_SCHEDULE_FIELDS = frozenset({"start", "end", "room", "status"})
# Fields that other writers keep, with UPDATEs, while an edit is open in a form.
_COUNTED_ELSEWHERE = {
    Event: ("seats_taken", "content_revision", "link_checksum", "content_changed_at"),
    Session: ("seats_taken",),
}


def _changed_fields(before: object, after: object, fields: Iterable[str]) -> frozenset[str]:
    def value(obj: object, name: str) -> object:
        field = obj._meta.get_field(name)  # type: ignore[attr-defined]
        return getattr(obj, field.attname)

    return frozenset(name for name in fields if value(before, name) != value(after, name))


def _save_tracked(item: Event | Session, schedule_fields: frozenset[str]):
    """Lock the stored row, validate and save ``item``; returns the row as it was (None for a
    new item) and which of ``schedule_fields`` changed, raising the revision if any did."""
    before = type(item).objects.select_for_update().filter(pk=item.pk).first() if item.pk else None
    if before is not None:
        # Seats are the registrations floor's to count, and an event's feed validators
        # agenda.revisions': never write back a stale number.
        for name in _COUNTED_ELSEWHERE[type(item)]:
            setattr(item, name, getattr(before, name))
    item.full_clean()
    changes = _changed_fields(before, item, schedule_fields) if before else frozenset()
    if changes:
        item.sequence = before.sequence + 1
    item.save()
    event = item if isinstance(item, Event) else item.event
    recorded = audit.diff(before, item, audit.editable_fields(type(item)))
    if before is None or recorded:
        audit.record(event=event, action="created" if before is None else "changed",
                     target=item, changes=recorded)
    return before, changes


def save_event(*, event: Event) -> Event:
    """Validate and save ``event``, created or edited.

    Side effects: raises ``sequence`` when time, place or status changed; sends
    ``event_changed`` for such changes to a non-draft event, and ``event_capacity_changed``
    when the capacity changed (the registrations floor promotes from the waitlist).
    """
    with transaction.atomic():
        before, changes = _save_tracked(event, EVENT_SCHEDULE_FIELDS)
        if before is None:
            return event
        if changes and before.status != EventStatus.DRAFT:
            signals.event_changed.send(sender=Event, event=event, changes=changes)
        if before.capacity != event.capacity:
            signals.event_capacity_changed.send(
                sender=Event, event=event, previous=before.capacity
            )
    return event


def publish_event(*, event: Event) -> Event:
    """Make a draft (or a cancelled event) visible in the agenda and open for registration."""
    event.status = EventStatus.PUBLISHED
    return save_event(event=event)


def cancel_event(*, event: Event) -> Event:
    """Cancel the event. It stays listed (and in feeds) marked cancelled, as clients expect."""
    event.status = EventStatus.CANCELLED
    return save_event(event=event)


def save_session(*, session: Session) -> Session:
    """Validate and save ``session``, created or edited.

    Side effects: raises ``sequence`` when time, room or status changed; sends
    ``session_changed`` for such changes in a non-draft event, and
    ``session_capacity_changed`` when its capacity changed.
    """
    with transaction.atomic():
        # Lock order is always event, then session: registrations lock the event first too.
        Event.objects.select_for_update().filter(pk=session.event_id).first()
        before, changes = _save_tracked(session, SESSION_SCHEDULE_FIELDS)
        if before is None:
            return session
        if changes and session.event.status != EventStatus.DRAFT:
            signals.session_changed.send(sender=Session, session=session, changes=changes)
        if before.capacity != session.capacity:
            signals.session_capacity_changed.send(
                sender=Session, session=session, previous=before.capacity
            )
    return session


def cancel_session(*, session: Session) -> Session:
    session.status = SessionStatus.CANCELLED
    return save_session(session=session)


def delete_session(*, session: Session) -> None:
    """Delete a session; its attendees' seats in it go with it (the event seat stays)."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=session.event_id).first()
        audit.record(event=session.event, action="deleted", target=session)
        session.delete()


def _account_for(email: str):
    """The account of ``email`` (matched case-insensitively), made if there is none; and
    whether it was made now."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        return existing, False
    user = User(username=email.lower()[:150], email=email)
    user.set_unusable_password()
    user.save()
    return user, True


def grant_role(*, event: Event, role: str, email: str = "", user=None,
               granted_by=None) -> EventRole:
    """Give ``user``, or the person at ``email``, ``role`` for ``event``, making their account
    if needed.

    Organizers also get the staff flag and the Organizers group (the admin, scoped to their
    events); check-in helpers only use the organizer area. Idempotent.

    Side effects: an audit entry; sends ``role_granted`` (a new account is emailed a link to
    set its password).
    """
    if role not in Role.values:
        raise AgendaError("unknown_role", _("Unknown role %(role)s.") % {"role": role})
    with transaction.atomic():
        if user is not None:
            account_created = False
        else:
            user, account_created = _account_for(email)
        if not user.is_active:
            raise AgendaError("account_inactive",
                              _("The account of %(email)s is deactivated.") % {"email": email})
        event_role, created = EventRole.objects.get_or_create(
            event=event, user=user, role=role, defaults={"granted_by": granted_by}
        )
        user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
        if role == Role.ORGANIZER and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if created:
            audit.record(event=event, action="role_granted", target=event_role,
                         changes={"role": [None, role], "person": [None, user.email]})
            signals.role_granted.send(sender=EventRole, event_role=event_role,
                                      account_created=account_created)
    return event_role


def revoke_role(*, event: Event, role: str, email: str = "", user=None) -> bool:
    """Take ``role`` for ``event`` away from the person at ``email``; False if they had none.

    Someone left with no role of that kind on any event also leaves its group (and, for
    organizers, the admin), unless they are the site's staff.
    """
    User = get_user_model()
    with transaction.atomic():
        person = {"user": user} if user is not None else {"user__email__iexact": email.strip()}
        event_role = EventRole.objects.select_related("user").filter(
            event=event, role=role, **person
        ).first()
        if event_role is None:
            return False
        user = event_role.user
        if role == Role.ORGANIZER and event.roles.filter(role=Role.ORGANIZER).count() == 1 \
                and not user.is_superuser:
            raise AgendaError("last_organizer", _(
                "%(email)s is the event's last organizer: add another before removing them."
            ) % {"email": user.email}, status_code=409)
        audit.record(event=event, action="role_revoked", target=event_role,
                     changes={"role": [role, None], "person": [user.email, None]})
        event_role.delete()
        if not EventRole.objects.filter(user=user, role=role).exists():
            group = Group.objects.filter(name=ROLE_GROUPS[role]).first()
            if group is not None:
                user.groups.remove(group)
            if role == Role.ORGANIZER and not user.is_superuser:
                User.objects.filter(pk=user.pk).update(is_staff=False)
    return True
