"""Calendar feeds: one event's feed with 200 and 2,000 sessions, requested in-process through
Django's test Client (all middleware, SQLite file under a temporary AGENDA_VAR_DIR), against
floors measured in the same run:

* the full feed against the floor of building and serialising the same VEVENTs directly with
  ``icalendar`` (``Component.add`` and ``to_ical``) from plain values: no Django, no database.
  The feed's own builder from the same plain values is reported too, to show what Django and
  the database add;
* the 304 answer to ``If-None-Match`` against a bare Django view that returns 304.

Runs in its own interpreter (``python -m benchmarks.feeds``): Django is set up once per process,
and the registration rush sets it up for PostgreSQL.
"""

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable

from .support import ROOT, report, timed

SIZES = tuple(int(n) for n in os.environ.get("BENCH_FEED_SIZES", "200,2000").split(","))
REPEAT = int(os.environ.get("BENCH_FEED_REPEAT", "15"))
REPEAT_304 = int(os.environ.get("BENCH_FEED_REPEAT_304", "500"))
TARGET_RATIO = 1.5


def run() -> dict | None:
    """Run the benchmark in a fresh interpreter; return its figures."""
    completed = subprocess.run([sys.executable, "-m", "benchmarks.feeds"], cwd=ROOT, check=False)
    if completed.returncode != 0:
        print(f"feeds: failed with exit code {completed.returncode}")
        return {"5xx responses (must be 0)": "the benchmark failed"}
    return json.loads((ROOT / "bench-results" / "feeds.json").read_text())


def _set_up_django(var_dir: str) -> None:
    os.environ["AGENDA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.pop("DATABASE_URL", None)  # the embedded default: SQLite in var_dir
    os.environ.setdefault("SITE_URL", "https://agenda.example.org")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _create_event(size: int):
    """A published three-day event with ``size`` sessions of two speakers each, in four rooms
    and four tracks, with two topics."""
    from django.utils import timezone

    from agenda.models import Event, Room, Session, Speaker, Tag, Track

    start = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    event = Event.objects.create(
        slug=f"feed-{size}", title=f"Forum on responsible business ({size} sessions)",
        summary="Due diligence in global supply chains.", kind="forum", format="hybrid",
        timezone="Europe/Brussels", start=start, end=start + dt.timedelta(days=3),
        venue_name="Square Brussels Meeting Centre",
        venue_address="Mont des Arts, 1000 Brussels, Belgium", status="published",
        online_url="https://meet.example.org/private",
    )
    event.tags.set(
        Tag.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title()})[0]
        for slug in ("due-diligence", "climate")
    )
    tracks = [
        Track.objects.create(event=event, name=f"Track {n}", slug=f"track-{n}") for n in range(4)
    ]
    rooms = [Room.objects.create(event=event, name=f"Room {n}") for n in range(4)]
    step = dt.timedelta(days=3) / size
    sessions = Session.objects.bulk_create(
        Session(
            event=event,
            title=f"Panel {n}: who pays for compliance in the supply chain?",
            abstract="How buyers and suppliers share the cost of compliance; what works, "
            "what does not, and what the new rules change. Zoë, Ståle and Łukasz compare notes.",
            start=start + step * n,
            end=start + step * n + min(step, dt.timedelta(hours=1)),
            room=rooms[n % 4],
            track=tracks[n % 4],
        )
        for n in range(size)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Speaker {size}-{n}", role="Head of Sustainability",
                organization=f"Manufacturer {n}")
        for n in range(2 * size)
    )
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=session.pk, speaker_id=speaker.pk)
        for index, session in enumerate(sessions)
        for speaker in speakers[2 * index: 2 * index + 2]
    )
    return event


def _plain_items(event) -> list:
    """The feed's VEVENTs as plain values, as a program without Django would hold them."""
    from agenda.feeds import items, selectors

    sessions = selectors.event_feed_sessions(event)
    selectors.with_categories([event], tracks=False)
    return items.session_items(sessions)


def _icalendar_floor(plain: list, timezone_component) -> bytes:
    """The same VEVENTs built the plain way with icalendar: ``add`` each property, ``to_ical``."""
    import zoneinfo

    from icalendar import Calendar, Event

    zone = zoneinfo.ZoneInfo(plain[0].timezone)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Agenda//floor//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "floor")
    calendar.add_component(timezone_component)
    for item in plain:
        vevent = Event()
        vevent.add("uid", item.uid)
        vevent.add("dtstamp", item.last_modified)
        vevent.add("dtstart", item.start.astimezone(zone))
        vevent.add("dtend", item.end.astimezone(zone))
        vevent.add("created", item.created)
        vevent.add("last-modified", item.last_modified)
        vevent.add("sequence", item.sequence)
        vevent.add("status", item.status)
        vevent.add("summary", item.summary)
        vevent.add("description", item.description)
        vevent.add("location", item.location)
        vevent.add("url", item.url)
        vevent.add("categories", list(item.categories))
        vevent.add("transp", "OPAQUE")
        calendar.add_component(vevent)
    return calendar.to_ical()


def _builder_floor(plain: list) -> bytes:
    from agenda import ical

    calendar = ical.build_calendar(ical.CalendarInfo(name="floor"), plain)
    return ical.serialize(calendar)


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def _interleaved(functions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median milliseconds of each function, run in turns so that the shared machine's noise
    falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            times[name] += timed(function, 1)
    return {name: _median_ms(samples) for name, samples in times.items()}


def measure() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as var_dir:
        _set_up_django(var_dir)
        return _measure()


def _measure() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from agenda import ical

    rows: dict[str, object] = {"sessions per event": ", ".join(map(str, SIZES))}
    statuses: list[int] = []
    client = Client(HTTP_HOST="localhost")

    def get(url: str, **headers) -> object:
        response = client.get(url, **headers)
        statuses.append(response.status_code)
        return response

    with override_settings(ROOT_URLCONF="benchmarks.feeds_urls"):
        timed(lambda: get("/bench/not-modified/"), 50)  # warm up
        for size in SIZES:
            event = _create_event(size)
            url = f"/feeds/events/{event.slug}.ics"
            with CaptureQueriesContext(connection) as queries:
                first = get(url)
            # Counted at once: the next request clears the connection's query log.
            feed_queries = len(queries.captured_queries)
            etag = first["ETag"]
            with CaptureQueriesContext(connection) as queries:
                get(url, HTTP_IF_NONE_MATCH=etag)
            not_modified_queries = len(queries.captured_queries)

            plain = _plain_items(event)
            zone = ical.vtimezone(event.timezone, event.start.year - 1, event.end.year + 1)
            floor_size = len(_icalendar_floor(plain, zone))

            medians = _interleaved(
                {
                    "feed": lambda url=url: get(url),
                    "floor": lambda plain=plain, zone=zone: _icalendar_floor(plain, zone),
                    "builder": lambda plain=plain: _builder_floor(plain),
                },
                REPEAT,
            )
            feed_ms, floor_ms, builder_ms = medians["feed"], medians["floor"], medians["builder"]
            medians = _interleaved(
                {
                    "304": lambda url=url, etag=etag: get(url, HTTP_IF_NONE_MATCH=etag),
                    "bare": lambda: get("/bench/not-modified/"),
                },
                REPEAT_304,
            )
            not_modified_ms, bare_ms = medians["304"], medians["bare"]
            rows |= {
                f"{size}: feed median (ms)": round(feed_ms, 1),
                f"{size}: feed size (bytes)": len(first.content),
                f"{size}: floor, icalendar alone (ms)": round(floor_ms, 1),
                f"{size}: floor size (bytes)": floor_size,
                f"{size}: ratio feed / floor (target <= {TARGET_RATIO})": round(
                    feed_ms / floor_ms, 3
                ),
                f"{size}: feed builder alone (ms)": round(builder_ms, 1),
                f"{size}: ratio feed / builder alone": round(feed_ms / builder_ms, 3),
                f"{size}: queries, full feed": feed_queries,
                f"{size}: 304 median (ms)": round(not_modified_ms, 3),
                f"{size}: bare 304 view median (ms)": round(bare_ms, 3),
                f"{size}: queries, 304": not_modified_queries,
                f"{size}: ratio 304 / bare 304 view (target <= {TARGET_RATIO})": round(
                    not_modified_ms / bare_ms, 3
                ),
            }
    unexpected = [status for status in statuses if status not in (200, 304)]
    rows["5xx responses (must be 0)"] = sum(1 for status in unexpected if status >= 500)
    rows["other unexpected statuses (must be 0)"] = len(unexpected)
    return rows


if __name__ == "__main__":
    report("feeds", measure())
