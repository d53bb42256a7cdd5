"""Writes to the agenda. Every entry point (admin, commands, later APIs) goes through these.

A change to time, place or status raises the item's ``sequence`` (calendar clients use it to
replace their copy) and is announced with a domain signal from ``agenda.signals`` inside the
same transaction.
"""

from collections.abc import Iterable
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from . import images, signals
from .enums import EventStatus, SessionStatus
from .models import Event, Session, Speaker

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
