"""What the public feeds hold, and the cheap state their validators (ETag, Last-Modified) use.

A feed's state is read in one statement over its events' own rows, never their sessions or
speakers, so a conditional request is answered without building the calendar, at a cost that
does not grow with the programme (the agenda's grows with its number of events). It changes
whenever the feed's bytes may change:

* an edit of the event moves its ``updated_at`` (``auto_now``);
* a session, track, room, speaker or topic saved or deleted raises the ``content_revision``
  of every event it is part of, and a speaker or topic linked or unlinked changes the event's
  ``link_checksum``: ``agenda.revisions`` keeps both, in the writer's transaction, and sets
  ``content_changed_at``, which Last-Modified follows;
* a deleted, new or no longer public event changes the agenda's count or latest id;
* the lengths of the names of an event's topics, tracks and rooms (a handful of rows, read
  through their indexes) are summed as well, so that one renamed with ``QuerySet.update()``,
  which sends no signal, moves the state too when its length changes.

Seat counters are written with ``QuerySet.update()`` and move none of these: they are not in
feeds, so polling clients are not sent a new feed each time somebody registers.
"""

import datetime as dt
import functools
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import QueryDict

from agenda.composed import statement_cursor
from agenda.filters import EventFilter
from agenda.models import Event, Room, Session, Speaker, Tag, Track
from agenda.selectors import PUBLIC_STATUSES

from .options import FeedQueryError

# Past events stay in the agenda feed for this long after they end. A subscribed client deletes
# whatever leaves the feed, so a past event must outlive the time anyone looks back at it; a
# year and a month covers "same time last year". Future events are always in the feed.
AGENDA_FEED_PAST = dt.timedelta(days=400)

AGENDA_FILTERS = tuple(EventFilter.base_filters)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What a feed's bytes depend on in the database.

    ``found``: the feed has its event (always True for the agenda); ``event_id``: the one
    event it is about, if so; ``parts``: opaque, hashable values that go into the ETag;
    ``shared``: those of them that every session's item depends on (the event's row and the
    names of its tracks and rooms, not the revisions its sessions raise), which with
    ``topics`` (the names of the event's topics, in order) key the stored VEVENTs
    (``agenda.feeds.store``).
    """

    found: bool
    event_id: int | None
    last_modified: dt.datetime | None
    parts: tuple[Any, ...]
    shared: tuple[Any, ...] = ()
    topics: tuple[str, ...] = ()


# --- State ---------------------------------------------------------------------------------
#
# Plain SQL that SQLite and PostgreSQL both run, rather than ORM expressions, because it is all
# that a conditional request costs: composing the same query with the ORM took longer than
# running it, many times over. "{name}" stands for a table, "%s" for a parameter.

# One event's row, the names of its topics (a JSON array, in the order of ``Tag.Meta``, which
# the stored VEVENTs list them in), and the lengths of the names of its tracks and rooms.
_EVENT_STATE = (
    "SELECT e.id, e.updated_at, e.content_changed_at, e.content_revision, e.link_checksum,"
    " {topics},"
    " (SELECT SUM(LENGTH(name)) FROM {track} WHERE event_id = e.id),"
    " (SELECT SUM(LENGTH(name)) FROM {room} WHERE event_id = e.id)"
    " FROM {event} e"
)
_TOPICS = {
    "postgresql": (
        "(SELECT json_agg(t.name ORDER BY t.name) FROM {event_tags} l"
        " JOIN {tag} t ON t.id = l.tag_id WHERE l.event_id = e.id)"
    ),
    # SQLite before 3.44 orders no aggregate: the rows come ordered from a subquery.
    "sqlite": (
        "(SELECT json_group_array(name) FROM (SELECT t.name AS name FROM {event_tags} l"
        " JOIN {tag} t ON t.id = l.tag_id WHERE l.event_id = e.id ORDER BY t.name))"
    ),
}
# The public statuses are two: published and cancelled.
_PUBLIC = tuple(str(status) for status in PUBLIC_STATUSES)
_EVENT_BY_SLUG = _EVENT_STATE + " WHERE e.slug = %s AND e.status IN (%s, %s)"
_EVENT_BY_ID = _EVENT_STATE + " WHERE e.id = %s"
_EVENT_OF_SESSION = (
    _EVENT_STATE + " JOIN {session} s ON s.event_id = e.id"
    " WHERE s.uuid = %s AND e.status IN (%s, %s)"
)

# The same over the agenda's events (``feed_events``): it shows no rooms.
_AGENDA_STATE = (
    "WITH feed_events(id) AS ({events_sql})"
    " SELECT COUNT(*), MAX(e.id), MAX(e.updated_at), MAX(e.content_changed_at),"
    " SUM(e.content_revision), SUM(e.link_checksum),"
    " (SELECT SUM(LENGTH(t.name)) FROM {event_tags} l JOIN {tag} t ON t.id = l.tag_id"
    " WHERE l.event_id IN (SELECT id FROM feed_events)),"
    " (SELECT SUM(LENGTH(name)) FROM {track} WHERE event_id IN (SELECT id FROM feed_events))"
    " FROM {event} e WHERE e.id IN (SELECT id FROM feed_events)"
)


@functools.lru_cache(maxsize=64)
def _with_tables(template: str, vendor: str, **values: str) -> str:
    """``template`` with the quoted names of the agenda's tables (never user input) for the
    database ``vendor``, and ``values`` (SQL the ORM wrote)."""
    tables = {
        "event": Event, "event_tags": Event.tags.through, "tag": Tag, "track": Track,
        "session": Session, "room": Room,
    }
    quote = connection.ops.quote_name
    names = {name: quote(model._meta.db_table) for name, model in tables.items()}
    if "{topics}" in template:
        template = template.replace("{topics}", _TOPICS.get(vendor, _TOPICS["postgresql"]))
    return template.format(**names, **values)


def _as_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    """An aware datetime: PostgreSQL gives one, SQLite the UTC Django wrote, as a naive
    datetime for a column and as text for an aggregate."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC)


def _latest(*moments: dt.datetime | str | None) -> dt.datetime | None:
    known = [_as_datetime(moment) for moment in moments if moment is not None]
    return max(known) if known else None


_NOT_FOUND = FeedState(found=False, event_id=None, last_modified=None, parts=())


def _event_state(template: str, params: list) -> FeedState:
    database = connections[DEFAULT_DB_ALIAS]
    # Every conditional request runs it: prepared where the database can (planning it cost
    # PostgreSQL twice what running it did).
    with statement_cursor() as cursor:
        cursor.execute(_with_tables(template, database.vendor), params)
        row = cursor.fetchone()
    if row is None:
        return _NOT_FOUND
    event_id, updated_at, content_changed_at, *counted = row
    last_modified = _as_datetime(updated_at)
    if content_changed_at is not None:
        last_modified = max(last_modified, _as_datetime(content_changed_at))
    revision, checksum, topics, *name_lengths = counted
    if isinstance(topics, str):  # SQLite's JSON is text, PostgreSQL's already a list
        topics = json.loads(topics)
    topics = tuple(topics or ())
    # What the sum of the lengths of the topics' names was in SQL: NULL without topics.
    topics_length = sum(len(name) for name in topics) if topics else None
    return FeedState(
        found=True,
        event_id=event_id,
        last_modified=last_modified,
        # Not content_changed_at: a link removed again gives back the old ETag.
        parts=("event", event_id, updated_at, revision, checksum, topics_length, *name_lengths),
        shared=(event_id, str(updated_at), *name_lengths),
        topics=topics,
    )


def event_state_by_slug(slug: str) -> FeedState:
    """The state of the feeds of the published or cancelled event ``slug``; not ``found``
    for a draft or an unknown slug."""
    return _event_state(_EVENT_BY_SLUG, [slug, *_PUBLIC])


def event_state_by_id(event_id: int) -> FeedState:
    """The state of the feeds of event ``event_id``, whatever its status."""
    return _event_state(_EVENT_BY_ID, [event_id])


def session_state(session_uuid: uuid.UUID) -> FeedState:
    """The state of the event of session ``session_uuid``; not ``found`` unless the event is
    published or cancelled."""
    uuid_value = Session._meta.get_field("uuid").get_db_prep_value(session_uuid, connection)
    return _event_state(_EVENT_OF_SESSION, [uuid_value, *_PUBLIC])


def agenda_state(events: QuerySet[Event]) -> FeedState:
    """The state of the agenda feed over ``events`` (found even when empty)."""
    events_sql, params = events.order_by().values("pk").query.sql_with_params()
    sql = _with_tables(_AGENDA_STATE, connection.vendor, events_sql=events_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, last_id, updated_at, content_changed_at, *counted = cursor.fetchone()
    return FeedState(
        found=True,
        event_id=None,
        last_modified=_latest(updated_at, content_changed_at),
        parts=("agenda", count, last_id, updated_at, *counted),
    )


# --- The agenda feed ----------------------------------------------------------------------


def agenda_feed_events(filters: QueryDict, *, now: dt.datetime) -> QuerySet[Event]:
    """Published and cancelled events that end after ``now`` less ``AGENDA_FEED_PAST``,
    narrowed by the events API's filters (``kind``, ``format``, ``tag``, ``track``, ...).

    Raises ``FeedQueryError`` when a filter value is malformed.
    """
    events = Event.objects.filter(status__in=PUBLIC_STATUSES, end__gte=now - AGENDA_FEED_PAST)
    filterset = EventFilter(data=filters, queryset=events)
    if not filterset.is_valid():
        raise FeedQueryError(
            {
                name: [str(message) for message in messages]
                for name, messages in filterset.errors.items()
            }
        )
    return filterset.qs


def agenda_feed_rows(events: QuerySet[Event]) -> list[Event]:
    """The events of the agenda feed in order, with their topics and tracks."""
    return list(events.prefetch_related("tags", "tracks").order_by("start", "slug", "pk"))


# --- One event, one session ---------------------------------------------------------------


def event_by_id(event_id: int) -> Event | None:
    return Event.objects.filter(pk=event_id).first()


def session_with_event(session_uuid: uuid.UUID) -> Session | None:
    """The session ``session_uuid`` with its event, room and track."""
    return (
        Session.objects.filter(uuid=session_uuid)
        .select_related("event", "room", "track")
        .first()
    )


def speakers_in_order() -> Prefetch:
    return Prefetch(
        "speakers", queryset=Speaker.objects.order_by("organization", "role", "name", "pk")
    )


def event_feed_sessions(event: Event, *, only: Iterable[int] | None = None) -> list[Session]:
    """The sessions of ``event`` in order (those of ids ``only``, if given), with room, track
    and speakers; each one's ``event`` is ``event`` itself (no query per session)."""
    sessions = event.sessions.all()
    if only is not None:
        sessions = sessions.filter(pk__in=list(only))
    return list(
        sessions.select_related("room", "track")
        .prefetch_related(speakers_in_order())
        .order_by("start", "title", "pk")
    )


def with_categories(events: Iterable[Event], *, tracks: bool = True) -> None:
    """Load the topics (and tracks) of ``events``, which their items list as categories."""
    lookups = ["tags", "tracks"] if tracks else ["tags"]
    prefetch_related_objects(list(events), *lookups)


def with_speakers(sessions: Iterable[Session]) -> None:
    """Load the speakers of ``sessions`` in the order items list them."""
    prefetch_related_objects(list(sessions), speakers_in_order())
