"""The event feed from stored VEVENTs: each session's VEVENT is built once and kept, in bytes.

A feed of two thousand sessions is mostly the same two thousand VEVENTs, poll after poll:
building them is nearly all of its cost. So the bytes of each session's VEVENT are kept in
``FeedVevent`` (in the database: they survive a restart and every web process shares them),
and a feed is its head, the stored VEVENTs joined, and its end (``agenda.ical.assemble``).

A stored VEVENT counts only while nothing it shows has changed:

* its ``revision`` must be the session's ``feed_revision``, which every save of the session
  raises, and ``agenda.revisions`` raises in the writer's transaction whenever its speakers,
  room, track or its event's topics change: an edit invalidates exactly the VEVENTs it
  changes, and a rolled back edit none;
* its ``event_key`` must be the key of the event's current state (its own row, which every
  save moves, and the names of its topics, tracks and rooms), the site's address and the
  language: an edit of the event invalidates every VEVENT of it, as it changes their DTSTAMP.

The revisions and the key are read before the data a VEVENT is built from, so a VEVENT built
while an edit commits is stored under the revision before the edit, and built again next
time; never the other way round. ``build_plainly`` (``FEED_STORE = False``) builds every
VEVENT from the database instead; the tests compare the two byte for byte.
"""

import hashlib
import json

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils.translation import get_language

from agenda import ical
from agenda.models import Event, FeedVevent

from . import items, selectors

# Raise whenever the bytes of a stored VEVENT change for the same data (with the feeds' own
# FEED_FORMAT_VERSION), so that every stored VEVENT is built again.
STORE_FORMAT_VERSION = 1

# Every session of the event with its stored VEVENT in this language, if any, in feed order
# (``selectors.event_feed_sessions``'s). "{name}" stands for a table, "%s" for a parameter.
_STORED = (
    "SELECT s.id, s.feed_revision, v.revision, v.event_key, v.body, v.alarm,"
    " v.zone_first_year, v.zone_last_year"
    " FROM {session} s LEFT JOIN {vevent} v ON v.session_id = s.id AND v.language = %s"
    " WHERE s.event_id = %s ORDER BY s.start, s.title, s.id"
)


def enabled() -> bool:
    """Whether feeds use the stored VEVENTs (``FEED_STORE``, on unless set to False)."""
    return getattr(settings, "FEED_STORE", True)


def event_key(state: selectors.FeedState, language: str) -> str:
    """What every stored VEVENT of the event depends on besides its session, as a key."""
    from .responses import FEED_FORMAT_VERSION

    text = json.dumps(
        (
            STORE_FORMAT_VERSION, FEED_FORMAT_VERSION, settings.SITE_URL,
            settings.SITE_DOMAIN, language, state.shared, state.topics,
        ),
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def session_pieces(state: selectors.FeedState) -> tuple[Event, list[ical.VeventPiece]] | None:
    """The event of ``state`` and the VEVENTs of its sessions in feed order, from the store
    where they are current; the others are built, and stored for next time. None when the
    event has no sessions (or is gone).

    ``state`` is the event's state, read before this call (``selectors.event_state_by_*``).
    """
    language = get_language() or settings.LANGUAGE_CODE
    key = event_key(state, language)
    database = connections[DEFAULT_DB_ALIAS]
    sql = selectors._with_tables(_STORED, database.vendor, vevent=_quoted(FeedVevent))
    with database.cursor() as cursor:
        cursor.execute(sql, [language, state.event_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    stored: dict[int, tuple] = {}
    stale: dict[int, int] = {}  # session id -> its revision, read before building it
    for session_id, current, revision, stored_key, body, alarm, first, last in rows:
        if revision == current and stored_key == key:
            stored[session_id] = (body, alarm, None if first is None else (first, last))
        else:
            stale[session_id] = current
    event, pieces = None, {}
    if stale:
        event, pieces = _build(state, stale, every=len(stale) == len(rows), key=key,
                               language=language)
    if event is None:
        event = selectors.event_by_id(state.event_id)
        if event is None:
            return None
    for session_id, (body, alarm, zone_years) in stored.items():
        pieces[session_id] = ical.VeventPiece(
            body=body, alarm=alarm, timezone=event.timezone, zone_years=zone_years
        )
    # A session deleted in between has no piece: the feed is newer than its ETag, and the
    # next poll fetches it again.
    return event, [pieces[row[0]] for row in rows if row[0] in pieces]


def build_plainly(event: Event) -> list[ical.FeedItem]:
    """Every session's item, from the database (the path the store is checked against)."""
    sessions = selectors.event_feed_sessions(event)
    selectors.with_categories([event], tracks=False)
    return items.session_items(sessions)


def _build(
    state: selectors.FeedState, stale: dict[int, int], *, every: bool, key: str, language: str
) -> tuple[Event | None, dict[int, ical.VeventPiece]]:
    """Build the VEVENTs of the sessions ``stale`` names (``every`` session of the event) and
    store them under the revision given for each; with the event, when a session was left."""
    # The event once, not its columns again on every session's row.
    event = selectors.event_by_id(state.event_id)
    if event is None:
        return None, {}
    sessions = selectors.event_feed_sessions(event, only=None if every else stale.keys())
    # Sessions added since the revisions were read wait for the next poll.
    sessions = [session for session in sessions if session.pk in stale]
    if not sessions:
        return None, {}
    built = {
        session.pk: ical.vevent_piece(item)
        for session, item in zip(
            sessions, items.session_items(sessions, topics=state.topics), strict=True
        )
    }
    _store(
        [
            (
                session_id, language, stale[session_id], key, piece.body, piece.alarm,
                None if piece.zone_years is None else piece.zone_years[0],
                None if piece.zone_years is None else piece.zone_years[1],
            )
            for session_id, piece in built.items()
        ]
    )
    return event, built


# The columns of a stored VEVENT, in the order of the rows ``_store`` is given.
_COLUMNS = (
    "session_id", "language", "revision", "event_key", "body", "alarm", "zone_first_year",
    "zone_last_year",
)
_UPSERT = (
    "INSERT INTO {vevent} ({columns}) {values}"
    " ON CONFLICT (session_id, language) DO UPDATE SET {updates}"
)
# PostgreSQL: every row in one statement of eight parameters (arrays), where a VALUES list
# would be 8 parameters a row for the driver to splice into the query text.
_UNNEST = (
    "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[], %s::varchar[],"
    " %s::bytea[], %s::bytea[], %s::integer[], %s::integer[])"
)


def _store(rows: list[tuple]) -> None:
    """Keep ``rows`` (values of ``_COLUMNS``), replacing what each session had in that
    language: one statement on PostgreSQL, one prepared statement run per row elsewhere."""
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    updates = ", ".join(
        f"{quote(column)} = excluded.{quote(column)}" for column in _COLUMNS[2:]
    )
    postgresql = database.vendor == "postgresql"
    sql = _UPSERT.format(
        vevent=_quoted(FeedVevent),
        columns=", ".join(quote(column) for column in _COLUMNS),
        values=_UNNEST if postgresql else "VALUES (" + ", ".join(["%s"] * len(_COLUMNS)) + ")",
        updates=updates,
    )
    try:
        with transaction.atomic(savepoint=False), database.cursor() as cursor:
            if postgresql:
                cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            else:
                cursor.executemany(sql, rows)
    except IntegrityError:
        # A session deleted meanwhile: nothing to keep for it, and the feed is served anyway.
        # (Feeds are read outside any transaction, so the error ends nothing but this one.)
        pass


def _quoted(model) -> str:
    return connections[DEFAULT_DB_ALIAS].ops.quote_name(model._meta.db_table)

