"""Where a benchmark runs: a fresh database (PostgreSQL or SQLite) copied from one migrated
template per run, a temporary AGENDA_VAR_DIR, the broker, and the environment the benchmark
process and its gunicorn share. Used by the parent process (``benchmarks.__main__``) only.

``BENCH_DATABASE_URL`` names the PostgreSQL server and the prefix of the databases
(``.../agenda_bench`` gives ``agenda_bench_template``, ``agenda_bench_rush`` ...), each
dropped afterwards. ``BENCH_REDIS_URL`` is the broker (emptied before and after) when Redis
answers, else the filesystem broker under the var dir.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from .support import ROOT, port_open

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agenda_bench"
)
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
POSTGRESQL, SQLITE = "postgresql", "sqlite"


def postgresql_available() -> bool:
    address = urlsplit(BENCH_DATABASE_URL)
    return port_open(address.port or 5432, address.hostname or "127.0.0.1")


def broker_url() -> str | None:
    """The Redis broker if it answers (None: use the filesystem broker)."""
    address = urlsplit(BENCH_REDIS_URL)
    if not port_open(address.port or 6379, address.hostname or "127.0.0.1"):
        return None
    import redis

    client = redis.Redis.from_url(BENCH_REDIS_URL)
    try:
        client.ping()
        return BENCH_REDIS_URL
    except redis.RedisError:
        return None
    finally:
        client.close()


def empty_broker(url: str | None) -> None:
    """Tasks published by the subjects (confirmation emails...) and never consumed go."""
    if url is None:
        return
    import redis

    with contextlib.closing(redis.Redis.from_url(url)) as client:
        client.flushdb()


def _postgresql_url(name: str) -> str:
    return BENCH_DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_postgresql_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def recreate_postgresql(url: str, *, drop_only: bool = False) -> None:
    """Drop the database ``url`` names (connections and all), and create it empty again."""
    name = urlsplit(url).path.lstrip("/")
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not drop_only:
        _admin(f'CREATE DATABASE "{name}"')


def _migrate(database_url: str, var_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT, check=True,
        env={**os.environ, **base_env(database_url, var_dir, broker=None)},
    )


def base_env(database_url: str, var_dir: Path, *, broker: str | None) -> dict[str, str]:
    """The environment of a benchmark process and of its gunicorn."""
    return {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "AGENDA_VAR_DIR": str(var_dir),
        "CELERY_BROKER_URL": broker or "filesystem://localhost//",
        "SITE_URL": "http://localhost",
        "DEBUG": "off",
        # A rush comes from one address: the per-address limit would refuse it.
        "REGISTRATION_RATE_LIMIT": "off",
        "LOG_LEVEL": "WARNING",
    }


class Databases:
    """Fresh databases for the benchmarks, each a copy of a template migrated once a run."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self._templates: dict[str, str] = {}

    def _template(self, kind: str) -> str:
        if kind not in self._templates:
            var_dir = self.work_dir / f"template-{kind}"
            var_dir.mkdir()
            if kind == POSTGRESQL:
                name = f"{urlsplit(BENCH_DATABASE_URL).path.lstrip('/')}_template"
                _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                _admin(f'CREATE DATABASE "{name}"')
                _migrate(_postgresql_url(name), var_dir)
                self._templates[kind] = name
            else:
                path = var_dir / "agenda.sqlite3"
                _migrate(f"sqlite:///{path}", var_dir)
                self._templates[kind] = str(path)
        return self._templates[kind]

    @contextlib.contextmanager
    def fresh(self, kind: str, name: str, var_dir: Path) -> Iterator[str]:
        """The URL of a new migrated database for the block, dropped after it."""
        template = self._template(kind)
        if kind == SQLITE:
            path = var_dir / "agenda.sqlite3"
            shutil.copyfile(template, path)
            yield f"sqlite:///{path}"
            return
        database = f"{urlsplit(BENCH_DATABASE_URL).path.lstrip('/')}_{name}"
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        try:
            yield _postgresql_url(database)
        finally:
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def drop_templates(self) -> None:
        if POSTGRESQL in self._templates:
            _admin(f'DROP DATABASE IF EXISTS "{self._templates[POSTGRESQL]}" WITH (FORCE)')


def link_static(var_dir: Path, work_dir: Path) -> None:
    """The collected static files (as `make run` collects them: the pages' templates need the
    manifest) under ``var_dir``, collected once a run and shared."""
    collected = work_dir / "static-collected"
    if not collected.exists():
        collected.mkdir()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
                 "AGENDA_VAR_DIR": str(collected)},
        )
    (var_dir / "static").symlink_to(collected / "static", target_is_directory=True)


@contextlib.contextmanager
def work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="agenda-bench-") as path:
        yield Path(path)
