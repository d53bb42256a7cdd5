"""A real HTTP receiver for webhook tests: http.server on 127.0.0.1, in a thread."""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading

import standardwebhooks


@dataclasses.dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def message(self) -> dict:
        return json.loads(self.body)

    def verify(self, secret: str) -> dict:
        """The message, after the reference implementation checked its signature."""
        return standardwebhooks.Webhook(secret).verify(self.body, self.headers)


class Receiver:
    """Records every POST; answers each with the next of ``answers`` (then 200).

    ``hold()`` makes the next request wait inside the handler until ``release()``: a
    delivery caught in flight.
    """

    def __init__(self, port: int = 0) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self.answers: list[int | tuple[int, dict]] = []
        self.holding = threading.Event()
        self.held = threading.Event()
        self._release = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver._received.append(Received(
                        path=self.path, body=body,
                        headers={key.lower(): value for key, value in self.headers.items()},
                    ))
                    answer = receiver.answers.pop(0) if receiver.answers else 200
                if receiver.holding.is_set():
                    receiver.holding.clear()
                    receiver.held.set()
                    receiver._release.wait(timeout=60)
                status, headers = answer if isinstance(answer, tuple) else (answer, {})
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/agenda"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def hold(self) -> None:
        self.holding.set()

    def release(self) -> None:
        self._release.set()

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


def every_event_type(event, session) -> dict[str, list[str]]:
    """Make ``event`` (a draft with capacity 1 and ``session``) go through every kind of
    change a webhook can report; returns the types expected per object, in order."""
    import datetime as dt

    from agenda import services as agenda_services
    from registrations import services
    from registrations.enums import CancelledBy
    from tests.factories import RegistrationFactory

    agenda_services.publish_event(event=event)
    first = RegistrationFactory(event=event, email="first@example.org")
    second = RegistrationFactory(event=event, email="second@example.org")
    services.cancel_registration(registration=first, cancelled_by=CancelledBy.ORGANIZER,
                                 reason="Duplicate")
    second.refresh_from_db()
    services.check_in(registration=second)
    agenda_services.reschedule_session(session=session, start=session.start + dt.timedelta(
        minutes=30), end=session.end + dt.timedelta(minutes=30))
    agenda_services.cancel_session(session=session)
    event.refresh_from_db()
    agenda_services.reschedule_event(event=event, start=event.start + dt.timedelta(days=1),
                                     end=event.end + dt.timedelta(days=1))
    event.refresh_from_db()
    agenda_services.cancel_event(event=event)
    return {
        f"event:{event.uuid}": ["event.published", "event.changed", "event.cancelled"],
        f"session:{session.uuid}": ["session.published", "session.changed",
                                    "session.cancelled"],
        f"registration:{first.public_id}": ["registration.created", "registration.cancelled"],
        f"registration:{second.public_id}": [
            "registration.created", "registration.waitlisted", "registration.confirmed",
            "registration.promoted", "registration.checked_in",
        ],
    }


def object_key(message: dict) -> str:
    kind = message["type"].split(".")[0]
    data = message["data"]
    if kind == "event":
        from agenda.models import Event

        return f"event:{Event.objects.get(slug=data['slug']).uuid}"
    if kind == "session":
        return f"session:{data['uuid']}"
    return f"registration:{data['id']}"
