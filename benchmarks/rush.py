"""Registration rush: N POSTs (600 by default, and 300 for the cost curve) from 32 clients to
``/api/v1/events/<slug>/registrations/`` for one event of 100 seats, on PostgreSQL, against
the minimal correct registration view (``benchmarks.baselines.register``: a conditional
UPDATE of the seat counter, then the INSERT, in one transaction).

A rush consumes seats, so every slice, subject's and baseline's alike, is a whole rush on an
event of its own (same capacity), A B A B after a smaller warm-up rush of each.

Correctness, after each subject slice: no event overbooked; every POST made a registration
(confirmed or waitlisted); the waitlist in arrival order, which the service defines as the
primary key (``Registration``'s docstring): nobody confirmed who arrived after someone
waitlisted, and, if the model stores waitlist positions, they are 1..N in that order.
"""

import datetime as dt
import json
import os

from django.db import connection
from django.utils import timezone

from .baselines import REGISTRATION_TABLE, create_tables
from .results import Row
from .support import Comparison, Load, Request, alternate, load, median, server, sizes

SIZES = sizes("RUSH", "300,600", "300")
CLIENTS = int(os.environ.get("BENCH_RUSH_CLIENTS", "32"))
CAPACITY = int(os.environ.get("BENCH_RUSH_CAPACITY", "100"))
WARM_UP = 64
TARGET, MAX_P99_MS = "≥ 0.5", 500


def new_event(label: str):
    from agenda.models import Event

    start = timezone.now() + dt.timedelta(days=10)
    count = Event.objects.count()
    return Event.objects.create(
        slug=f"rush-{label}-{count}", title=f"Rush {label}", kind="workshop", format="online",
        start=start, end=start + dt.timedelta(hours=2), capacity=CAPACITY, status="published",
    )


def bodies(count: int, label: str) -> list[bytes]:
    return [
        json.dumps({"name": f"Attendee {n}", "email": f"{label}-{n}@example.org",
                    "consent": True}).encode()
        for n in range(count)
    ]


def _posts(path: str, count: int, label: str) -> list[Request]:
    headers = (("Content-Type", "application/json"),)
    return [Request(path, "POST", body, headers) for body in bodies(count, label)]


def audit_subject(event_id: int, capacity: int, posts: int) -> dict[str, int]:
    """The "must be 0" figures of one rush on the service's event."""
    from agenda.models import Event
    from registrations.enums import RegistrationStatus
    from registrations.models import Registration

    rows = list(
        Registration.objects.filter(event_id=event_id).order_by("pk").values("pk", "status")
    )
    confirmed = [row["pk"] for row in rows if row["status"] == RegistrationStatus.CONFIRMED]
    waitlisted = [row["pk"] for row in rows if row["status"] == RegistrationStatus.WAITLISTED]
    seats_taken = Event.objects.get(pk=event_id).seats_taken
    return {
        "overbooked": max(len(confirmed) - capacity, 0) + max(seats_taken - capacity, 0),
        "waitlist order violations": _waitlist_violations(confirmed, waitlisted),
        "lost registrations": posts - len(confirmed) - len(waitlisted),
    }


def _waitlist_violations(confirmed: list[int], waitlisted: list[int]) -> int:
    from registrations.models import Registration

    last_confirmed = max(confirmed, default=0)
    violations = sum(1 for pk in waitlisted if pk < last_confirmed)
    stored = [field.name for field in Registration._meta.fields
              if "waitlist" in field.name and "position" in field.name]
    if stored:
        positions = dict(
            Registration.objects.filter(pk__in=waitlisted).values_list("pk", stored[0])
        )
        violations += sum(
            1 for rank, pk in enumerate(sorted(waitlisted), start=1) if positions[pk] != rank
        )
    return violations


def audit_baseline(event_id: int, capacity: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {REGISTRATION_TABLE} WHERE event_id = %s AND status = %s",
            [event_id, "confirmed"],
        )
        confirmed = cursor.fetchone()[0]
    from agenda.models import Event

    seats_taken = Event.objects.get(pk=event_id).seats_taken
    return {"baseline overbooked": max(confirmed - capacity, 0) + max(seats_taken - capacity, 0)}


class Rush:
    """Whole rushes, each on a new event; their audits add up in ``checks``."""

    def __init__(self, port, size: int) -> None:
        self.port, self.size = port, size
        self.checks: dict[str, int] = {}
        self.outcomes: list[tuple[int, int]] = []  # (confirmed, waitlisted) per subject rush

    def _add(self, checks: dict[str, int]) -> None:
        for name, value in checks.items():
            self.checks[name] = self.checks.get(name, 0) + value

    def subject(self, count: int | None = None) -> Load:
        event = new_event("subject")
        count = count or self.size
        result = load(self.port, _posts(f"/api/v1/events/{event.slug}/registrations/", count,
                                        event.slug), clients=CLIENTS)
        self._add(audit_subject(event.pk, CAPACITY, count))
        self._add({"5xx": result.count(lambda status: status >= 500)})
        self.outcomes.append(_outcome(event.pk))
        return result

    def baseline(self, count: int | None = None) -> Load:
        event = new_event("baseline")
        count = count or self.size
        result = load(self.port, _posts(f"/bench/register/{event.pk}/", count, event.slug),
                      clients=CLIENTS)
        self._add(audit_baseline(event.pk, CAPACITY))
        self._add({"baseline 5xx": result.count(lambda status: status >= 500)})
        return result


def _outcome(event_id: int) -> tuple[int, int]:
    from registrations.models import Registration

    statuses = list(Registration.objects.filter(event_id=event_id).values_list("status",
                                                                               flat=True))
    return statuses.count("confirmed"), statuses.count("waitlisted")


def measure(db: str) -> list[Row]:
    create_tables()
    rows = []
    with server() as web:
        for size in SIZES:
            rush = Rush(lambda: web.port, size)
            rush.subject(WARM_UP)
            rush.baseline(WARM_UP)
            rush.outcomes.clear()
            comparison = alternate(rush.subject, rush.baseline, warm_up=False)
            rows.append(_row(comparison, rush, size, db))
    return rows


def _row(comparison: Comparison, rush: Rush, size: int, db: str) -> Row:
    def figures(loads: list[Load]) -> str:
        rps = median([one.requests_per_second for one in loads])
        return (f"{rps:.0f} req/s, p50 {median([one.median_ms for one in loads]):.0f} ms, "
                f"p99 {median([one.p99_ms for one in loads]):.0f} ms")

    p99 = median([one.p99_ms for one in comparison.subject])
    confirmed = sorted({outcome[0] for outcome in rush.outcomes})
    waitlisted = sorted({outcome[1] for outcome in rush.outcomes})
    rps = median([one.requests_per_second for one in comparison.subject])
    baseline_rps = median([one.requests_per_second for one in comparison.baseline])
    return Row(
        benchmark=f"registration rush, {CLIENTS} clients, {CAPACITY} seats",
        size=f"{size:,} POSTs", db=db,
        subject=f"{figures(comparison.subject)}; confirmed {'/'.join(map(str, confirmed))}, "
        f"waitlisted {'/'.join(map(str, waitlisted))}",
        baseline=f"conditional UPDATE + INSERT: {figures(comparison.baseline)}",
        ratios=comparison.ratios(lambda one: one.requests_per_second),
        target=TARGET, conditions={f"p99 < {MAX_P99_MS} ms": p99 < MAX_P99_MS},
        checks=rush.checks, curve="registration rush", size_value=size,
        subject_ms=1000 / rps if rps else None,
        baseline_ms=1000 / baseline_rps if baseline_rps else None,
    )
