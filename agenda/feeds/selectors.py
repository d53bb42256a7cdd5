"""What the public feeds hold, and the cheap state their validators (ETag, Last-Modified) use.

A feed's state is read in one statement of counts, sums and latest ``updated_at`` over every
row the feed shows, so a conditional request is answered without building the calendar. It
changes whenever the feed's bytes may change:

* an edit, a cancellation or a new row moves a latest ``updated_at`` (``auto_now``);
* a deletion lowers a count;
* a speaker, topic, room or track added to or removed from a session or event changes a count
  or a sum of ids, and a renamed topic, room or track changes a sum of name lengths (those rows
  carry no timestamp; a rename to a name of the same length shows at the next edit).

Seat counters are written with ``QuerySet.update()`` and leave ``updated_at`` alone: they are
not in feeds, so polling clients are not sent a new feed each time somebody registers.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from agenda.api.filters import EventFilter
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
    event it is about, if so; ``parts``: opaque values that go into the ETag.
    """

    found: bool
    event_id: int | None
    last_modified: dt.datetime | None
    parts: tuple[Any, ...]


# --- State --------------------------------------------------------------------------------
#
# One statement of single-row aggregates, one pass over each table, in SQL that SQLite and
# PostgreSQL both run. Plain SQL rather than ORM expressions because it is all that a
# conditional request costs: composing the same query with the ORM took longer than running
# it, many times over.


# The parts of the statement; "{name}" stands for a table, "%s" for a parameter.
_EVENT_PARTS = (
    (
        "(SELECT COUNT(*) AS n, MAX(id) AS last_id, MAX(updated_at) AS changed FROM {event}"
        " WHERE id IN (SELECT id FROM feed_events)) events",
        "events.n, events.last_id, events.changed",
    ),
    (
        "(SELECT COUNT(*) AS n, SUM(l.tag_id) AS ids, SUM(LENGTH(t.name)) AS names"
        " FROM {event_tags} l JOIN {tag} t ON t.id = l.tag_id"
        " WHERE l.event_id IN (SELECT id FROM feed_events)) tags",
        "tags.n, tags.ids, tags.names",
    ),
    (
        "(SELECT COUNT(*) AS n, SUM(LENGTH(name)) AS names FROM {track}"
        " WHERE event_id IN (SELECT id FROM feed_events)) tracks",
        "tracks.n, tracks.names",
    ),
)
_PROGRAMME_PARTS = (
    (
        "(SELECT COUNT(*) AS n, MAX(updated_at) AS changed FROM {session}"
        " WHERE event_id IN (SELECT id FROM feed_events)) sessions",
        "sessions.n, sessions.changed",
    ),
    (
        "(SELECT COUNT(*) AS n, SUM(l.speaker_id) AS ids, MAX(p.updated_at) AS changed"
        " FROM {session_speakers} l JOIN {session} s ON s.id = l.session_id"
        " JOIN {speaker} p ON p.id = l.speaker_id"
        " WHERE s.event_id IN (SELECT id FROM feed_events)) speakers",
        "speakers.n, speakers.ids, speakers.changed",
    ),
    (
        "(SELECT COUNT(*) AS n, SUM(LENGTH(name)) AS names FROM {room}"
        " WHERE event_id IN (SELECT id FROM feed_events)) rooms",
        "rooms.n, rooms.names",
    ),
)
# Positions of the latest ``updated_at`` values in a state row.
_CHANGED_COLUMNS = (2, 9, 12)

# The public statuses are two (PUBLIC_STATUSES): published and cancelled.
_EVENT_BY_SLUG = "SELECT id FROM {event} WHERE slug = %s AND status IN (%s, %s)"
_EVENT_BY_ID = "SELECT id FROM {event} WHERE id = %s"
_EVENT_OF_SESSION = (
    "SELECT s.event_id FROM {session} s JOIN {event} e ON e.id = s.event_id"
    " WHERE s.uuid = %s AND e.status IN (%s, %s)"
)


@functools.lru_cache(maxsize=32)
def _with_tables(template: str, vendor: str) -> str:
    """``template`` with the quoted names of the agenda's tables (never user input), for the
    database ``vendor``."""
    tables = {
        "event": Event, "event_tags": Event.tags.through, "tag": Tag, "track": Track,
        "session": Session, "session_speakers": Session.speakers.through,
        "speaker": Speaker, "room": Room,
    }
    return template.format(
        **{name: connection.ops.quote_name(model._meta.db_table) for name, model in tables.items()}
    )


@functools.lru_cache(maxsize=64)
def _state_sql(events_sql: str, programme: bool, vendor: str) -> str:
    """The state of the events ``events_sql`` selects (one column of ids, with ``%s``
    parameters), and of their sessions, speakers and rooms when ``programme``. ``vendor``
    keys the cache: table names are quoted for the database."""
    parts = _EVENT_PARTS + (_PROGRAMME_PARTS if programme else ())
    select = ", ".join(columns for _, columns in parts)
    joined = " CROSS JOIN ".join(_with_tables(source, vendor) for source, _ in parts)
    return f"WITH feed_events(id) AS ({events_sql}) SELECT {select} FROM {joined}"  # noqa: S608


def _as_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    # PostgreSQL gives aware datetimes; SQLite gives back the UTC text Django wrote.
    if isinstance(value, str):
        return parse_datetime(value).replace(tzinfo=dt.UTC)
    return value


def _read_state(kind: str, events_sql: str, params: list, *, programme: bool) -> FeedState:
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(events_sql, programme, connection.vendor), params)
        row = cursor.fetchone()
    count, last_id = row[0], row[1]
    changed = [_as_datetime(row[index]) for index in _CHANGED_COLUMNS if index < len(row)]
    known = [moment for moment in changed if moment is not None]
    return FeedState(
        found=count > 0,
        event_id=last_id if count == 1 else None,
        last_modified=max(known) if known else None,
        parts=(kind, *row),
    )


def _public_statuses() -> list[str]:
    return [str(status) for status in PUBLIC_STATUSES]


def event_state_by_slug(slug: str) -> FeedState:
    """The state of the feeds of the published or cancelled event ``slug``; not ``found``
    for a draft or an unknown slug."""
    sql = _with_tables(_EVENT_BY_SLUG, connection.vendor)
    return _read_state("event", sql, [slug, *_public_statuses()], programme=True)


def event_state_by_id(event_id: int) -> FeedState:
    """The state of the feeds of event ``event_id``, whatever its status."""
    sql = _with_tables(_EVENT_BY_ID, connection.vendor)
    return _read_state("event", sql, [event_id], programme=True)


def session_state(session_uuid: uuid.UUID) -> FeedState:
    """The state of the event of session ``session_uuid``; not ``found`` unless the event is
    published or cancelled."""
    uuid_value = Session._meta.get_field("uuid").get_db_prep_value(session_uuid, connection)
    sql = _with_tables(_EVENT_OF_SESSION, connection.vendor)
    return _read_state("event", sql, [uuid_value, *_public_statuses()], programme=True)


def agenda_state(events: QuerySet[Event]) -> FeedState:
    """The state of the agenda feed over ``events`` (found even when empty)."""
    events_sql, params = events.order_by().values("pk").query.sql_with_params()
    state = _read_state("agenda", events_sql, list(params), programme=False)
    return FeedState(
        found=True, event_id=None, last_modified=state.last_modified, parts=state.parts
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


def event_feed_sessions(event: Event) -> list[Session]:
    """The sessions of ``event`` in order, with room, track and speakers; each one's
    ``event`` is ``event`` itself (no query per session)."""
    return list(
        event.sessions.select_related("room", "track")
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
