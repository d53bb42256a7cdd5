"""Our PostgreSQL backend (config/db/postgresql): the health check makes no round trip while
the kept connection is healthy, and a connection its server ended is replaced before a request
uses it (tests/slow/test_database_restart.py restarts a whole PostgreSQL under load); the hot
paths' statements are prepared once they repeat, and the ORM's never are."""

import os
import tempfile
import time

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: its backend's health check (the SQLite pass has none)")
    yield
    connection.close()  # the flush after the test must not meet a terminated session


def terminate(backend_pid: int) -> None:
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"], autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_settings_use_the_backend_with_the_cheap_check():
    assert connection.settings_dict["ENGINE"] == "config.db.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_healthy_connection_is_checked_without_a_round_trip():
    connection.ensure_connection()
    with tempfile.TemporaryFile() as trace:
        # libpq writes every message it sends or receives to the trace.
        connection.connection.pgconn.trace(trace.fileno())
        try:
            usable = connection.is_usable()
        finally:
            connection.connection.pgconn.untrace()
        traced = os.pread(trace.fileno(), 4096, 0)

    assert usable is True
    assert traced == b""


def test_the_trace_does_see_a_query():
    # The test above would pass on a trace that saw nothing at all.
    connection.ensure_connection()
    with tempfile.TemporaryFile() as trace:
        connection.connection.pgconn.trace(trace.fileno())
        try:
            backend_pid()
        finally:
            connection.connection.pgconn.untrace()
        traced = os.pread(trace.fileno(), 4096, 0)

    assert b"pg_backend_pid" in traced


def test_a_connection_its_server_ended_is_unusable():
    connection.ensure_connection()
    terminate(connection.connection.info.backend_pid)
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye crosses the socket

    assert connection.is_usable() is False


def test_the_next_request_gets_a_new_connection_after_the_server_ended_the_old_one(client):
    old_pid = backend_pid()
    terminate(old_pid)
    time.sleep(0.2)

    # What request_started does in a served request (the test client leaves it out): the
    # connection is young, so it is kept, and the health check is due at its first query.
    connection.close_if_unusable_or_obsolete()
    response = client.get("/api/v1/events/")

    assert response.status_code == 200
    assert backend_pid() != old_pid


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_feed_state_is_prepared_once_it_repeats_and_the_orms_queries_are_not(client):
    from agenda.feeds import selectors
    from agenda.models import Event
    from tests.factories import EventFactory

    event = EventFactory()
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold == 5  # DATABASE_PREPARE_THRESHOLD's default
    for _ in range(threshold + 1):
        assert selectors.event_state_by_slug(event.slug).found
        assert Event.objects.filter(slug=event.slug).exists()

    statements = prepared_statements()
    assert any("FROM \"agenda_event\" e WHERE e.slug = $1" in s for s in statements)
    assert not any("EXISTS" in s or "LIMIT 1" in s for s in statements)


def test_the_prepare_threshold_can_be_turned_off(monkeypatch):
    import importlib

    import config.settings.base as base_settings

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("DATABASE_PREPARE_THRESHOLD", "off")
    try:
        reloaded = importlib.reload(base_settings)
        assert reloaded.DATABASES["default"]["OPTIONS"]["prepare_threshold"] is None
        assert reloaded.DATABASES["default"]["ENGINE"] == "config.db.postgresql"
    finally:
        monkeypatch.delenv("DATABASE_PREPARE_THRESHOLD")
        importlib.reload(base_settings)


# --- Timestamps read by psycopg's C loader (config/db/postgresql/timestamps.py) -----------------

MOMENTS = [
    "2026-12-07 16:47:39.458038+00", "0001-01-01 00:00:00+00", "9999-12-31 23:59:59.999999+00",
    "2026-03-29 01:30:00.5+01", "1850-06-01 12:00:00+00:17:30", "2026-10-25 02:30:00-09:30",
    "1970-01-01 00:00:00+00", "2000-02-29 23:59:59.000001+14",
]


def test_timestamps_are_read_as_djangos_loader_reads_them():
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    from config.db.postgresql.timestamps import UtcTimestampLoader

    sql = "SELECT " + ", ".join(["%s::timestamptz"] * len(MOMENTS)) + ", NULL::timestamptz"
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(
        psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT
    ) is UtcTimestampLoader
    with connection.cursor() as ours, connection.cursor() as djangos:
        register_tzloader(connection.timezone, djangos.cursor)
        ours.execute(sql, MOMENTS)
        djangos.execute(sql, MOMENTS)
        read, expected = ours.fetchone(), djangos.fetchone()

    assert read == expected
    assert [value.tzinfo for value in read[:-1]] == [expected[0].tzinfo] * len(MOMENTS)
    assert read[-1] is None
    assert str(read[3]) == "2026-03-29 00:30:00.500000+00:00"


def test_a_session_in_another_zone_is_read_as_django_reads_it():
    # Django sets the session's zone to UTC; should it be otherwise, its loader sets UTC on
    # the session's clock reading, and so does ours.
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/Brussels'")
        try:
            with connection.cursor() as ours, connection.cursor() as djangos:
                register_tzloader(connection.timezone, djangos.cursor)
                for each in (ours, djangos):
                    each.execute("SELECT '2026-07-01 12:00:00+00'::timestamptz")
                assert ours.fetchone() == djangos.fetchone()
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
