"""The slow lane's stack, as deployed: gunicorn serving ``config.wsgi`` (the Procfile's
command), a ``celery worker``, PostgreSQL, Redis (cache and broker), an SMTP server, and
locust driving the load. Every process runs on production settings
(``tests.slow.load.settings``: ``config.settings.production`` on plain HTTP).

The databases and brokers the tests stop and start are PRIVATE: a PostgreSQL cluster made
with initdb in a temporary folder, a redis-server on a free port. The shared services on
5432/6379/5672 are only ever given a fresh database or used as they are, never restarted.
Everything listens on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import glob
import json
import math
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis

from tests.notifications.support import SmtpServer, WorkerProcess, free_port, wait_until

PROJECT_ROOT = Path(__file__).resolve().parents[3]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SETTINGS_MODULE = "tests.slow.load.settings"
RESULTS_DIR = PROJECT_ROOT / "bench-results"


def missing(what: str) -> NoReturn:
    """Skip the test, or fail it in CI, which provides every service and binary."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; CI provides it")
    pytest.skip(what)


# --- PostgreSQL ----------------------------------------------------------------------------------


def shared_postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        missing("needs PostgreSQL: DATABASE_URL is not a postgres:// URL")
    try:
        psycopg.connect(_with_database(url, "postgres"), connect_timeout=3).close()
    except psycopg.Error as error:
        missing(f"needs the PostgreSQL server of DATABASE_URL, which does not answer: {error}")
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{name}"))


@contextlib.contextmanager
def fresh_database(server_url: str):
    """A new, empty database on the server of ``server_url`` for the block; dropped after."""
    name = f"{urlsplit(server_url).path.lstrip('/') or 'agenda'}_load_{uuid.uuid4().hex[:8]}"
    admin_url = _with_database(server_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb into a temporary folder, a free port),
    so that it can be stopped and started under load. Run as the ``postgres`` user when the
    test runs as root (initdb refuses root)."""

    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                          key=lambda path: int(Path(path).parts[-3].split(".")[0]))
        if not binaries:
            missing("needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
        self.bin = Path(binaries[-1]).parent
        self.as_user: list[str] = []
        owner = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                missing("runs as root and needs a 'postgres' user to run a private PostgreSQL")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="agenda-pg-"))
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/agenda"

    def _run(self, *args: str, timeout: float = 90) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                                timeout=timeout, cwd=self.root, check=False)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")

    def create(self) -> PrivatePostgres:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--no-sync")
        self.start()
        with psycopg.connect(_with_database(self.url, "postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE agenda")
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                   " -c fsync=off -c max_connections=60")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_path),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        """``pg_ctl stop -m fast``: sessions are ended, open transactions rolled back."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t",
                  "60", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


# --- Redis ---------------------------------------------------------------------------------------


def require_redis_server() -> str:
    path = shutil.which("redis-server")
    if path is None:
        missing("needs the redis-server binary to run a private Redis")
    return path


class PrivateRedis:
    """redis-server on a free port, without persistence: a restart loses what it held, as a
    broker that crashed would."""

    def __init__(self, log_path: Path) -> None:
        self.binary = require_redis_server()
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_until(lambda: _pings(client), timeout=20, what="the private redis-server")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


# --- The application's processes -----------------------------------------------------------------


def stack_env(*, database_url: str, broker_url: str, cache_url: str, email_url: str,
              var_dir: Path, site_url: str) -> dict:
    return {
        **{key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG")},
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site_url,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": cache_url,
        "EMAIL_URL": email_url,
        "EMAIL_TIMEOUT": "10",
        "AGENDA_VAR_DIR": str(var_dir),
        # Every request comes from 127.0.0.1: the per-address limit would refuse the mix.
        "REGISTRATION_RATE_LIMIT": "off",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, (str(PROJECT_ROOT),
                                                    os.environ.get("PYTHONPATH")))),
    }


def run_python(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise AssertionError(f"python {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def probe(env: dict, *args: str) -> dict:
    """``tests/slow/load/probe.py``: seed, dispatch, audit, on the stack's database."""
    return json.loads(run_python(env, "-m", "tests.slow.load.probe", *args).splitlines()[-1])


class Gunicorn:
    """The Procfile's web process: two workers of four threads."""

    def __init__(self, env: dict, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
                 f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4",
                 "--forwarded-allow-ips", "127.0.0.1"],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        wait_until(self._healthy, timeout=60, what="gunicorn to answer /healthz")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)


class Stack:
    """gunicorn + a worker + an SMTP server on the given database and Redis, the database
    migrated; ``close()`` stops them (the worker killed, as the notification tests do)."""

    def __init__(self, *, tmp_path: Path, database_url: str, broker_url: str,
                 cache_url: str) -> None:
        self.tmp_path = tmp_path
        self.var_dir = tmp_path / "var"
        self.var_dir.mkdir(exist_ok=True)
        self.smtp = SmtpServer().start()
        self._closers = [self.smtp.stop]
        self.env = stack_env(database_url=database_url, broker_url=broker_url,
                             cache_url=cache_url, email_url=self.smtp.url,
                             var_dir=self.var_dir, site_url="http://127.0.0.1")
        run_python(self.env, "manage.py", "migrate", "--noinput", "-v", "0")
        self.worker: WorkerProcess | None = None
        self.web: Gunicorn | None = None

    def start(self) -> Stack:
        self.worker = WorkerProcess(env=self.env, cwd=self.var_dir, queue="celery",
                                    log_path=self.tmp_path / "worker.log")
        self._closers.append(self.worker.kill)
        self.worker.wait_ready()
        self.web = Gunicorn(self.env, self.tmp_path / "gunicorn.log")
        self._closers.append(self.web.stop)
        return self

    def probe(self, *args: str) -> dict:
        return probe(self.env, *args)

    def received(self) -> Counter:
        """(address, kind) of every message the SMTP server accepted."""
        return Counter(
            (address, received.email.header("X-Agenda-Kind"))
            for received in self.smtp.handler.received for address in received.rcpt_tos
        )

    def close(self) -> None:
        for close in reversed(self._closers):
            with contextlib.suppress(Exception):
                close()


# --- Load ----------------------------------------------------------------------------------------


class Load:
    """locust, headless, as a subprocess: ``users`` simulated people for ``seconds``."""

    def __init__(self, *, host: str, plan: dict, tmp_path: Path, users: int, seconds: int,
                 user_classes: tuple[str, ...] = ()) -> None:
        self.log_path = tmp_path / "requests.jsonl"
        plan_path = tmp_path / "plan.json"
        plan_path.write_text(json.dumps(plan))
        self.seconds = seconds
        env = {**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_LOG": str(self.log_path)}
        with (tmp_path / "locust.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                 "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "10",
                 "--host", host, "--only-summary", "--loglevel", "WARNING",
                 "--csv", str(tmp_path / "locust"), *user_classes],
                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        self.started = time.time()

    def wait(self) -> list[dict]:
        try:
            self.process.wait(timeout=self.seconds + 60)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def summarize(entries: list[dict]) -> dict[str, dict]:
    """Per endpoint: requests, p50 and p99 in milliseconds, and the count of each status."""
    by_name: dict[str, list[dict]] = {}
    for entry in entries:
        by_name.setdefault(entry["name"], []).append(entry)
    return {
        name: {
            "requests": len(rows),
            "p50_ms": round(percentile([row["ms"] for row in rows], 0.50), 1),
            "p99_ms": round(percentile([row["ms"] for row in rows], 0.99), 1),
            "statuses": dict(sorted(Counter(str(row["status"]) for row in rows).items())),
        }
        for name, rows in sorted(by_name.items())
    }


def print_table(title: str, endpoints: dict[str, dict]) -> None:
    print(f"\n== {title}")
    print(f"  {'endpoint':<20} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, row in endpoints.items():
        print(f"  {name:<20} {row['requests']:>8} {row['p50_ms']:>8} {row['p99_ms']:>8}"
              f"  {row['statuses']}")


def write_results(name: str, result: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2))
    return path
