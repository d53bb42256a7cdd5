"""Django's PostgreSQL backend, with a health check that costs no round trip while it is healthy.

``CONN_HEALTH_CHECKS`` makes Django test a kept connection before its first use in each request,
with a ``SELECT 1``: a round trip to the server that a feed's 304 (one query of its own) pays a
second time. An idle connection has nothing to read unless the server said something: when it
shuts down or terminates the backend it sends an error and closes the socket, and when it dies
the kernel delivers the end of the stream. So the socket is polled first (no wait, no bytes
read), and only a connection with something waiting gets Django's full check. A connection
cut without a word (a dropped network) is not seen by either check before the query itself;
that query fails and the request is answered 503 (``config.middleware``).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
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
