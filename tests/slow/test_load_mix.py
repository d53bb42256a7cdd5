"""A minute of mixed load against the stack as deployed (gunicorn on production settings,
PostgreSQL, Redis as cache and broker, a Celery worker, an SMTP server): people browsing,
calendar clients polling feeds (mostly 304), people registering for events of which some
fill up. No 5xx, no event overbooked, the waitlist in arrival order, and every registration
emailed exactly once. The figures per endpoint go to bench-results/load_mix.json (the
benchmark table reads them).

    make test-slow        # or: pytest -m slow tests/slow/test_load_mix.py -s
"""

import pytest

from tests.notifications.support import redis_url, require_redis, wait_until

from .load.checks import assert_consistent, audit_once_sent, expected_emails
from .load.stack import (
    Load,
    Stack,
    fresh_database,
    print_table,
    shared_postgres_url,
    summarize,
    write_results,
)

SECONDS = 60
USERS = 24
@pytest.fixture
def stack(tmp_path):
    server = shared_postgres_url()
    broker = redis_url()
    require_redis(broker)
    with fresh_database(server) as database_url:
        built = Stack(tmp_path=tmp_path, database_url=database_url, broker_url=broker,
                      cache_url=broker)
        try:
            yield built
        finally:
            built.close()


def test_a_minute_of_mixed_load_has_no_5xx_no_overbooking_and_emails_each_registration_once(
    stack, tmp_path
):
    plan = stack.probe("seed", "mix")
    stack.start()

    entries = Load(host=stack.web.url, plan=plan, tmp_path=tmp_path, users=USERS,
                   seconds=SECONDS).wait()
    audit = stack.probe("audit")
    expected = expected_emails(audit)
    wait_until(lambda: sum(stack.received().values()) >= len(expected), timeout=120,
               what=f"{len(expected)} emails at the SMTP server", interval=0.5)
    drained = wait_until(lambda: audit_once_sent(stack, len(expected)), timeout=30,
                         what="every delivery marked sent", interval=1)

    endpoints = summarize(entries)
    print_table(f"load mix: {USERS} users, {SECONDS} s", endpoints)
    write_results("load_mix", {"users": USERS, "seconds": SECONDS, "endpoints": endpoints})
    server_errors = [entry for entry in entries if entry["status"] >= 500 or not entry["status"]]
    created = {entry["email"] for entry in entries
               if entry["name"] == "api: register" and entry["status"] == 201}
    registered = {registration["email"] for registration in audit["registrations"]}
    statuses = {name: set(row["statuses"]) for name, row in endpoints.items()}

    assert server_errors == []
    assert statuses["api: register"] <= {"201"}
    assert endpoints["feed: conditional"]["statuses"].get("304", 0) > (
        endpoints["feed: conditional"]["requests"] / 2)
    assert created == registered
    assert_consistent(drained)
    assert {event["waitlisted"] > 0 for event in audit["events"].values()} == {True, False}
    assert stack.received() == expected
