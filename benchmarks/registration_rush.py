"""Registration rush: N concurrent clients over real HTTP (gunicorn on PostgreSQL) register
for one event; compared with a bare Django view that commits one INSERT, in the same run."""

import datetime as dt
import os

from .support import gunicorn, port_open, post_json_load, report

BENCH_DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agenda_bench"
)
REQUESTS = int(os.environ.get("BENCH_RUSH_REQUESTS", "600"))
CLIENTS = int(os.environ.get("BENCH_RUSH_CLIENTS", "32"))
CAPACITY = int(os.environ.get("BENCH_RUSH_CAPACITY", "100"))


def _recreate_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def run() -> dict | None:
    if not port_open(5432):
        print("registration_rush: skipped, PostgreSQL is not reachable on 127.0.0.1:5432")
        return None
    _recreate_database(BENCH_DATABASE)
    broker = "redis://127.0.0.1:6379/14" if port_open(6379) else "memory://"
    env = {
        "DATABASE_URL": BENCH_DATABASE,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "REGISTRATION_RATE_LIMIT": "off",
        "CELERY_BROKER_URL": broker,
    }
    os.environ.update(env)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from django.db import connection
    from django.utils import timezone

    from agenda.models import Event
    from benchmarks.urls import BASELINE_TABLE
    from registrations.enums import RegistrationStatus
    from registrations.models import Registration

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} (id bigserial primary key, body text)")
    start = timezone.now() + dt.timedelta(days=10)
    event = Event.objects.create(
        slug="rush", title="Rush", kind="workshop", format="online", start=start,
        end=start + dt.timedelta(hours=2), capacity=CAPACITY, status="published",
    )
    connection.close()

    bodies = [
        {"name": f"Attendee {n}", "email": f"attendee{n}@example.org", "consent": True}
        for n in range(REQUESTS)
    ]
    with gunicorn(env) as port:
        # Warm both paths so connection set-up is not measured.
        post_json_load(port, "/bench/baseline/", bodies[:50], clients=8)
        baseline = post_json_load(port, "/bench/baseline/", bodies, clients=CLIENTS)
        rush = post_json_load(
            port, f"/api/v1/events/{event.slug}/registrations/", bodies, clients=CLIENTS
        )

    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    event.refresh_from_db()
    overbooked = max(confirmed.count() - CAPACITY, 0) + max(event.seats_taken - CAPACITY, 0)
    errors = sum(1 for status in rush.statuses if status >= 500)
    rows = {
        "requests": REQUESTS,
        "concurrent clients": CLIENTS,
        "capacity": CAPACITY,
        "broker": broker,
        "registrations/s": round(rush.throughput, 1),
        "p50 latency (ms)": round(rush.p50_ms, 1),
        "p99 latency (ms)": round(rush.p99_ms, 1),
        "confirmed": confirmed.count(),
        "waitlisted": Registration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED
        ).count(),
        "overbookings (must be 0)": overbooked,
        "5xx responses (must be 0)": errors,
        "baseline inserts/s (bare Django view)": round(baseline.throughput, 1),
        "baseline p50 latency (ms)": round(baseline.p50_ms, 1),
        "throughput ratio (registration / baseline)": round(
            rush.throughput / baseline.throughput, 3
        ),
    }
    report("registration_rush", rows)
    return rows
