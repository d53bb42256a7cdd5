"""The load mix of the slow lane: people browsing the agenda, calendar clients polling feeds
(conditional GETs, mostly 304), and people registering for several events, some of them full
(waitlist).

Run by tests/slow/test_*.py as a subprocess, never imported by pytest (locust imports gevent,
which patches the interpreter):

    LOAD_PLAN=plan.json LOAD_LOG=requests.jsonl locust -f tests/slow/load/locustfile.py \
        --headless -u 20 -r 10 -t 60s --host http://127.0.0.1:8000 [Browser FeedPoller Registrant]

``LOAD_PLAN`` (JSON) names the events: ``{"browse": [slug, ...], "register": [slug, ...]}``.
Every request is written to ``LOAD_LOG`` (one JSON object a line: name, status, milliseconds,
start time, Retry-After, the registration's address) for the test to judge: locust's own
verdict is left aside, as a 304, a 409 or (while the database is away) a 503 are right answers
here and only a 5xx other than those, or no answer at all, is wrong.
"""

import json
import os
import random
import uuid

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
_log = open(os.environ["LOAD_LOG"], "a", encoding="utf-8")  # noqa: SIM115 (open for the run)


@events.request.add_listener
def record(name, response, response_time, start_time, context, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    entry = {
        "name": name,
        "status": status,
        "ms": round(response_time, 2),
        "start": start_time,
        "retry_after": response.headers.get("Retry-After") if status else None,
        "error": None if exception is None or status else str(exception)[:200],
        **(context or {}),
    }
    _log.write(json.dumps(entry) + "\n")


@events.quitting.add_listener
def close_log(**kwargs):
    _log.flush()


class Browser(HttpUser):
    """A visitor: the agenda page, event pages, and the API's lists."""

    weight = 4
    wait_time = between(0.2, 1.0)

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            response.success()

    @task(3)
    def agenda_page(self):
        self._get("/", "page: agenda")

    @task(3)
    def event_page(self):
        slug = random.choice(PLAN["browse"])
        self._get(f"/events/{slug}/", "page: event")

    @task(2)
    def api_events(self):
        self._get("/api/v1/events/", "api: events")

    @task(1)
    def api_event(self):
        self._get(f"/api/v1/events/{random.choice(PLAN['browse'])}/", "api: event")

    @task(2)
    def api_sessions(self):
        self._get(f"/api/v1/sessions/?event={random.choice(PLAN['browse'])}", "api: sessions")


class FeedPoller(HttpUser):
    """A calendar client: fetches each feed once, then asks whether it changed (ETag)."""

    weight = 3
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.validators: dict[str, str] = {}

    @task
    def poll(self):
        slug = random.choice(PLAN["browse"])
        path = random.choice(["/feeds/agenda.ics", f"/feeds/events/{slug}.ics"])
        etag = self.validators.get(path)
        headers = {"If-None-Match": etag} if etag else {}
        name = "feed: conditional" if etag else "feed: first"
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code == 200 and response.headers.get("ETag"):
                self.validators[path] = response.headers["ETag"]
            response.success()


class Registrant(HttpUser):
    """Someone registering through the API, an address of their own each time."""

    weight = 2
    wait_time = between(0.3, 1.0)

    @task
    def register(self):
        slug = random.choice(PLAN["register"])
        address = f"load-{uuid.uuid4().hex[:16]}@example.org"
        body = {"name": "Load Tester", "email": address, "consent": True}
        with self.client.post(
            f"/api/v1/events/{slug}/registrations/", json=body, name="api: register",
            context={"email": address, "event": slug}, catch_response=True,
        ) as response:
            response.success()
