"""Faults, with a real worker process, a real broker and a real SMTP server: a worker killed
mid-batch, two dispatchers at once, a broker outage, a mail server that says "try later".
Each email still arrives, and arrives once (a killed worker may double the one message it had
in flight: handed to the SMTP server before its row could be marked sent).
"""

import collections
import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from agenda.models import Event
from config.celery import app as celery_app
from notifications import reminders
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.services import BATCH_SIZE, PUBLISH_LEASE, dispatch_due_deliveries
from notifications.tasks import dispatch_task
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory

from .support import UNREACHABLE_BROKER_URL, WORKER_CONCURRENCY, use_broker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SECOND = dt.timedelta(seconds=1)
# Two tasks (a full batch, and 50): the worker is killed in the first, the second waits in
# the broker.
REMINDERS = BATCH_SIZE + 50
TEMPORARY = "451 4.3.0 Try again later"


def registered_quietly(event, count: int) -> list[Registration]:
    """``count`` confirmed attendees whose confirmation emails went out long ago: only what
    the test does next reaches the broker and the mail server."""
    with use_broker(celery_app, "memory://", {}), transaction.atomic():
        attendees = [
            RegistrationFactory(event=event, email=f"attendee{index:03}@example.org")
            for index in range(count)
        ]
    Delivery.objects.update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    return attendees


def event_starting_soon(**fields):
    """An event whose only reminder (1 hour before) fell due ten minutes ago."""
    start = timezone.now() + dt.timedelta(minutes=50)
    return EventFactory(start=start, end=start + dt.timedelta(hours=2), reminder_offsets=[60],
                        **fields)


def all_reminders_sent(expected: int) -> bool:
    return Delivery.objects.filter(
        kind=MessageKind.REMINDER, status=DeliveryStatus.SENT
    ).count() == expected


def rows_locked_elsewhere() -> int:
    """Pending deliveries another database session holds locked (none on SQLite, whose locks
    go with the process that held them)."""
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    with transaction.atomic():
        free = pending.select_for_update(skip_locked=True).values_list("pk", flat=True)
        return pending.count() - len(free)


def copies_per_recipient(smtp_server) -> collections.Counter:
    return collections.Counter(
        address for received in smtp_server.handler.received for address in received.rcpt_tos
    )


@pytest.mark.parametrize("broker", ["redis", "rabbitmq", "filesystem"], indirect=True)
def test_worker_killed_mid_batch_loses_no_reminder_and_doubles_at_most_one(
    broker, start_worker, smtp_server
):
    attendees = registered_quietly(event_starting_soon(), REMINDERS)
    worker = start_worker()
    assert reminders.schedule_due_reminders().due == REMINDERS
    assert dispatch_due_deliveries() == REMINDERS  # two tasks

    wait_until(lambda: len(smtp_server.handler.received) >= 30, timeout=30,
               what="the worker to be well into the first batch")
    worker.kill()
    at_kill = len(smtp_server.handler.received)
    # Until the database notices the closed connection, the killed worker's session keeps any
    # row lock it held, and the dispatcher (SKIP LOCKED) would leave that row to its next run.
    wait_until(lambda: rows_locked_elsewhere() == 0, timeout=10,
               what="the killed worker's database session to end")
    # The lease of the lost task has not run out; the dispatcher is told it has.
    republished = dispatch_due_deliveries(now=timezone.now() + PUBLISH_LEASE + SECOND)
    start_worker()

    wait_until(lambda: all_reminders_sent(REMINDERS), timeout=60,
               what="every reminder to be sent")
    copies = copies_per_recipient(smtp_server)
    assert 0 < at_kill < BATCH_SIZE, "the worker was not killed in the middle of its first batch"
    assert at_kill - WORKER_CONCURRENCY <= REMINDERS - republished <= at_kill
    assert sorted(copies) == sorted(attendee.email for attendee in attendees)
    assert sum(count - 1 for count in copies.values()) <= WORKER_CONCURRENCY


@pytest.mark.parametrize("broker", ["redis"], indirect=True)
def test_two_dispatchers_at_once_send_each_reminder_once(broker, start_worker, smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so nothing can race")
    rounds, per_round = 5, 20
    events = [EventFactory(reminder_offsets=[60]) for _ in range(rounds)]
    attendees = [
        attendee for event in events for attendee in registered_quietly(event, per_round)
    ]
    start_worker()
    # Then the clock is arranged: each event's reminder falls due a second after the last,
    # so that every round has fresh reminders for both dispatchers to race for.
    first_moment = timezone.now() + SECOND
    moments = [first_moment + index * SECOND for index in range(rounds)]
    for event, moment in zip(events, moments, strict=True):
        start = moment + dt.timedelta(minutes=60)
        Event.objects.filter(pk=event.pk).update(start=start, end=start + dt.timedelta(hours=2))
    outcomes: list[dict] = []
    errors: list[BaseException] = []

    def beat(barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(dispatch_task())
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    for moment in moments:
        time.sleep(max((moment - timezone.now()).total_seconds(), 0))
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=beat, args=(barrier,)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert len(outcomes) == 2 * rounds
    assert sum(outcome["published"] for outcome in outcomes) == rounds * per_round
    assert Delivery.objects.filter(kind=MessageKind.REMINDER).count() == rounds * per_round
    wait_until(lambda: all_reminders_sent(rounds * per_round), timeout=60,
               what="every reminder to be sent")
    copies = copies_per_recipient(smtp_server)
    assert copies == collections.Counter(attendee.email for attendee in attendees)


@pytest.mark.parametrize("broker", ["redis", "filesystem"], indirect=True)
def test_registrations_during_a_broker_outage_are_emailed_once_it_is_back(
    broker, start_worker, smtp_server
):
    event = EventFactory()
    client = Client()
    addresses = [f"attendee{index}@example.org" for index in range(5)]

    with use_broker(celery_app, UNREACHABLE_BROKER_URL, {}):
        statuses = [
            client.post(
                f"/api/v1/events/{event.slug}/registrations/",
                json.dumps({"name": "Attendee", "email": address, "consent": True}),
                content_type="application/json",
            ).status_code
            for address in addresses
        ]
    recorded = sorted(Delivery.objects.values_list("registration__email", "kind", "status"))
    start_worker()
    republished = dispatch_due_deliveries(now=timezone.now() + PUBLISH_LEASE + SECOND)
    wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 5,
        timeout=30, what="the five confirmations to be sent",
    )

    assert statuses == [201] * 5
    assert recorded == [
        (address, MessageKind.REGISTRATION_CONFIRMED, DeliveryStatus.PENDING)
        for address in addresses
    ]
    assert republished == 5
    assert copies_per_recipient(smtp_server) == collections.Counter(addresses)
    assert {received.email.subject for received in smtp_server.handler.received} == {
        f"You are registered: {event.title}"
    }


@pytest.mark.parametrize("broker", ["redis", "filesystem"], indirect=True)
def test_email_refused_twice_for_now_is_delivered_once_on_the_third_attempt(
    broker, start_worker, smtp_server
):
    smtp_server.handler.refuse("RCPT", TEMPORARY, times=2)
    start_worker()

    registration = RegistrationFactory(email="amina@example.org")  # published on commit
    delivery = registration.deliveries.get()
    dispatched = []
    for failures in (1, 2):
        failed = wait_until(
            lambda failures=failures: Delivery.objects.filter(
                pk=delivery.pk, attempts=failures, status=DeliveryStatus.PENDING
            ).first(),
            timeout=30, what=f"attempt {failures} to be refused",
        )
        # Beat would run the dispatcher when the backoff is over; run it as if it were.
        dispatched.append(dispatch_due_deliveries(now=failed.next_attempt_at))
    sent = wait_until(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).first(),
        timeout=30, what="the third attempt to succeed",
    )

    assert dispatched == [1, 1]
    assert (sent.attempts, sent.last_error.startswith("SMTPRecipientsRefused: ")) == (3, True)
    assert copies_per_recipient(smtp_server) == collections.Counter(["amina@example.org"])
