"""The broker (a private redis-server, without persistence) restarted while people register
and just after a reminder run: what it held is lost with it, yet once it is back and the
dispatcher has run, every confirmation and every reminder has arrived exactly once. The web
process keeps answering 201 meanwhile: a publish that fails leaves its outbox row to the
dispatcher. (The shared RabbitMQ is never restarted: other engineers use it.)"""

import threading
import time
from collections import Counter

import pytest

from notifications.enums import MessageKind
from tests.notifications.support import redis_url, require_redis, wait_until

from .load.checks import assert_consistent, audit_once_sent, expected_emails, settled
from .load.stack import (
    Load,
    PrivateRedis,
    Stack,
    fresh_database,
    print_table,
    shared_postgres_url,
    summarize,
)

SECONDS = 24
USERS = 8
REMINDER_RUN_AT = 5  # seconds into the load
DOWN_FOR = 4


@pytest.fixture
def stack(tmp_path):
    server = shared_postgres_url()
    cache = redis_url()
    require_redis(cache)
    broker = PrivateRedis(tmp_path / "redis.log").start()
    try:
        with fresh_database(server) as database_url:
            built = Stack(tmp_path=tmp_path, database_url=database_url, broker_url=broker.url,
                          cache_url=cache)
            built.broker = broker
            try:
                yield built
            finally:
                built.close()
    finally:
        broker.stop()


def test_broker_restarted_during_registrations_and_a_reminder_run_loses_and_doubles_nothing(
    stack, tmp_path
):
    plan = stack.probe("seed", "reminders")
    stack.start()
    moments = {}

    def reminder_run_then_restart() -> None:
        time.sleep(REMINDER_RUN_AT)
        moments["reminders"] = stack.probe("dispatch")
        stack.broker.stop()
        moments["stopped"] = time.time()
        time.sleep(DOWN_FOR)
        stack.broker.start()
        moments["started"] = time.time()

    load = Load(host=stack.web.url, plan=plan, tmp_path=tmp_path, users=USERS, seconds=SECONDS,
                user_classes=("Registrant",))
    restarter = threading.Thread(target=reminder_run_then_restart)
    restarter.start()
    entries = load.wait()
    restarter.join()

    wait_until(lambda: settled(stack), timeout=60, what="the worker to settle", interval=0)
    # Beat, once the lease of what the broker lost has run out: it also records the reminders
    # of those who registered after the first run.
    republished = stack.probe("dispatch", "--lease-passed")["published"]
    audit = stack.probe("audit")
    expected = expected_emails(audit) + Counter(
        (registration["email"], MessageKind.REMINDER.value)
        for registration in audit["registrations"]
        if registration["event"] == "load-soon" and registration["status"] == "confirmed"
    )
    drained = wait_until(lambda: audit_once_sent(stack, sum(expected.values())), timeout=90,
                         what="every delivery marked sent", interval=1)

    endpoints = summarize(entries)
    print_table(f"broker restart: {USERS} users, {SECONDS} s, down {DOWN_FOR} s", endpoints)
    during = [entry for entry in entries
              if moments["stopped"] <= entry["start"] <= moments["started"]]
    print(f"  first reminder run: {moments['reminders']}; registrations while the broker was "
          f"down: {len(during)}; republished after: {republished}")

    assert endpoints["api: register"]["statuses"] == {
        "201": endpoints["api: register"]["requests"]}
    assert moments["reminders"]["reminders_due"] > 0
    assert during, "no registration arrived while the broker was down"
    assert republished > 0
    assert_consistent(drained)
    assert stack.received() == expected
