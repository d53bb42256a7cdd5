"""Writes to the agenda. Every entry point (admin, commands, later APIs) goes through these.

A change to time, place or status raises the item's ``sequence`` (calendar clients use it to
replace their copy) and is announced with a domain signal from ``agenda.signals`` inside the
same transaction.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, ProtectedError, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import audit, images, revisions, signals
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


def _names(items: Iterable) -> list[str]:
    return sorted(str(item) for item in items)


def _set_links(item: Event | Session, relation: str, wanted: Iterable | None) -> None:
    """Replace ``item``'s links of ``relation`` (topics, speakers) by ``wanted``, with an audit
    entry when they changed; None leaves them as they are."""
    if wanted is None:
        return
    manager = getattr(item, relation)
    wanted = list(wanted)
    old = _names(manager.all())
    manager.set(wanted)
    if old != _names(wanted):
        event = item if isinstance(item, Event) else item.event
        audit.record(event=event, action="links_changed", target=item,
                     changes={relation: [old, _names(wanted)]})


def save_event(*, event: Event, tags: Iterable[Tag] | None = None,
               move_sessions: bool = False) -> Event:
    """Validate and save ``event``, created or edited; ``tags``, when given, become its topics;
    with ``move_sessions``, its sessions move by as much wall-clock time as its start did
    (each saved, and announced, as a session change).

    Side effects: raises ``sequence`` when time, place or status changed; sends
    ``event_changed`` for such changes to a non-draft event, ``event_published`` (then
    ``session_published`` for each of its sessions) when it became published, and
    ``event_capacity_changed`` when the capacity changed (the registrations floor promotes
    from the waitlist).
    """
    with transaction.atomic():
        if move_sessions and event.pk:
            event.sessions_follow = True
            _move_sessions_along(event)
        before, changes = _save_tracked(event, EVENT_SCHEDULE_FIELDS)
        _set_links(event, "tags", tags)
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


def save_session(*, session: Session, speakers: Iterable[Speaker] | None = None) -> Session:
    """Validate and save ``session``, created or edited; ``speakers``, when given, become its
    speakers.

    Side effects: raises ``sequence`` when time, room or status changed; sends
    ``session_changed`` for such changes in a non-draft event, ``session_published`` for a
    new session of a published event, and ``session_capacity_changed`` when its capacity
    changed.
    """
    with transaction.atomic():
        # Lock order is always event, then session: registrations lock the event first too.
        Event.objects.select_for_update().filter(pk=session.event_id).first()
        before, changes = _save_tracked(session, SESSION_SCHEDULE_FIELDS)
        _set_links(session, "speakers", speakers)
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


def reinstate_session(*, session: Session) -> Session:
    """Schedule a cancelled session again (its attendees' choices were kept)."""
    session.status = SessionStatus.SCHEDULED
    return save_session(session=session)


def delete_session(*, session: Session) -> None:
    """Delete a session; its attendees' seats in it go with it (the event seat stays)."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=session.event_id).first()
        audit.record(event=session.event, action="deleted", target=session)
        session.delete()


# --- Rooms, tracks and speakers (the organizer area's programme pages) -------------------


def _save_part(item: Room | Track | Speaker, *, event: Event | None) -> None:
    """Validate and save a row of the programme, with an audit entry under ``event``."""
    before = type(item).objects.select_for_update().filter(pk=item.pk).first() if item.pk else None
    item.full_clean()
    item.save()
    changes = audit.diff(before, item, audit.editable_fields(type(item)))
    if before is None or changes:
        audit.record(event=event, action="created" if before is None else "changed",
                     target=item, changes=changes)


def _free_track_slug(track: Track) -> str:
    base = slugify(track.name)[:90] or "track"
    taken = set(Track.objects.filter(event_id=track.event_id).exclude(pk=track.pk)
                .values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def save_room(*, room: Room) -> Room:
    """Validate and save ``room`` (created or renamed); an audit entry for its event."""
    with transaction.atomic():
        _save_part(room, event=room.event)
    return room


def delete_room(*, room: Room) -> None:
    """Delete ``room``; refused while a scheduled session takes place in it, since moving
    people out of a room is a change their attendees must hear about."""
    with transaction.atomic():
        used = room.sessions.filter(status=SessionStatus.SCHEDULED).count()
        if used:
            raise AgendaError("room_in_use", _(
                "%(count)d session(s) take place in this room: move them to another room first."
            ) % {"count": used}, status_code=409)
        audit.record(event=room.event, action="deleted", target=room)
        room.delete()


def save_track(*, track: Track) -> Track:
    """Validate and save ``track``; a new track without a slug gets one from its name (a
    renamed track keeps its slug, which feeds' filters use)."""
    with transaction.atomic():
        if not track.slug:
            track.slug = _free_track_slug(track)
        _save_part(track, event=track.event)
    return track


def delete_track(*, track: Track) -> None:
    """Delete ``track``; its sessions stay, without a track."""
    with transaction.atomic():
        audit.record(event=track.event, action="deleted", target=track)
        track.delete()


def save_speaker(*, speaker: Speaker, event: Event | None = None) -> Speaker:
    """Validate and save ``speaker``. A speaker is shared by every event whose sessions it
    speaks in: the audit entry goes to each of them (or to ``event``, where the change was
    made, for a speaker no session has yet). Who may change a shared speaker is
    ``agenda.permissions.may_change_shared``'s to say, asked by the caller."""
    with transaction.atomic():
        events = list(Event.objects.filter(sessions__speakers=speaker).distinct()) \
            if speaker.pk else []
        if not events and event is not None:
            events = [event]
        before = Speaker.objects.select_for_update().filter(pk=speaker.pk).first() \
            if speaker.pk else None
        speaker.full_clean()
        speaker.save()
        changes = audit.diff(before, speaker, audit.editable_fields(Speaker))
        if before is None or changes:
            for each in events or [None]:
                audit.record(event=each, action="created" if before is None else "changed",
                             target=speaker, changes=changes)
    return speaker


def delete_speaker(*, speaker: Speaker) -> None:
    """Delete a speaker (callers ask ``may_change_shared`` first); the sessions stay, without
    them. The audit entry goes to each event they spoke at."""
    with transaction.atomic():
        events = list(Event.objects.filter(sessions__speakers=speaker).distinct())
        for each in events or [None]:
            audit.record(event=each, action="deleted", target=speaker)
        speaker.delete()


# --- The API's event writes ------------------------------------------------------------------


def create_event(*, event: Event, organizer, tags: Iterable[Tag] | None = None) -> Event:
    """Create ``event`` (validated like any other save) with ``organizer`` as its first
    organizer, so whoever creates an event can go on managing it.

    Side effects: those of ``save_event`` and ``grant_role``.
    """
    if event.pk is not None:
        raise ValueError("create_event creates; use save_event to change an event")
    with transaction.atomic():
        save_event(event=event, tags=tags)
        if organizer is not None:
            grant_role(event=event, role=Role.ORGANIZER, user=organizer, granted_by=organizer)
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


# --- Cloning an event ------------------------------------------------------------------------


def _shifter(event: Event, new_start: dt.datetime, *, to_zone: str | None = None):
    """Moves moments of ``event`` by the wall-clock distance from its start to ``new_start``
    in the event's zone, so a 9:00 session stays at 9:00 across a change of daylight time;
    with ``to_zone``, the moved wall-clock times are read in that zone instead."""
    zone = event.tzinfo
    target = zoneinfo.ZoneInfo(to_zone) if to_zone else zone

    def wall(moment: dt.datetime, in_zone=zone) -> dt.datetime:
        return timezone.localtime(moment, in_zone).replace(tzinfo=None)

    distance = wall(new_start, target) - wall(event.start)

    def shift(moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None:
            return None
        return (wall(moment) + distance).replace(tzinfo=target)

    return shift


def _move_sessions_along(event: Event) -> int:
    """Move ``event``'s sessions as its start moved (from the stored row to ``event``), each
    through ``save_session``; returns how many moved."""
    stored = Event.objects.select_for_update().get(pk=event.pk)
    if stored.start == event.start and stored.timezone == event.timezone:
        return 0
    shift = _shifter(stored, event.start, to_zone=event.timezone)
    moved = 0
    for session in Session.objects.filter(event=event).order_by("start", "pk"):
        session.event = event  # checked against the event's new dates
        session.start, session.end = shift(session.start), shift(session.end)
        save_session(session=session)
        moved += 1
    return moved


_CLONED_EVENT_FIELDS = (
    "summary", "description", "kind", "format", "timezone", "venue_name", "venue_address",
    "online_url", "capacity", "requires_approval", "reminder_offsets",
)


def clone_event(*, event: Event, new_start: dt.datetime, slug: str, title: str,
                cloned_by) -> Event:
    """A new DRAFT event like ``event``, starting at ``new_start``: its topics, rooms, tracks
    and scheduled sessions (with their speakers linked, not copied) are copied with every
    time shifted alike; capacity and reminder settings come along, seats and registrations
    do not. ``cloned_by`` becomes its organizer.

    Side effects, in one transaction: an audit entry ``cloned`` on the new event (and the
    role's own entry and ``role_granted`` signal).
    """
    shift = _shifter(event, new_start)
    with transaction.atomic():
        clone = Event(slug=slug, title=title, status=EventStatus.DRAFT,
                      start=shift(event.start), end=shift(event.end),
                      registration_opens_at=shift(event.registration_opens_at),
                      registration_closes_at=shift(event.registration_closes_at),
                      **{name: getattr(event, name) for name in _CLONED_EVENT_FIELDS})
        if isinstance(clone.reminder_offsets, list):
            clone.reminder_offsets = list(clone.reminder_offsets)
        clone.full_clean()
        clone.save()
        clone.tags.set(event.tags.all())
        rooms = {room.pk: Room.objects.create(event=clone, name=room.name,
                                              capacity=room.capacity)
                 for room in event.rooms.all()}
        tracks = {track.pk: Track.objects.create(event=clone, name=track.name,
                                                 slug=track.slug, color=track.color)
                  for track in event.tracks.all()}
        sessions = event.sessions.filter(status=SessionStatus.SCHEDULED) \
            .prefetch_related("speakers").order_by("start", "pk")
        for session in sessions:
            copy = Session.objects.create(
                event=clone, title=session.title, abstract=session.abstract,
                start=shift(session.start), end=shift(session.end),
                room=rooms.get(session.room_id), track=tracks.get(session.track_id),
                capacity=session.capacity,
            )
            # Through the manager, so the feeds' link checksum counts the links.
            copy.speakers.set(session.speakers.all())
        audit.record(event=clone, action="cloned", target=clone,
                     changes={"cloned_from": [None, event.slug],
                              "start": [None, clone.start.isoformat()]})
        grant_role(event=clone, role=Role.ORGANIZER, user=cloned_by, granted_by=cloned_by)
    return clone


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
def set_speaker_photo(*, speaker: Speaker, upload: IO[bytes] | bytes | None) -> Speaker:
    """Give ``speaker`` a photo from an upload (``None`` removes it): resized to bounded
    sizes by ``agenda.images.resize_photo`` and stored under names hashed from the bytes.

    Side effects: writes the files to the default storage (a file already there with the
    same name is the same photo, and is kept); raises the speaker's events' feed revision
    (the speaker is saved). Files no other speaker uses are deleted once the change commits.
    """
    resized = images.resize_photo(upload) if upload is not None else None
    return store_speaker_photo(speaker=speaker, resized=resized)


def store_speaker_photo(
    *, speaker: Speaker, resized: tuple[images.ResizedPhoto, images.ResizedPhoto] | None
) -> Speaker:
    """``set_speaker_photo`` for a photo already resized (the admin form resizes it to
    say what is wrong with a file next to its field)."""
    storage = default_storage
    with transaction.atomic():
        speaker = Speaker.objects.select_for_update().get(pk=speaker.pk)
        old = [name for name in (speaker.photo.name, speaker.thumbnail.name) if name]
        if resized is None:
            speaker.photo, speaker.thumbnail = "", ""
        else:
            names = [
                item.name if storage.exists(item.name)
                else storage.save(item.name, ContentFile(item.content))
                for item in resized
            ]
            speaker.photo, speaker.thumbnail = names
        speaker.save()
        kept = {speaker.photo.name, speaker.thumbnail.name}
        unused = [
            name for name in old
            if name not in kept and not Speaker.objects.filter(
                Q(photo=name) | Q(thumbnail=name)
            ).exclude(pk=speaker.pk).exists()
        ]
        transaction.on_commit(lambda: [storage.delete(name) for name in unused])
    return speaker
