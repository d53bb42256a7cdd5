"""Writes to the agenda. Every entry point (admin, commands, later APIs) goes through these.

A change to time, place or status raises the item's ``sequence`` (calendar clients use it to
replace their copy) and is announced with a domain signal from ``agenda.signals`` inside the
same transaction.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext_lazy as _

from . import audit, revisions, signals
from .enums import EventStatus, Role, SessionStatus
from .errors import AgendaError
from .models import Event, EventRole, Room, Session, Speaker, Tag, Track
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
    ``event_changed`` for such changes to a non-draft event, ``event_published`` (then
    ``session_published`` for each of its sessions) when it became published, and
    ``event_capacity_changed`` when the capacity changed (the registrations floor promotes
    from the waitlist).
    """
    with transaction.atomic():
        before, changes = _save_tracked(event, EVENT_SCHEDULE_FIELDS)
        if before is None:
            if event.status == EventStatus.PUBLISHED:
                signals.event_published.send(sender=Event, event=event, previous_status=None)
            return event
        if changes and before.status != EventStatus.DRAFT:
            signals.event_changed.send(sender=Event, event=event, changes=changes)
        if event.status == EventStatus.PUBLISHED and before.status != EventStatus.PUBLISHED:
            signals.event_published.send(sender=Event, event=event,
                                         previous_status=before.status)
            for session in event.sessions.order_by("start", "pk"):
                signals.session_published.send(sender=Session, session=session)
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
    ``session_changed`` for such changes in a non-draft event, ``session_published`` for a
    new session of a published event, and ``session_capacity_changed`` when its capacity
    changed.
    """
    with transaction.atomic():
        # Lock order is always event, then session: registrations lock the event first too.
        Event.objects.select_for_update().filter(pk=session.event_id).first()
        before, changes = _save_tracked(session, SESSION_SCHEDULE_FIELDS)
        if before is None:
            if session.event.status == EventStatus.PUBLISHED:
                signals.session_published.send(sender=Session, session=session)
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


def create_event(*, event: Event, organizer, tags: Iterable[Tag] | None = None) -> Event:
    """Create ``event`` (validated like any other save) with ``organizer`` as its first
    organizer, so whoever creates an event can go on managing it.

    Side effects: those of ``save_event`` and ``grant_role``.
    """
    if event.pk is not None:
        raise ValueError("create_event creates; use save_event to change an event")
    with transaction.atomic():
        save_event(event=event)
        if tags is not None:
            event.tags.set(tags)
        if organizer is not None:
            grant_role(event=event, role=Role.ORGANIZER, user=organizer, granted_by=organizer)
    return event


def update_event(*, event: Event, tags: Iterable[Tag] | None = None) -> Event:
    """``save_event``, and replace the event's topics when ``tags`` is given."""
    with transaction.atomic():
        save_event(event=event)
        if tags is not None:
            before = set(event.tags.values_list("pk", flat=True))
            tags = list(tags)
            if before != {tag.pk for tag in tags}:
                event.tags.set(tags)
                audit.record(event=event, action="changed", target=event,
                             changes={"tags": [sorted(before), sorted(t.pk for t in tags)]})
    return event


def delete_event(*, event: Event) -> None:
    """Delete an event with everything of its own (sessions, rooms, tracks, roles).

    Refused (409) once anyone has registered: their registrations, emails and history would
    go with it. Cancel the event instead.
    """
    try:
        with transaction.atomic():
            Event.objects.select_for_update().filter(pk=event.pk).first()
            audit.record(event=event, action="deleted", target=event)
            event.delete()
    except ProtectedError:
        raise AgendaError("event_has_registrations", _(
            "People have registered for this event, so it cannot be deleted. Cancel it "
            "instead: its attendees are told."
        ), status_code=409) from None


def reschedule_event(*, event: Event, start: dt.datetime, end: dt.datetime) -> Event:
    """Move the event to ``start``–``end``; its sessions move with its start, keeping their
    place in the day (a session that would then fall outside the event refuses the move).

    Side effects: those of ``save_event`` (``event_changed``: attendees get a change notice,
    calendars a new revision); each moved session's ``sequence`` is raised too.
    """
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        shift = start - current.start
        if shift:
            Session.objects.filter(event=current).update(
                start=F("start") + shift, end=F("end") + shift, sequence=F("sequence") + 1
            )
            revisions.bump_events([current.pk])
        event.start, event.end = start, end
        save_event(event=event)
    return event


def reschedule_session(*, session: Session, start: dt.datetime, end: dt.datetime) -> Session:
    """Move a session; its attendees hear of it (``session_changed`` via ``save_session``)."""
    session.start, session.end = start, end
    return save_session(session=session)


def update_session(*, session: Session, speakers: Iterable[Speaker] | None = None) -> Session:
    """``save_session`` (created or edited), and replace its speakers when given."""
    with transaction.atomic():
        save_session(session=session)
        if speakers is not None:
            set_session_speakers(session=session, speakers=speakers)
    return session


def set_session_speakers(*, session: Session, speakers: Iterable[Speaker]) -> Session:
    """Replace the speakers of ``session`` (the feeds' revisions follow by themselves)."""
    with transaction.atomic():
        speakers = list(speakers)
        before = set(session.speakers.values_list("pk", flat=True))
        if before != {speaker.pk for speaker in speakers}:
            session.speakers.set(speakers)
            audit.record(event=session.event, action="changed", target=session, changes={
                "speakers": [sorted(before), sorted(speaker.pk for speaker in speakers)]
            })
    return session


def _save_plain(item: Room | Track | Speaker, *, event: Event | None) -> None:
    """Validate and save a row without schedule semantics, recording what changed."""
    before = type(item).objects.filter(pk=item.pk).first() if item.pk else None
    item.full_clean()
    item.save()
    changes = audit.diff(before, item, audit.editable_fields(type(item)))
    if before is None or changes:
        audit.record(event=event, action="created" if before is None else "changed",
                     target=item, changes=changes)


def save_room(*, room: Room) -> Room:
    """Validate and save a room of an event."""
    with transaction.atomic():
        _save_plain(room, event=room.event)
    return room


def delete_room(*, room: Room) -> None:
    """Delete a room; its sessions keep their times, without a room."""
    with transaction.atomic():
        audit.record(event=room.event, action="deleted", target=room)
        room.delete()


def save_track(*, track: Track) -> Track:
    """Validate and save a track of an event."""
    with transaction.atomic():
        _save_plain(track, event=track.event)
    return track


def delete_track(*, track: Track) -> None:
    """Delete a track; its sessions stay, without a track."""
    with transaction.atomic():
        audit.record(event=track.event, action="deleted", target=track)
        track.delete()


def save_speaker(*, speaker: Speaker) -> Speaker:
    """Validate and save a speaker (shared between events: callers ask
    ``permissions.may_change_shared`` first)."""
    with transaction.atomic():
        events = list(Event.objects.filter(sessions__speakers=speaker).distinct()) \
            if speaker.pk else []
        _save_plain(speaker, event=events[0] if len(events) == 1 else None)
    return speaker


def delete_speaker(*, speaker: Speaker) -> None:
    """Delete a speaker; the sessions stay, without them."""
    with transaction.atomic():
        events = list(Event.objects.filter(sessions__speakers=speaker).distinct())
        audit.record(event=events[0] if len(events) == 1 else None, action="deleted",
                     target=speaker)
        speaker.delete()


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
