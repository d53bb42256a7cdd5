"""Hands delivery ids to the workers, several commits' at once under load.

Each registration owes its attendee an email, published to the broker after its commit.
Published one by one from the request's thread, Celery's message and the broker's round trip
cost a registration a quarter of its CPU (0.75 to 1.1 of about 3.5 ms of the web process's,
measured in-process). So a web process publishes from one thread of its own, at most once per
interval (``OUTBOX_PUBLISH_INTERVAL``): ids committed meanwhile go out together, as one task
whose worker sends them over one SMTP connection. A quiet process publishes at once; under a
rush an email waits at most ``interval`` longer for its worker.

Nothing is lost if the process dies with ids still queued: each is a committed ``Delivery``,
which the dispatcher publishes again when its lease runs out (``outbox.PUBLISH_LEASE``). The
queue is published at exit, and whatever is queued can be published at once (``flush``). The
caller's ``interval`` can say 0 to publish inline: workers do (``services``), as what their
tasks publish is batched already and a prefork child may exit without ``atexit``.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

# How long ``flush`` waits for a publish the thread has under way.
FLUSH_TIMEOUT = 10.0


class CoalescingPublisher:
    """Publishes lists of ids with ``send``: inline when ``interval()`` is 0, else from a
    daemon thread at most once per ``interval()`` seconds, all the ids queued since."""

    def __init__(self, send: Callable[[list[int]], None], *, interval: Callable[[], float]):
        self._send = send
        self._interval = interval
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.flush)

    def _reset(self) -> None:
        # Also after a fork: the parent's queue is the parent's to publish, and its thread and
        # a lock it may have held do not exist in the child.
        self._lock = threading.Lock()
        self._queued = threading.Condition(self._lock)
        self._idle = threading.Condition(self._lock)
        self._pending: list[int] = []
        self._sending = 0
        self._last_publish = 0.0
        self._thread: threading.Thread | None = None

    def submit(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        if self._interval() <= 0:
            self._send(ids)
            return
        with self._lock:
            was_empty = not self._pending
            self._pending.extend(ids)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="notifications-publisher", daemon=True
                )
                self._thread.start()
            elif was_empty:
                self._queued.notify()

    def _run(self) -> None:
        while True:
            with self._lock:
                while True:
                    if not self._pending:
                        self._queued.wait()
                        continue
                    # At most one publish per interval: what comes meanwhile waits for the next.
                    wait = self._last_publish + self._interval() - time.monotonic()
                    if wait <= 0:
                        break
                    self._queued.wait(wait)  # woken early by a flush, to look again
                taken, self._pending = self._pending, []
                self._sending += 1
                self._last_publish = time.monotonic()
            try:
                self._publish(taken)
            finally:
                with self._lock:
                    self._sending -= 1
                    self._idle.notify_all()

    def _publish(self, ids: list[int]) -> None:
        if not ids:
            return
        try:
            self._send(ids)
        except Exception:  # ``send`` should not raise; the thread must outlive it if it does
            logger.exception("publishing %d ids failed; the dispatcher will", len(ids))

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> None:
        """Publish every queued id now, in this thread, and wait (up to ``timeout``) for a
        publish the thread has under way."""
        with self._lock:
            taken, self._pending = self._pending, []
            self._queued.notify()  # a thread waiting out a long interval looks again
        self._publish(taken)
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._sending and (left := deadline - time.monotonic()) > 0:
                self._idle.wait(left)

    def queued(self) -> int:
        with self._lock:
            return len(self._pending)
