"""The benchmark harness on tiny sizes: its pieces measure what they say, and its baselines
are correct answers (a fast wrong baseline would flatter nobody but make every ratio a lie).
No timing assertions: speed lives in `make bench`."""

import http.server
import json
import threading

import pytest
from django.db import connection
from django.test import RequestFactory
from icalendar import Calendar

from agenda.models import Event
from benchmarks import baselines, load_mix, results, support
from tests.factories import EventFactory, create_event_with_programme

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency: runs in the PostgreSQL pass",
)


def test_alternate_runs_subject_and_baseline_in_turns_after_a_warm_up():
    order = []

    def slice_of(name: str, seconds: float):
        def run() -> support.Load:
            order.append(name)
            return support.Load(statuses=[200] * 10, latencies=[seconds] * 10, seconds=seconds)
        return run

    comparison = support.alternate(slice_of("A", 2.0), slice_of("B", 1.0), slices=3)

    assert order == ["A", "B", "A", "B", "A", "B", "A", "B"]  # the first pair is the warm-up
    assert len(comparison.subject) == len(comparison.baseline) == 3
    assert comparison.ratios(lambda one: one.requests_per_second) == [0.5, 0.5, 0.5]
    assert support.Spread.of([0.4, 0.5, 0.7]) == support.Spread(0.5, 0.4, 0.7)
    assert support.Spread.of([0.4, 0.5, 0.7]).format() == "0.50 [0.40–0.70]"


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    connections: list[str] = []

    def setup(self) -> None:
        super().setup()
        self.connections.append(self.client_address)

    def do_GET(self) -> None:
        status = 500 if self.path == "/broken" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


def test_load_opens_a_new_connection_for_every_request_and_counts_statuses():
    _CountingHandler.connections = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        requests = [support.Request("/")] * 9 + [support.Request("/broken")]
        result = support.load(server.server_address[1], requests, clients=3)
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(result.statuses) == [200] * 9 + [500]
    assert len(result.latencies) == 10
    assert len(_CountingHandler.connections) == 10


def test_the_server_is_started_as_the_procfile_starts_it():
    command = support.web_command(8123, {"WEB_CONCURRENCY": "3"})

    assert command[0].endswith("gunicorn")
    assert "config.wsgi" in command
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--workers") + 1] == "3"
    assert "--threads" in command


def test_a_broken_check_fails_the_row_and_a_missed_target_does_not():
    slow = results.Row(benchmark="b", size="1", db="x", subject="", baseline="",
                       ratios=[0.2, 0.3, 0.4], target="≥ 0.5")
    wrong = results.Row(benchmark="b", size="1", db="x", subject="", baseline="",
                        ratios=[0.9], target="≥ 0.5", checks={"overbooked": 2, "5xx": 0})

    assert (slow.meets_target, slow.broken, slow.result) == (False, {}, "missed")
    assert wrong.broken == {"overbooked": 2}
    assert wrong.result.startswith("FAIL")
    assert results.Row.from_dict(json.loads(json.dumps(wrong.as_dict()))) == wrong


def test_cost_curve_compares_the_big_size_with_the_small():
    rows = [
        results.Row(benchmark="f", size=str(size), db="x", subject="", baseline="",
                    curve="feed", size_value=size, subject_ms=ms, baseline_ms=ms * 2)
        for size, ms in ((200, 10.0), (2000, 40.0))
    ]
    assert results.cost_curves(rows) == [
        "feed: per-request time ×4.00 from 200 to 2,000 (baseline ×4.00)"
    ]


def test_load_mix_rows_read_the_endpoints_p99(tmp_path, monkeypatch):
    monkeypatch.setattr(load_mix, "LOAD_MIX", tmp_path / "load_mix.json")
    assert "not run" in load_mix.table_rows()[0].subject

    load_mix.LOAD_MIX.write_text(json.dumps({"endpoints": {"GET /feeds": {"p99_ms": 42}}}))
    assert [row.subject for row in load_mix.table_rows()] == ["p99 42 ms"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_registration_baseline_never_overbooks_under_concurrent_requests():
    baselines.create_tables()
    event = EventFactory(capacity=3, format="online")
    barrier = threading.Barrier(12)
    statuses = []

    def register(number: int) -> None:
        request = RequestFactory().post(
            "/", json.dumps({"name": "A", "email": f"a{number}@example.org", "consent": True}),
            content_type="application/json",
        )
        barrier.wait()
        try:
            statuses.append(json.loads(baselines.register(request, event.pk).content)["status"])
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == ["confirmed"] * 3 + ["waitlisted"] * 9
    assert Event.objects.get(pk=event.pk).seats_taken == 3
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, count(*) FROM {baselines.REGISTRATION_TABLE} WHERE event_id = %s"
            " GROUP BY status ORDER BY status", [event.pk],
        )
        assert cursor.fetchall() == [("confirmed", 3), ("waitlisted", 9)]


@pytest.mark.django_db
def test_the_values_baselines_return_the_rows_and_fields_the_api_returns(api_client):
    for count in (3, 1):
        create_event_with_programme(sessions=count, speakers_per_session=2)
    create_event_with_programme(sessions=1, status="draft")  # seen by neither
    online = create_event_with_programme(sessions=1, format="online", venue_name="")

    events = api_client.get("/api/v1/events/").json()["results"]
    sessions = api_client.get("/api/v1/sessions/?page_size=50").json()["results"]

    assert baselines.event_rows(20) == events
    assert baselines.session_rows(50) == sessions
    assert len(events) == 3 and len(sessions) == 5
    assert any(event["slug"] == online.slug and event["venue"] is None for event in events)


@pytest.mark.django_db
def test_the_feed_floor_builds_the_same_vevents_as_the_feed(client):
    event = create_event_with_programme(sessions=3, speakers_per_session=2)

    feed = Calendar.from_ical(client.get(f"/feeds/events/{event.slug}.ics").content)
    floor = Calendar.from_ical(baselines.feed_calendar(event.pk))

    def vevents(calendar: Calendar) -> list[tuple]:
        return [
            (str(item["UID"]), str(item["SUMMARY"]), item["DTSTART"].dt, item["DTEND"].dt,
             str(item["LOCATION"]), str(item["DESCRIPTION"]))
            for item in calendar.walk("VEVENT")
        ]

    assert vevents(floor) == vevents(feed)
