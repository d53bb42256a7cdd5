"""Reading ``timestamptz`` columns at the speed of psycopg's C loader, with Django's result.

Django reads every ``timestamptz`` with a Python subclass of psycopg's pure-Python loader
(``psycopg_any.BaseTzLoader``: parse the text, then set the connection's time zone), because
its time zone may differ from the session's. That parse cost about 12 µs a column: an event's
row holds eight, so a registration spent more on reading the event's timestamps than the
database spent finding the row. Where Django's zone is UTC, which the session's then is too
(Django sets it), psycopg's C loader gives the same datetimes; ``UtcTimestampLoader`` uses it
and sets UTC exactly as Django's does. tests/test_postgresql_backend.py reads the same values
through both, edge cases included.
"""

import datetime as dt

from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ = adapters.types["timestamptz"].oid
# psycopg's own: its C implementation where psycopg is installed with it (psycopg[binary]).
_FAST = adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class UtcTimestampLoader(Loader):
    """Django's ``SpecificTzLoader`` for UTC, parsing with psycopg's fastest loader."""

    # What Django compares with its connection's zone before each cursor: equal, nothing to do.
    timezone = dt.UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._load = _FAST(oid, context).load

    def load(self, data):
        value = self._load(data)
        # As Django's: the session's zone is UTC; should it not be, UTC is set, not converted.
        return value if value.tzinfo is dt.UTC else value.replace(tzinfo=dt.UTC)


def fast_loader_applies(connection_timezone) -> bool:
    """Whether Django's connection reads timestamps in UTC (USE_TZ, no database TIME_ZONE)
    and psycopg has a loader faster than Django's."""
    return connection_timezone is dt.UTC and _FAST.__module__ != "psycopg.types.datetime"
