"""Django's PostgreSQL backend, with a health check that costs no round trip while it is
healthy, and cursors whose repeated statements the server prepares.

``CONN_HEALTH_CHECKS`` makes Django test a kept connection before its first use in each request,
with a ``SELECT 1``: a round trip to the server that a feed's 304 (one query of its own) pays a
second time. An idle connection has nothing to read unless the server said something: when it
shuts down or terminates the backend it sends an error and closes the socket, and when it dies
the kernel delivers the end of the stream. So the socket is polled first (no wait, no bytes
read), and only a connection with something waiting gets Django's full check. A connection
cut without a word (a dropped network) is not seen by either check before the query itself;
that query fails and the request is answered 503 (``config.middleware``).

Timestamps are read by psycopg's C loader where Django's zone is UTC (``timestamps``).

``preparable_cursor()``: a cursor with server-side binding, whose statements psycopg prepares
once the same one has run ``prepare_threshold`` times on the connection (``OPTIONS``, set from
``DATABASE_PREPARE_THRESHOLD``; Django's own cursors bind on the client and are never
prepared). For the few statements every request of a hot path runs (a feed's state, a
registration's reads and writes): planning the feed's state took twice as long as running it.
"""

import select

from django.db.backends.postgresql import base
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from .timestamps import UtcTimestampLoader, fast_loader_applies


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if fast_loader_applies(self.timezone):
            connection.adapters.register_loader("timestamptz", UtcTimestampLoader)
        return connection

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if waiting:
            return super().is_usable()
        return True

    def preparable_cursor(self):
        """Like ``cursor()``, with server-side binding (see the module's docstring)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = ServerBindingCursor(self.connection)
            # As create_cursor() does for its cursors.
            loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != loader.timezone:
                register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)
