"""PostgreSQL restarted under load (a private cluster of the test's own): while it is down,
every request answers 503 at once with Retry-After, never a 500 and never hanging; when it is
back, the service recovers with nothing restarted; no registration is half-written, and every
registration is emailed exactly once (what the worker could not send while the database was
away, the dispatcher publishes again once its lease has run out)."""

import threading
import time

import pytest

from tests.notifications.support import redis_url, require_redis, wait_until

from .load.checks import assert_consistent, audit_once_sent, expected_emails, settled
from .load.stack import Load, PrivatePostgres, Stack, percentile, print_table, summarize

SECONDS = 30
USERS = 16
DOWN_AT = 6  # seconds into the load
DOWN_FOR = 7
# While the database is down, a 503 is fast: it never waits for a connection that will not
# come. A request already running when the stop began meets the shutdown mid-way (its lock
# waits, its queue in gunicorn): it too ends in a 503, within the connect timeout.
FAST = 2000  # milliseconds
NEVER_HANGS = 10_000
RECOVERY = 10  # seconds after the database is back, every request succeeds again


@pytest.fixture
def stack(tmp_path):
    broker = redis_url()
    require_redis(broker)
    postgres = PrivatePostgres()
    try:
        postgres.create()
        built = Stack(tmp_path=tmp_path, database_url=postgres.url, broker_url=broker,
                      cache_url=broker)
        built.postgres = postgres
        try:
            yield built
        finally:
            built.close()
    finally:
        postgres.destroy()


def test_postgresql_restarted_under_load_gives_fast_503s_then_recovers_and_loses_nothing(
    stack, tmp_path
):
    plan = stack.probe("seed", "mix")
    stack.start()
    moments = {}

    def restart() -> None:
        time.sleep(DOWN_AT)
        moments["stopping"] = time.time()
        stack.postgres.stop()
        moments["stopped"] = time.time()
        time.sleep(DOWN_FOR)
        stack.postgres.start()
        moments["started"] = time.time()

    load = Load(host=stack.web.url, plan=plan, tmp_path=tmp_path, users=USERS, seconds=SECONDS)
    restarter = threading.Thread(target=restart)
    restarter.start()
    entries = load.wait()
    restarter.join()

    audit = stack.probe("audit")
    expected = expected_emails(audit)
    wait_until(lambda: settled(stack), timeout=60, what="the worker to settle", interval=0)
    republished = stack.probe("dispatch", "--lease-passed")["published"]
    drained = wait_until(lambda: audit_once_sent(stack, len(expected)), timeout=90,
                         what="every delivery marked sent", interval=1)

    print_table(f"database restart: {USERS} users, {SECONDS} s, down {DOWN_FOR} s",
                summarize(entries))
    unavailable = [entry for entry in entries if entry["status"] == 503]
    wrong = [entry for entry in entries
             if not entry["status"] or (entry["status"] >= 500 and entry["status"] != 503)]
    successes_after = sorted(entry["start"] for entry in entries
                             if entry["start"] >= moments["started"] and entry["status"] < 400)
    recovered_in = successes_after[0] - moments["started"]
    late_failures = [entry for entry in entries if entry["status"] == 503
                     and entry["start"] > moments["started"] + RECOVERY]
    created = {entry["email"] for entry in entries
               if entry["name"] == "api: register" and entry["status"] == 201}
    print(f"  503s: {len(unavailable)}, median {percentile([e['ms'] for e in unavailable], 0.5)}"
          f" ms, slowest {max(e['ms'] for e in unavailable):.0f} ms; "
          f"stop took {moments['stopped'] - moments['stopping']:.1f} s; first success "
          f"{recovered_in:.2f} s after the start; republished {republished}")

    assert wrong == []
    assert unavailable, "no request met the stopped database"
    assert {entry["retry_after"] for entry in unavailable} == {"5"}
    assert max(entry["ms"] for entry in unavailable) < NEVER_HANGS
    assert max(entry["ms"] for entry in unavailable
               if moments["stopped"] <= entry["start"] < moments["started"]) < FAST
    assert late_failures == []
    assert created <= {registration["email"] for registration in audit["registrations"]}
    assert_consistent(drained)
    assert stack.received() == expected
