"""The publisher that hands delivery ids to the workers (``notifications.publisher``): under
load, what commits within one interval goes out in one publish; idle, at once; every id
exactly once, whatever the threads; inline inside a task; and nothing held after a flush."""

import os
import threading
import time

import pytest
from celery import shared_task

from notifications import services
from notifications.publisher import CoalescingPublisher

from .support import wait_until


class Recorder:
    """A ``send`` that records what it is given, and when."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[tuple[float, list[int], str]] = []
        self.fail_first = fail_first
        self.lock = threading.Lock()

    def __call__(self, ids: list[int]) -> None:
        with self.lock:
            if self.fail_first:
                self.fail_first -= 1
                raise RuntimeError("broker down")
            self.calls.append((time.monotonic(), list(ids), threading.current_thread().name))

    def ids(self) -> list[int]:
        with self.lock:
            return [one for _, ids, _ in self.calls for one in ids]


def test_no_interval_publishes_in_the_committing_thread():
    sent = Recorder()
    publisher = CoalescingPublisher(sent, interval=lambda: 0.0)

    publisher.submit([1, 2])

    assert sent.calls[0][1:] == ([1, 2], threading.current_thread().name)


def test_an_idle_publisher_publishes_at_once_then_gathers_what_comes_within_the_interval():
    sent = Recorder()
    publisher = CoalescingPublisher(sent, interval=lambda: 0.3)

    began = time.monotonic()
    publisher.submit([1])
    wait_until(lambda: sent.calls, timeout=5, what="the first publish")
    for one in range(2, 12):
        publisher.submit([one])
    wait_until(lambda: len(sent.ids()) == 11, timeout=5, what="every id published")

    (first_at, first, thread), (second_at, second, _) = sent.calls
    assert first == [1] and first_at - began < 0.2  # not held back while idle
    assert second == list(range(2, 12))  # ten commits, one publish
    assert second_at - first_at >= 0.29  # at most one publish per interval
    assert thread == "notifications-publisher"


def test_ids_from_many_threads_are_each_published_once():
    sent = Recorder()
    publisher = CoalescingPublisher(sent, interval=lambda: 0.02)

    def commit(start: int) -> None:
        for one in range(start, start + 200):
            publisher.submit([one])

    threads = [threading.Thread(target=commit, args=(start,)) for start in range(0, 1600, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    publisher.flush()

    assert sorted(sent.ids()) == list(range(1600))
    assert len(sent.calls) < 1600 / 4  # gathered, not one publish per commit


def test_flush_publishes_what_is_queued_before_it_returns():
    sent = Recorder()
    publisher = CoalescingPublisher(sent, interval=lambda: 60.0)
    publisher.submit([1])
    wait_until(lambda: sent.calls, timeout=5, what="the first publish")
    publisher.submit([2, 3])  # held: the next publish is a minute away

    assert publisher.queued() == 2
    publisher.flush()

    assert sent.ids() == [1, 2, 3]
    assert publisher.queued() == 0


def test_a_failing_publish_does_not_stop_the_publisher(caplog):
    sent = Recorder(fail_first=1)
    publisher = CoalescingPublisher(sent, interval=lambda: 0.01)

    publisher.submit([1])
    wait_until(lambda: "publishing 1 ids failed" in caplog.text, timeout=5,
               what="the failure logged")
    publisher.submit([2])
    wait_until(lambda: sent.ids() == [2], timeout=5, what="the next publish")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_starts_with_nothing_queued_and_a_publisher_of_its_own():
    sent = Recorder()
    publisher = CoalescingPublisher(sent, interval=lambda: 60.0)
    publisher.submit([1])
    wait_until(lambda: sent.calls, timeout=5, what="the first publish")
    publisher.submit([2])  # the parent's, held for a minute
    read_end, write_end = os.pipe()

    child = os.fork()
    if child == 0:  # the child: report what it holds and publishes, then leave at once
        try:
            held = publisher.queued()
            publisher.submit([3])
            publisher.flush()
            os.write(write_end, f"{held} {sent.ids()[1:]}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    report = os.read(read_end, 100).decode()
    os.waitpid(child, 0)
    os.close(read_end)

    assert report == "0 [3]"  # nothing of the parent's; its own id, published
    assert publisher.queued() == 1  # the parent still holds its own


@shared_task(name="tests.publish_interval_in_a_task")
def publish_interval_in_a_task() -> float:
    return services._publish_interval()


def test_workers_publish_inline_and_web_processes_gather(settings):
    settings.OUTBOX_PUBLISH_INTERVAL = 0.05

    assert services._publish_interval() == 0.05
    assert publish_interval_in_a_task() == 0.0  # run as a task: inside one


@pytest.mark.django_db
def test_registrations_committed_together_are_published_together_each_once(
    settings, django_capture_on_commit_callbacks, published
):
    from notifications.models import Delivery
    from tests.factories import EventFactory, RegistrationFactory

    settings.OUTBOX_PUBLISH_INTERVAL = 60.0  # at most one publish on its own, the first
    event = EventFactory(capacity=100)
    published()
    for person in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            RegistrationFactory(event=event, email=f"p{person}@example.org")

    batches = published()  # flushes what the publisher holds

    assert sorted(one for batch in batches for one in batch) == sorted(
        Delivery.objects.values_list("pk", flat=True))
    assert len(batches) <= 2  # twelve commits: the first publish at once, the rest together
