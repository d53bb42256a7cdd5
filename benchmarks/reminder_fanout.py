"""Reminder fan-out: N reminders (1,000 then 10,000) through one real Celery worker (prefork,
three processes: sending mostly waits on the mail server and the database, so a worker runs
more processes than the machine has cores, as the README advises) to a local SMTP sink,
against a plain ``smtplib`` loop to the same sink in the same run. ``BENCH_REMINDERS_SIZES``
(or ``BENCH_REMINDERS_N``) overrides the sizes (``"1000,10000"``; ``"300,3000"`` under
``BENCH_QUICK``), ``BENCH_WORKER_CONCURRENCY`` the processes.

* throughput: the clock starts when ``schedule_due_reminders()`` is called (it records the N
  deliveries; ``dispatch_due_deliveries()`` then publishes them in batches of
  ``notifications.services.BATCH_SIZE``) and stops
  when the sink has received N messages. The baseline sends the bytes of one real reminder,
  rendered by ``render_message`` (text, HTML and .ics, so the same size as the worker's), N
  times over one connection. Target: worker / smtplib at least 0.5.
* memory: the worker (main process and its pool children) is sampled every 50 ms; its peak
  RSS, and PSS (a page shared by k processes counts 1/k: what the worker costs the machine,
  where RSS counts the pages the children share with their parent once per process), should
  be flat from N = 1,000 to N = 10,000. The worker is restarted for each N, and warmed up
  first: each pool process sends a few reminders of another event before the clock and the
  sampling start. (A process's first task copies many of the pages it shared with its
  parent; measured cold, memory would grow with how many processes got work, not with N.)
* correctness: the sink must receive, and the database mark sent, exactly N messages.

PostgreSQL is required (a fresh ``<BENCH_DATABASE_URL>_reminders`` database, dropped
afterwards); ``BENCH_REDIS_URL`` is the broker when Redis answers, else the embedded filesystem
broker. The SMTP sink (aiosmtpd, counting messages and bytes) runs in a process of its own, so
it shares no GIL with the bench. The benchmark itself runs in its own process
(``python -m benchmarks.reminder_fanout``): Django is set up once per process, and the other
benchmarks set it up differently.
"""
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from . import environment
from .results import Row
from .support import ROOT, free_port, port_open, sizes, stop_process_group

# BENCH_REMINDERS_N ("1000,10000") is the older name of BENCH_REMINDERS_SIZES.
SIZES = sizes("REMINDERS", os.environ.get("BENCH_REMINDERS_N", "1000,10000"), "300,3000")
BENCH_DATABASE = os.environ.get(
    "BENCH_REMINDERS_DATABASE_URL", environment.BENCH_DATABASE_URL + "_reminders"
)
REDIS_BROKER = environment.BENCH_REDIS_URL
# Sessions in the event's programme, and how many of them each attendee chose: the
# reminder's .ics holds the event and the chosen sessions, as the personal feed does.
SESSIONS = 6
CHOSEN = 2
TARGET_RATIO = 0.5
WORKER_CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "3"))
# Reminders per warm-up task, and tasks per pool process.
WARM_UP_BATCH = 5
WARM_UP_TASKS_PER_PROCESS = 4
SAMPLE_EVERY = 0.05
# Stop waiting for a run after this long: its throughput is then what arrived so far (the
# whole benchmark should stay within ~5 minutes on a 2-core machine).
RUN_TIMEOUT = float(os.environ.get("BENCH_REMINDERS_TIMEOUT", "180"))
RESULT_FILE = ROOT / "bench-results" / "reminder_fanout.json"


def run() -> dict | None:
    """Run the benchmark in a fresh interpreter and return its figures (None if skipped)."""
    RESULT_FILE.unlink(missing_ok=True)
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.reminder_fanout"], cwd=ROOT, check=False
    )
    if RESULT_FILE.exists():
        return json.loads(RESULT_FILE.read_text())
    if completed.returncode != 0:
        print(f"reminder_fanout: failed with exit code {completed.returncode}")
        return {"lost or duplicated messages (must be 0)": "benchmark failed"}
    return None  # skipped, and said why


# --- The SMTP sink, in its own process ------------------------------------------------------


def _sink_main(port: int, messages, size, stop) -> None:  # pragma: no cover - child process
    from aiosmtpd.controller import Controller

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope) -> str:
            with messages.get_lock():
                messages.value += 1
                size.value += len(envelope.original_content or envelope.content)
            return "250 OK"

    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        stop.wait()
    finally:
        controller.stop()


class Sink:
    """An SMTP server on 127.0.0.1 that only counts what it receives."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self._messages = context.Value("q", 0)
        self._bytes = context.Value("q", 0)
        self._stop = context.Event()
        self._process = context.Process(
            target=_sink_main, args=(self.port, self._messages, self._bytes, self._stop),
            daemon=True,
        )

    def start(self) -> None:
        self._process.start()
        deadline = time.monotonic() + 20
        while not port_open(self.port):
            if not self._process.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the SMTP sink did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process.pid is None:
            return  # never started
        self._stop.set()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)

    @property
    def messages(self) -> int:
        return self._messages.value

    @property
    def bytes(self) -> int:
        return self._bytes.value

    def reset(self) -> None:
        with self._messages.get_lock():
            self._messages.value = 0
            self._bytes.value = 0


# --- Worker memory ---------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (of any of its threads)."""
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                found += map(int, Path(f"/proc/{pid}/task/{task}/children").read_text().split())
    return found


def _status_kib(pid: int, field: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _pss_kib(pid: int) -> int:
    """This process's share of the memory it maps (a page shared by k processes: 1/k)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


class PeakMemory:
    """Samples the summed RSS and PSS of a process and its children in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_kib = 0
        self.peak_pss_kib = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            pids = [self.pid, *_children(self.pid)]
            self.processes = max(self.processes, len(pids))
            self.peak_rss_kib = max(
                self.peak_rss_kib, sum(_status_kib(pid, "VmRSS") for pid in pids)
            )
            self.peak_pss_kib = max(self.peak_pss_kib, sum(_pss_kib(pid) for pid in pids))
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


# --- The worker ------------------------------------------------------------------------------


@contextlib.contextmanager
def celery_worker(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """One real worker (prefork, ``WORKER_CONCURRENCY`` children), ready to consume, for
    the block."""
    from config.celery import app

    hostname = f"bench-reminders-{os.getpid()}@{socket.gethostname()}"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "--app", "config", "worker",
                "--concurrency", str(WORKER_CONCURRENCY), "--pool", "prefork",
                "--loglevel", "WARNING",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", hostname,
            ],
            cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children go with it
        )
    try:
        deadline = time.monotonic() + 60
        # Answering a ping means its consumer is up, so the clock starts on a ready worker.
        while not app.control.ping([hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start; see {log_path}:\n"
                                   + log_path.read_text()[-3000:])
        yield process
    finally:
        stop_process_group(process)




# --- Set-up ----------------------------------------------------------------------------------


def _recreate_database(url: str, *, drop_only: bool = False) -> None:
    environment.recreate_postgresql(url, drop_only=drop_only)


def _broker() -> str:
    """BENCH_REDIS_URL if Redis answers, else the embedded filesystem broker (under the
    temporary AGENDA_VAR_DIR)."""
    return environment.broker_url() or "filesystem://localhost//"


def _empty_broker(broker: str) -> None:
    """Nothing left over (a run that timed out leaves tasks, and their unacked copies)."""
    if broker == REDIS_BROKER:
        import redis

        with contextlib.closing(redis.Redis.from_url(REDIS_BROKER)) as client:
            client.flushdb()
    else:
        from config.celery import app

        app.control.purge()


def _create_event(size: int, slug: str):
    """A published event starting in an hour, reminding 60 minutes before, with ``size``
    confirmed registrations, each with ``CHOSEN`` of its ``SESSIONS`` sessions."""
    from django.utils import timezone

    from agenda.models import Event, Room, Session, Speaker
    from registrations import tickets
    from registrations.enums import RegistrationStatus, SessionChoiceStatus
    from registrations.models import Registration, SessionChoice

    now = timezone.now().replace(microsecond=0)
    # The 60-minute reminder is due as soon as the scan runs (and well within its grace).
    start = now + dt.timedelta(minutes=60) - dt.timedelta(seconds=1)
    event = Event.objects.create(
        slug=slug, title=f"Forum on responsible business ({size} attendees)",
        summary="Due diligence in global supply chains.", kind="forum", format="hybrid",
        timezone="Europe/Brussels", start=start, end=start + dt.timedelta(hours=8),
        venue_name="Square Brussels Meeting Centre",
        venue_address="Mont des Arts, 1000 Brussels, Belgium",
        online_url="https://meet.example.org/forum-2026", status="published",
        reminder_offsets=[60], seats_taken=size,
    )
    rooms = [Room.objects.create(event=event, name=f"Room {n}") for n in range(2)]
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Panel {n}: who pays for compliance in the supply chain?",
            abstract="How buyers and suppliers share the cost of compliance; what works, "
            "what does not, and what the new rules change.",
            start=start + dt.timedelta(hours=n), end=start + dt.timedelta(hours=n, minutes=50),
            room=rooms[n % 2],
        )
        for n in range(SESSIONS)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Speaker {slug}-{n}", role="Head of Sustainability",
                organization=f"Manufacturer {n}")
        for n in range(SESSIONS)
    )
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=session.pk, speaker_id=speaker.pk)
        for session, speaker in zip(sessions, speakers, strict=True)
    )
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                event=event, name=f"Attendee {n}", email=f"attendee-{slug}-{n}@example.org",
                status=RegistrationStatus.CONFIRMED, consent_version="2026-01",
                consented_at=now, confirmed_at=now, reminders_enabled=True,
                language="fr" if n % 4 == 0 else "en",
            )
            for n in range(size)
        ),
        batch_size=2000,
    )
    SessionChoice.objects.bulk_create(
        (
            SessionChoice(
                registration=registration, session=sessions[(index + offset) % SESSIONS],
                status=SessionChoiceStatus.CONFIRMED,
            )
            for index, registration in enumerate(registrations)
            for offset in range(CHOSEN)
        ),
        batch_size=5000,
    )
    # Each attendee's ticket image was drawn and stored when their confirmation went out
    # (registrations.tickets.ticket_png), weeks before the reminders: drawn here the same
    # way, on every core, before the clock.
    codes = [registration.ticket_code for registration in registrations]
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        images = pool.map(tickets.qr_png, codes, chunksize=100)
    tickets.store_images(zip([registration.pk for registration in registrations], codes,
                             images, strict=True))
    # Attendees registered over the weeks before, not in the same second: each one's
    # calendar then has its own DTSTAMP and LAST-MODIFIED, as in real life.
    for index, registration in enumerate(registrations):
        registration.updated_at = now - dt.timedelta(days=60) + dt.timedelta(minutes=7 * index)
    Registration.objects.bulk_update(registrations, ["updated_at"], batch_size=2000)
    return event


def _smtplib_baseline(sink: Sink, message: bytes, sender: str, recipient: str,
                      count: int) -> float:
    """messages/s of a plain smtplib loop sending ``message`` ``count`` times."""
    sink.reset()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        smtp.ehlo()
        smtp.sendmail(sender, [recipient], message)  # warm the connection
        sink.reset()
        began = time.perf_counter()
        for _ in range(count):
            smtp.sendmail(sender, [recipient], message)
        elapsed = time.perf_counter() - began
    if sink.messages != count:
        raise RuntimeError(f"the sink counted {sink.messages} of {count} baseline messages")
    return count / elapsed


def _wait_for(sink: Sink, count: int, deadline: float) -> None:
    while sink.messages < count and time.monotonic() < deadline:
        time.sleep(0.01)


def _worker_problems(log_path: Path) -> str:
    """The worker log's errors and tracebacks (its banner and root warning left out)."""
    lines = log_path.read_text(errors="replace").splitlines()
    start = next(
        (index for index, line in enumerate(lines)
         if "Traceback" in line or "ERROR" in line or "CRITICAL" in line),
        None,
    )
    return "" if start is None else "\n".join(lines[start:start + 60])


def _warm_up(sink: Sink, size: int) -> None:
    """Each pool process sends a few reminders of another event, in small tasks (see the
    module's docstring)."""
    from django.db import connection

    from notifications.enums import MessageKind
    from notifications.models import Delivery
    from notifications.reminders import schedule_due_reminders
    from notifications.tasks import send_deliveries_task

    count = WORKER_CONCURRENCY * WARM_UP_TASKS_PER_PROCESS * WARM_UP_BATCH
    event = _create_event(count, slug=f"warm-up-{size}")
    sink.reset()
    schedule_due_reminders()
    ids = list(
        Delivery.objects.filter(registration__event=event, kind=MessageKind.REMINDER)
        .order_by("pk").values_list("pk", flat=True)
    )
    connection.close()
    for start in range(0, len(ids), WARM_UP_BATCH):
        send_deliveries_task.delay(ids[start:start + WARM_UP_BATCH])
    _wait_for(sink, count, time.monotonic() + 60)
    if sink.messages != count:
        raise RuntimeError(f"the warm-up sent {sink.messages} of {count} reminders")


def _fan_out(size: int, env: dict[str, str], sink: Sink, var_dir: Path) -> dict:
    from django.conf import settings
    from django.db import connection

    from notifications.emails import render_message
    from notifications.enums import DeliveryStatus, MessageKind
    from notifications.models import Delivery
    from notifications.reminders import schedule_due_reminders
    from notifications.services import dispatch_due_deliveries

    log_path = var_dir / f"worker-{size}.log"
    _empty_broker(env["CELERY_BROKER_URL"])
    with celery_worker(env, log_path) as worker:
        _warm_up(sink, size)
        event = _create_event(size, slug=f"reminders-{size}")
        connection.close()
        sink.reset()
        with PeakMemory(worker.pid) as memory:
            began = time.perf_counter()
            scan = schedule_due_reminders()
            published = dispatch_due_deliveries()
            connection.close()
            _wait_for(sink, size, time.monotonic() + RUN_TIMEOUT)
            elapsed = time.perf_counter() - began
            received = sink.messages
            # A message sent twice would arrive now.
            time.sleep(0.5)
            settled = sink.messages
            worker_bytes = sink.bytes
    deliveries = Delivery.objects.filter(registration__event=event, kind=MessageKind.REMINDER)
    sent = deliveries.filter(status=DeliveryStatus.SENT).count()

    # The baseline sends one of those very reminders, as Django's SMTP backend writes it.
    delivery = deliveries.filter(status=DeliveryStatus.SENT).order_by("pk").first()
    if delivery is None:
        raise RuntimeError(f"no reminder was sent; worker log:\n{log_path.read_text()[-3000:]}")
    message = render_message(delivery)
    raw = message.message().as_bytes(linesep="\r\n")
    baseline = _smtplib_baseline(sink, raw, settings.DEFAULT_FROM_EMAIL, message.to[0], size)
    connection.close()
    return {
        "scanned": scan.due,
        "published": published,
        "completed": received >= size,
        "received": settled,
        "sent": sent,
        "seconds": elapsed,
        "throughput": received / elapsed,
        "baseline": baseline,
        "worker bytes": worker_bytes // max(settled, 1),
        "smtplib bytes": len(raw),
        "peak rss mib": memory.peak_rss_kib / 1024,
        "peak pss mib": memory.peak_pss_kib / 1024,
        "processes": memory.processes,
        "problems": _worker_problems(log_path),
    }


def measure() -> dict | None:
    if not port_open(5432):
        print("reminder_fanout: skipped, PostgreSQL is not reachable on 127.0.0.1:5432")
        return None
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        print("reminder_fanout: skipped, aiosmtpd is not installed (pip install -e '.[dev]')")
        return None

    sink = Sink()
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as var_dir:
        _recreate_database(BENCH_DATABASE)
        try:
            sink.start()
            env = {
                "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
                "DATABASE_URL": BENCH_DATABASE,
                "CELERY_BROKER_URL": _broker(),
                "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
                "AGENDA_VAR_DIR": var_dir,
                "SITE_URL": "https://agenda.example.org",
                "DEBUG": "off",
            }
            os.environ.update(env)

            import django
            from django.core.management import call_command

            django.setup()
            call_command("migrate", verbosity=0)

            results = {size: _fan_out(size, env, sink, Path(var_dir)) for size in SIZES}
        finally:
            sink.stop()
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            _recreate_database(BENCH_DATABASE, drop_only=True)
    return _rows(results, env["CELERY_BROKER_URL"])


def _rows(results: dict[int, dict], broker: str) -> dict:
    rows: dict[str, object] = {
        "reminders per run": ", ".join(map(str, results)),
        "broker": broker,
        "worker": f"1 process, prefork, concurrency {WORKER_CONCURRENCY}"
        " (restarted and warmed up for each N)",
        "baseline": "smtplib loop, 1 connection, one rendered reminder's bytes N times",
        "event": f"1 event, {SESSIONS} sessions, {CHOSEN} chosen per attendee (in the .ics)",
    }
    lost_or_duplicated = 0
    for size, result in results.items():
        if result["completed"]:
            lost_or_duplicated += abs(result["received"] - size) + abs(result["sent"] - size)
        else:
            # Too slow to finish in time is a performance figure, not a correctness one.
            rows[f"timed out (N={size})"] = (
                f"{result['received']} of {size} received after {result['seconds']:.0f} s"
            )
        rows |= {
            f"worker messages/s (N={size})": round(result["throughput"], 1),
            f"worker seconds (N={size})": round(result["seconds"], 2),
            f"smtplib messages/s (N={size})": round(result["baseline"], 1),
            f"throughput ratio (worker / smtplib) (N={size})": round(
                result["throughput"] / result["baseline"], 3
            ),
            f"worker peak RSS MiB (N={size})": round(result["peak rss mib"], 1),
            f"worker peak PSS MiB (N={size})": round(result["peak pss mib"], 1),
            f"worker processes sampled (N={size})": result["processes"],
            f"received by sink / sent in DB (N={size})": (
                f"{result['received']} / {result['sent']}"
            ),
            f"bytes per message, worker / smtplib (N={size})": (
                f"{result['worker bytes']} / {result['smtplib bytes']}"
            ),
        }
        if result["problems"]:
            print(f"reminder_fanout: the worker logged (N={size}):\n{result['problems']}")
    largest, smallest = max(results), min(results)
    rows[f"throughput ratio (worker / smtplib) (target >= {TARGET_RATIO})"] = round(
        results[largest]["throughput"] / results[largest]["baseline"], 3
    )
    if largest != smallest:
        for kind in ("RSS", "PSS"):
            key = f"peak {kind.lower()} mib"
            rows[f"peak memory ratio {kind} ({largest} / {smallest}) (target ~1)"] = round(
                results[largest][key] / results[smallest][key], 3
            )
    rows["lost or duplicated messages (must be 0)"] = lost_or_duplicated
    return rows


if __name__ == "__main__":
    # A terminated benchmark still stops its worker and sink and drops its database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = measure()
    if figures is not None:
        RESULT_FILE.parent.mkdir(exist_ok=True)
        RESULT_FILE.write_text(json.dumps(figures, indent=2, default=str))
        for key, value in figures.items():
            print(f"  {key:<56} {value}")
        sys.exit(1 if figures["lost or duplicated messages (must be 0)"] else 0)
    sys.exit(0)


MEMORY_TARGET = 1.2  # "flat": the peak at the big N within 20 % of the small N's


def table_rows(figures: dict | None) -> list[Row]:
    """The fan-out's rows of the final table (from ``run()``'s figures)."""
    if figures is None:
        return [Row(benchmark="reminder fan-out", size="—", db="postgresql",
                    subject="not run (PostgreSQL or aiosmtpd missing)", baseline="—")]
    lost = figures.get("lost or duplicated messages (must be 0)")
    checks = {"lost or duplicated messages": lost if isinstance(lost, int) else 1}
    counts = [int(n) for n in str(figures.get("reminders per run", "")).split(", ") if n]
    rows = []
    for size in counts:
        worker = figures[f"worker messages/s (N={size})"]
        smtplib_rate = figures[f"smtplib messages/s (N={size})"]
        rows.append(Row(
            benchmark="reminder fan-out (real worker, SMTP sink)", size=f"{size:,}",
            db="postgresql", subject=f"{worker:.0f} messages/s",
            baseline=f"smtplib loop: {smtplib_rate:.0f} messages/s",
            ratios=[figures[f"throughput ratio (worker / smtplib) (N={size})"]],
            target=f"≥ {TARGET_RATIO}", checks=checks if size == max(counts) else {},
            notes="one run per N (a slice is a whole fan-out)",
            curve="reminder fan-out", size_value=size,
            subject_ms=1000 / worker if worker else None,
            baseline_ms=1000 / smtplib_rate if smtplib_rate else None,
        ))
    if len(counts) > 1:
        small, big = min(counts), max(counts)
        rss = figures.get(f"peak memory ratio RSS ({big} / {small}) (target ~1)")
        pss = figures.get(f"peak memory ratio PSS ({big} / {small}) (target ~1)")
        rows.append(Row(
            benchmark="reminder fan-out: worker peak memory", size=f"{small:,} → {big:,}",
            db="postgresql",
            subject=f"RSS {figures[f'worker peak RSS MiB (N={small})']:.0f} → "
            f"{figures[f'worker peak RSS MiB (N={big})']:.0f} MiB, PSS "
            f"{figures[f'worker peak PSS MiB (N={small})']:.0f} → "
            f"{figures[f'worker peak PSS MiB (N={big})']:.0f} MiB",
            baseline=f"the same worker at N={small:,}", ratios=[pss] if pss else [],
            target=f"≤ {MEMORY_TARGET}", notes=f"ratio is PSS; RSS ratio {rss}",
        ))
    return rows
