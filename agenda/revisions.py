"""Cache validation: keep ``Event.content_revision`` in step with what the event's feeds show.

A conditional request for a feed (``If-None-Match``) is answered from the event's own row
(``agenda.feeds.selectors``), so that row must move whenever anything the feeds show moves.
The event's own fields move its ``updated_at``; its sessions, tracks, rooms, speakers and
topics live in other rows, and the receivers here raise the event's ``content_revision`` when
one of them is saved or deleted. Links (a session's speakers, an event's topics) change
``link_checksum`` instead: adding a link adds a hash of it and removing it subtracts the same
hash, so a feed whose links are put back as they were gets its old ETag back. Either way
``content_changed_at`` is set, and Last-Modified follows it.

This is infrastructure, like an index the database keeps: it decides nothing and sends
nothing, so it is not a business rule and does not live in ``services``. It must see every
write, from a service, the admin, the demo loader or a shell, and receivers are where every
ORM save, delete and link change passes. Each bump is a plain UPDATE in the writer's own
transaction: the validator commits, or rolls back, with the data.

What is not seen: ``QuerySet.update()``, deliberately for the seat counters (no feed shows
them); ``bulk_create``, which the demo loader uses for the sessions and links of an event it
has just created (the new event row is a new state anyway); and rows written through the link
tables' own managers. ``agenda.feeds.selectors`` also sums the names of the few topics, tracks
and rooms of an event, so those renamed with ``update()`` move the state too.

The stored VEVENTs of the event feed (``agenda.feeds.store``) are kept the same way, one
session at a time: a session's own save raises its ``feed_revision`` (``RevisionField``), and
the receivers here raise it, in the same transaction, for every session whose item a change
elsewhere shows: its speakers (saved, deleted, linked, unlinked), its room or track (saved or
deleted) and its event's topics. A change of the event's own row, or a name changed with
``update()``, moves the event's state instead, which keys every stored VEVENT of it.

Connected in ``AgendaConfig.ready()``.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from .models import Event, Room, Session, Speaker, Tag, Track

# Rows that belong to one event, through their ``event`` foreign key.
_EVENT_PARTS = (Session, Track, Room)

# Per link table: its two foreign keys, and the path from a link to its event.
_LINKS = {
    Session.speakers.through: ("session_id", "speaker_id", "session__event_id"),
    Event.tags.through: ("event_id", "tag_id", "event_id"),
}


def bump_events(
    events: Iterable[int] | QuerySet, *, changed_at: dt.datetime | None = None
) -> None:
    """Raise the content revision of ``events`` (ids, or a query of ids) in one UPDATE, and
    set their ``content_changed_at`` to ``changed_at`` (now by default)."""
    Event.objects.filter(pk__in=events).update(
        content_revision=F("content_revision") + 1,
        content_changed_at=changed_at or timezone.now(),
    )


def bump_sessions(sessions: Iterable[int] | QuerySet) -> None:
    """Raise the ``feed_revision`` of ``sessions`` (ids, or a query of ids) in one UPDATE:
    their stored VEVENTs no longer count."""
    Session.objects.filter(pk__in=sessions).update(feed_revision=F("feed_revision") + 1)


def _link_hash(through: type, left_id: int, right_id: int) -> int:
    # 40 bits: sums of millions of links stay far inside a signed 64-bit column.
    key = f"{through._meta.db_table}:{left_id}:{right_id}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=5).digest(), "big")


def _deleted_with_its_event(origin: object) -> bool:
    # The event's own row goes too: nothing left to raise.
    return isinstance(origin, Event) or (isinstance(origin, QuerySet) and origin.model is Event)


def _events_of_speaker(speaker: Speaker) -> QuerySet:
    return Session.objects.filter(speakers=speaker).values("event_id")


def _events_of_tag(tag: Tag) -> QuerySet:
    return Event.tags.through.objects.filter(tag=tag).values("event_id")


def part_moving(
    sender: type, instance: Session | Track | Room, update_fields=None, **kwargs
) -> None:
    """An existing session, track or room moved to another event: raise the one it leaves."""
    if instance.pk is None or (update_fields is not None and "event" not in update_fields):
        return
    # Usually matches nothing; the event it goes to is raised after the save.
    left_behind = sender.objects.filter(pk=instance.pk).exclude(event_id=instance.event_id)
    bump_events(left_behind.values("event_id"))


def part_saved(
    sender: type, instance: Session | Track | Room, created: bool = False, update_fields=None,
    **kwargs,
) -> None:
    bump_events([instance.event_id], changed_at=getattr(instance, "updated_at", None))
    if sender is Session:
        if update_fields is not None and "feed_revision" not in update_fields:
            # A save of some fields only leaves the RevisionField out of its UPDATE.
            bump_sessions([instance.pk])
    elif not created:
        bump_sessions(_sessions_of_part(sender, instance))


def part_deleting(sender: type, instance: Track | Room, origin=None, **kwargs) -> None:
    # Before the delete: afterwards its sessions no longer point at it.
    if not _deleted_with_its_event(origin):
        bump_sessions(_sessions_of_part(sender, instance))


def part_deleted(sender: type, instance: Session | Track | Room, origin=None, **kwargs) -> None:
    if not _deleted_with_its_event(origin):
        bump_events([instance.event_id])


def _sessions_of_part(sender: type, instance: Track | Room) -> QuerySet:
    field = "track" if sender is Track else "room"
    return Session.objects.filter(**{field: instance.pk}).values("pk")


def speaker_saved(sender: type, instance: Speaker, created: bool, **kwargs) -> None:
    if not created:  # a new speaker is on no session yet
        bump_events(_events_of_speaker(instance), changed_at=instance.updated_at)
        bump_sessions(_sessions_of_speaker(instance))


def speaker_deleting(sender: type, instance: Speaker, **kwargs) -> None:
    # Before the delete: afterwards its links, and so its events, are gone.
    bump_events(_events_of_speaker(instance))
    bump_sessions(_sessions_of_speaker(instance))


def _sessions_of_speaker(speaker: Speaker) -> QuerySet:
    return Session.speakers.through.objects.filter(speaker=speaker).values("session_id")


def tag_saved(sender: type, instance: Tag, created: bool, **kwargs) -> None:
    if not created:
        bump_events(_events_of_tag(instance))
        bump_sessions(Session.objects.filter(event__in=_events_of_tag(instance)).values("pk"))


def tag_deleting(sender: type, instance: Tag, **kwargs) -> None:
    bump_events(_events_of_tag(instance))
    bump_sessions(Session.objects.filter(event__in=_events_of_tag(instance)).values("pk"))


def links_changed(
    sender: type, instance: object, action: str, reverse: bool, pk_set: set | None, **kwargs
) -> None:
    """A session's speakers or an event's topics: add each new link's hash to its event's
    checksum (after the insert), subtract each removed one's (before the delete)."""
    if action not in ("post_add", "pre_remove", "pre_clear"):
        return
    left, right, event_path = _LINKS[sender]
    links = sender.objects.filter(**{right if reverse else left: instance.pk})
    if pk_set is not None:
        # Only the links that exist: remove() is given ids whether linked or not.
        links = links.filter(**{f"{left if reverse else right}__in": pk_set})
    sign = 1 if action == "post_add" else -1
    deltas: dict[int, int] = defaultdict(int)
    lefts = set()
    for left_id, right_id, event_id in links.values_list(left, right, event_path):
        deltas[event_id] += sign * _link_hash(sender, left_id, right_id)
        lefts.add(left_id)
    changed_at = timezone.now()
    for event_id, delta in deltas.items():
        Event.objects.filter(pk=event_id).update(
            link_checksum=F("link_checksum") + delta, content_changed_at=changed_at
        )
    # The sessions whose items list the speakers, or every session of the events whose
    # topics changed (each item lists them).
    if sender is Session.speakers.through:
        bump_sessions(lefts)
    elif deltas:
        bump_sessions(Session.objects.filter(event__in=list(deltas)).values("pk"))


def connect() -> None:
    for model in _EVENT_PARTS:
        name = model.__name__
        pre_save.connect(part_moving, sender=model, dispatch_uid=f"revisions.{name}.moving")
        post_save.connect(part_saved, sender=model, dispatch_uid=f"revisions.{name}.saved")
        post_delete.connect(part_deleted, sender=model, dispatch_uid=f"revisions.{name}.deleted")
    for model in (Track, Room):
        name = model.__name__
        pre_delete.connect(
            part_deleting, sender=model, dispatch_uid=f"revisions.{name}.deleting"
        )
    post_save.connect(speaker_saved, sender=Speaker, dispatch_uid="revisions.Speaker.saved")
    pre_delete.connect(speaker_deleting, sender=Speaker, dispatch_uid="revisions.Speaker.deleting")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid="revisions.Tag.saved")
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid="revisions.Tag.deleting")
    for through in _LINKS:
        m2m_changed.connect(
            links_changed, sender=through, dispatch_uid=f"revisions.{through.__name__}.links"
        )
