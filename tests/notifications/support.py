"""Real parts for the notification tests: an SMTP server, Celery worker processes, brokers.

Nothing here is a mock: the SMTP server is aiosmtpd listening on 127.0.0.1, the worker is a
``celery worker`` subprocess with the test settings, and the brokers are Redis and kombu's
filesystem transport. The helpers only start, watch and stop them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email
import email.policy
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import icalendar
import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage

from notifications.services import publisher

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"
# A port nothing listens on: publishing there fails at once, as in a broker outage.
UNREACHABLE_BROKER_URL = "redis://127.0.0.1:1/0"
WORKER_CONCURRENCY = 1

T = TypeVar("T")


# --- Waiting -------------------------------------------------------------------------------------


def wait_until(
    condition: Callable[[], T], *, timeout: float, what: str, interval: float = 0.05
) -> T:
    """Poll ``condition`` until it returns something truthy (returned), or fail after
    ``timeout`` seconds saying what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


# --- Emails as a mail client reads them ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclasses.dataclass(frozen=True)
class Email:
    """A message parsed from its wire bytes: what a mail client would show."""

    message: email.message.EmailMessage

    @property
    def to(self) -> list[str]:
        return [address.strip() for address in self.message["To"].split(",")]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def header(self, name: str) -> str | None:
        value = self.message[name]
        # A long value is folded onto the next line; unfolded, its leading space is not part
        # of it (RFC 5322 section 2.2.3).
        return None if value is None else str(value).strip()

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()

    @property
    def body_types(self) -> list[str]:
        """The content types of the readable bodies (attachments left out)."""
        return sorted(
            part.get_content_type()
            for part in self.message.walk()
            if not part.is_multipart() and part.get_content_disposition() != "attachment"
        )

    @property
    def attachments(self) -> list[Attachment]:
        return [
            Attachment(
                filename=part.get_filename(),
                content_type=part.get_content_type(),
                content=part.get_payload(decode=True),
            )
            for part in self.message.iter_attachments()
        ]

    @property
    def calendar(self) -> icalendar.Calendar:
        """The one .ics attachment, parsed."""
        (attachment,) = [a for a in self.attachments if a.content_type == "text/calendar"]
        return icalendar.Calendar.from_ical(attachment.content)

    @property
    def calendar_uids(self) -> list[str]:
        return vevent_uids(self.calendar)


def parse_email(raw: bytes) -> Email:
    return Email(email.message_from_bytes(raw, policy=email.policy.default))


def as_received(message: EmailMessage) -> Email:
    """A message from django.core.mail.outbox, serialised and parsed as it would travel."""
    return parse_email(message.message().as_bytes())


def vevent_uids(calendar: icalendar.Calendar) -> list[str]:
    return [str(vevent["UID"]) for vevent in calendar.walk("VEVENT")]


# --- An SMTP server ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    @functools.cached_property
    def email(self) -> Email:
        return parse_email(self.content)


class RecordingHandler:
    """An aiosmtpd handler that keeps every accepted message, and can refuse on demand.

    ``refuse("RCPT", "451 4.3.0 Try again later", times=2)`` answers the next two RCPT
    commands with that reply; ``times=None`` refuses for good. Runs in the server's thread;
    the test reads ``received`` from its own, hence the lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._refusals: dict[str, tuple[str, int | None]] = {}

    def refuse(self, stage: str, reply: str, *, times: int | None = None) -> None:
        with self._lock:
            self._refusals[stage] = (reply, times)

    def _refusal(self, stage: str) -> str | None:
        with self._lock:
            reply, times = self._refusals.get(stage, (None, 0))
            if reply is None or times == 0:
                return None
            if times is not None:
                self._refusals[stage] = (reply, times - 1)
            return reply

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self._refusal("RCPT")
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self._refusal("DATA")
        if refusal is not None:
            return refusal
        received = Received(
            mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos),
            content=envelope.content,
        )
        with self._lock:
            self._received.append(received)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1, in a thread of the test process."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


# --- Brokers -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Broker:
    """Where the test process publishes and the worker consumes."""

    name: str
    url: str
    transport_options: dict
    # The worker reads its settings from config.settings.test and its environment.
    worker_env: dict
    worker_cwd: Path
    queue: str = "celery"


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def require_redis(url: str) -> None:
    """Skip (fail in CI, where Redis is always started) when Redis does not answer."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        unreachable("Redis", url, "REDIS_URL", error)


def unreachable(name: str, url: str, variable: str, error: Exception) -> None:
    """Skip the test, or fail it in CI, which always starts the brokers."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} at {url} is not reachable, and CI starts it: {error}")
    pytest.skip(f"needs {name} at {url} (set {variable}), which is not reachable: {error}")


def networked_broker(name: str, url: str, var_dir: Path) -> Broker:
    """Redis or RabbitMQ, with a queue of the test's own: another run of these tests on the
    same server (a colleague's, at the same time) neither takes its tasks nor gives it
    theirs."""
    return Broker(
        name=name,
        url=url,
        transport_options={},
        worker_env={"CELERY_BROKER_URL": url, "AGENDA_VAR_DIR": str(var_dir)},
        worker_cwd=var_dir,
        queue=f"notifications-test-{uuid.uuid4().hex[:12]}",
    )


def forget_redis_queue(url: str, queue: str) -> None:
    """Delete what kombu kept in Redis for ``queue``: the list, its bindings, and the
    unacknowledged messages a killed worker left (which would come back in six hours)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)
    for tag, payload in client.hscan_iter("unacked"):
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def rabbitmq_url() -> str:
    return os.environ.get("RABBITMQ_URL") or DEFAULT_RABBITMQ_URL


def require_rabbitmq(url: str) -> None:
    """Skip (fail in CI, where RabbitMQ is always started) when RabbitMQ does not answer."""
    try:
        with kombu.Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:  # kombu raises the transport's own errors
        unreachable("RabbitMQ", url, "RABBITMQ_URL", error)


def forget_rabbitmq_queue(url: str, queue: str) -> None:
    with kombu.Connection(url, connect_timeout=2) as connection:
        connection.default_channel.queue_delete(queue)


def filesystem_broker(var_dir: Path) -> Broker:
    """The embedded broker, laid out as config/settings/base.py lays it out under
    ``AGENDA_VAR_DIR``: ``broker/queue``, ``broker/control``, ``broker/processed``.

    config/settings/test.py resets CELERY_BROKER_TRANSPORT_OPTIONS, so a worker on the test
    settings uses kombu's default folders relative to its working directory (it reads
    ``data_in``, writes ``data_out``, keeps bindings in ``control``). It is started in
    ``broker/``, where ``data_in`` and ``data_out`` lead to ``queue``: the same folders either
    way.
    """
    broker_dir = var_dir / "broker"
    for folder in ("queue", "control", "processed"):
        (broker_dir / folder).mkdir(parents=True, exist_ok=True)
    for alias in ("data_in", "data_out"):
        (broker_dir / alias).symlink_to(broker_dir / "queue", target_is_directory=True)
    return Broker(
        name="filesystem",
        url="filesystem://localhost//",
        transport_options={
            "data_folder_in": str(broker_dir / "queue"),
            "data_folder_out": str(broker_dir / "queue"),
            "control_folder": str(broker_dir / "control"),
            "processed_folder": str(broker_dir / "processed"),
            "store_processed": False,
        },
        worker_env={"CELERY_BROKER_URL": "filesystem://localhost//",
                    "AGENDA_VAR_DIR": str(var_dir)},
        worker_cwd=broker_dir,
    )


def _reset_producers(app) -> None:
    # kombu keeps its pools in a process-wide registry keyed by broker: closing only the
    # app's would leave a closed pool there for the next test on the same broker.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def use_broker(
    app, url: str, transport_options: dict, *, queue: str | None = None
) -> Iterator[None]:
    """Make the test process's Celery app publish to ``url`` (and ``queue``, if given) for
    the duration."""
    # What the publisher holds goes where it was meant to, not to the broker of the block.
    publisher.flush()
    previous = (app.conf.broker_url, app.conf.broker_transport_options,
                app.conf.task_default_queue)
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    # The router reads it at each publish; a queue it does not know yet it creates.
    app.conf.task_default_queue = queue or previous[2]
    _reset_producers(app)
    try:
        yield
    finally:
        publisher.flush()
        (app.conf.broker_url, app.conf.broker_transport_options,
         app.conf.task_default_queue) = previous
        _reset_producers(app)


# --- Worker processes ----------------------------------------------------------------------------


def worker_database_url(settings_dict: dict) -> str:
    """The URL of the database the test runs on (the test database, not the configured one),
    for a worker process to open the same one."""
    name = settings_dict["NAME"]
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(name).resolve()}"
    credentials = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(name, safe='')}"


class WorkerProcess:
    """``celery worker`` in a process group of its own, logging to a file."""

    def __init__(self, *, env: dict, cwd: Path, queue: str, log_path: Path) -> None:
        self.log_path = log_path
        command = (
            sys.executable, "-m", "celery", "--app", "config", "worker",
            "--loglevel", "INFO", "--concurrency", str(WORKER_CONCURRENCY), "--pool", "prefork",
            "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
            # A name of its own: RabbitMQ gives each name one exclusive control queue, which
            # a worker of a test running alongside (pytest -n) would otherwise hold.
            "--hostname", f"test-{uuid.uuid4().hex[:12]}@%h",
        )
        with log_path.open("ab") as log:
            # A session of its own: kill() reaches the pool children through the group.
            self.process = subprocess.Popen(
                command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, *, timeout: float = 45) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited ({self.process.returncode}):\n{self.log}")
            return " ready." in self.log

        wait_until(ready, timeout=timeout, what="the worker to be ready (its log follows)")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def worker_env(*, broker: Broker, database_url: str, email_url: str) -> dict:
    return {
        **os.environ,
        **broker.worker_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "EMAIL_URL": email_url,
        "PYTHONPATH": os.pathsep.join(
            filter(None, (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")))
        ),
        "LOG_LEVEL": "INFO",
    }
