"""The harness every benchmark shares: gunicorn started as deployed, a load generator that
opens a new TCP connection per request, an A/B slice alternator with warm-up, and statistics.

Nothing here knows Django: a benchmark process sets Django up (``benchmarks.run``) and uses
these pieces to measure a subject against its baseline on the same server and database.
"""

import contextlib
import http.client
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench-results"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


QUICK = _flag("BENCH_QUICK")
# Slices per side (A B A B ...); each side also gets one warm-up slice first.
SLICES = int(os.environ.get("BENCH_SLICES", "2" if QUICK else "3"))
# Roughly how long one slice of a read benchmark lasts (it sets the requests per slice).
SLICE_SECONDS = float(os.environ.get("BENCH_SLICE_SECONDS", "1.0" if QUICK else "2.5"))
# Concurrent clients of the read benchmarks that report requests/s.
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))


def sizes(name: str, default: str, quick: str) -> tuple[int, ...]:
    """Sizes of one benchmark: ``BENCH_<NAME>_SIZES`` ("200,2000"), else the default (or the
    quick default under ``BENCH_QUICK``)."""
    raw = os.environ.get(f"BENCH_{name}_SIZES") or (quick if QUICK else default)
    return tuple(int(part) for part in raw.split(",") if part.strip())


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server started in a process group of its own: a warm shutdown first, then
    whatever is left of its group (a worker outliving its parent) is killed."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


# --- gunicorn as deployed ------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


def web_command(port: int, environ: dict[str, str]) -> list[str]:
    """The ``web:`` line of the Procfile (what ``make run`` and production start), its
    ``${VAR:-default}`` expanded from ``environ``, bound to 127.0.0.1:``port``."""
    line = next(
        line.split(":", 1)[1]
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    values = {**environ, "HOST": "127.0.0.1", "PORT": str(port)}

    def expand(match: re.Match) -> str:
        name = match.group(1) or match.group(3)
        return values.get(name) or match.group(2) or ""

    command = shlex.split(_VARIABLE.sub(expand, line))
    command[0] = str(VENV_BIN / command[0])
    return command


class Server:
    """gunicorn serving the project with ``env`` (settings, database, broker), started as the
    Procfile starts it; ``restart`` is a process restart, as a deployment does."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.port = 0
        self.restarts = 0
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self.port = free_port()
        self.command = web_command(self.port, self.env)
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                start_new_session=True,  # its own process group: the workers go with it
            )
        deadline = time.monotonic() + 60
        while not port_open(self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not start; see {self.log_path}:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop_process_group(process)

    def restart(self) -> None:
        self.stop()
        self.start()
        self.restarts += 1

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


# --- Load ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def fetch(port: int, request: Request, *, timeout: float = 120) -> Response:
    """One request on a new TCP connection, closed after the answer (``Connection: close``),
    as a client arriving from the internet does."""
    headers = {"Host": "localhost", "Connection": "close", **dict(request.headers)}
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(request.method, request.path, request.body, headers)
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    return Response(
        status=answer.status,
        headers={name.lower(): value for name, value in answer.getheaders()},
        body=body,
        seconds=time.perf_counter() - began,
    )


@dataclass
class Load:
    """What one slice of load gave: every status and latency, and its wall-clock time."""

    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return len(self.statuses) / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)] * 1000

    @property
    def p99_ms(self) -> float:
        return self.percentile_ms(0.99)

    def count(self, predicate: Callable[[int], bool]) -> int:
        return sum(1 for status in self.statuses if predicate(status))


def load(
    port: int | Callable[[], int], requests: Sequence[Request], *, clients: int = 1,
    before_each: Callable[[], None] | None = None,
) -> Load:
    """Send ``requests`` from ``clients`` concurrent threads, each request on a new
    connection. ``before_each`` (untimed) runs before every request, in the sending thread
    (e.g. an edit whose effect the next request must show)."""
    result = Load()
    lock = threading.Lock()
    pending = list(reversed(requests))
    start_gate = threading.Barrier(clients)
    target = port if callable(port) else (lambda: port)

    def client() -> None:
        start_gate.wait()
        while True:
            with lock:
                if not pending:
                    return
                request = pending.pop()
            if before_each is not None:
                before_each()
            try:
                answer = fetch(target(), request)
                status, seconds = answer.status, answer.seconds
            except OSError:
                status, seconds = 599, 0.0  # no answer at all: a server error to the client
            with lock:
                result.statuses.append(status)
                result.latencies.append(seconds)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Time spent in ``before_each`` is not the server's: only latencies count then.
    result.seconds = (
        sum(result.latencies) / clients if before_each else time.perf_counter() - began
    )
    return result


def requests_per_slice(seconds_per_request: float, *, clients: int = 1,
                       low: int = 3, high: int = 400) -> int:
    """How many requests fill about ``SLICE_SECONDS`` at this speed."""
    wanted = SLICE_SECONDS * clients / max(seconds_per_request, 1e-4)
    return max(low, min(high, int(wanted)))


# --- A B A B -------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Slices of a subject and its baseline, taken in turns: ``subject[i]`` ran just before
    ``baseline[i]``."""

    subject: list[Load]
    baseline: list[Load]

    def ratios(self, figure: Callable[[Load], float]) -> list[float]:
        """``figure(subject) / figure(baseline)`` for each pair of slices."""
        return [
            figure(subject) / figure(baseline) if figure(baseline) else float("nan")
            for subject, baseline in zip(self.subject, self.baseline, strict=True)
        ]

    def loads(self) -> list[Load]:
        return [*self.subject, *self.baseline]


def alternate(
    subject: Callable[[], Load], baseline: Callable[[], Load], *, slices: int = SLICES,
    warm_up: bool = True,
) -> Comparison:
    """Run ``slices`` slices of each, A B A B ..., after one discarded warm-up slice of each,
    so that the machine's noise falls on both alike and neither is measured cold."""
    if warm_up:
        subject()
        baseline()
    comparison = Comparison(subject=[], baseline=[])
    for _ in range(slices):
        comparison.subject.append(subject())
        comparison.baseline.append(baseline())
    return comparison


# --- Statistics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> "Spread":
        return cls(statistics.median(values), min(values), max(values))

    def format(self, digits: int = 2) -> str:
        return f"{self.median:.{digits}f} [{self.low:.{digits}f}–{self.high:.{digits}f}]"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def server() -> Server:
    """gunicorn for this benchmark process, in its environment (``benchmarks.run``)."""
    return Server({}, Path(os.environ["AGENDA_VAR_DIR"]) / "gunicorn.log")
