"""notifications.services and tasks: recorded with the change, published after commit, leased,
sent once, and retried with backoff against a real SMTP server until they go or fail."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from notifications import services
from notifications.enums import DeliveryStatus, MessageKind
from notifications.models import Delivery
from notifications.reminders import schedule_due_reminders
from notifications.services import (
    MAX_ATTEMPTS,
    PUBLISH_LEASE,
    TransientDeliveryError,
    dispatch_due_deliveries,
    retry_delay,
    retry_failed,
    send_delivery,
)
from notifications.tasks import dispatch_task, send_deliveries_task
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory

from .support import free_port

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)
TEMPORARY = "451 4.3.0 Try again later"
PERMANENT = "550 5.1.1 No such mailbox here"


def confirmation(registration: Registration) -> Delivery:
    return registration.deliveries.get(kind=MessageKind.REGISTRATION_CONFIRMED)


def refreshed(delivery: Delivery) -> Delivery:
    return Delivery.objects.get(pk=delivery.pk)


def seconds_later(before: dt.datetime, later: dt.datetime) -> int:
    """``later - before`` in seconds, to the nearest ten: the send between ``before`` and
    the failure takes a moment, however slow the machine."""
    return round((later - before).total_seconds() / 10) * 10


def event_starting_soon(**fields):
    """Its 1-hour reminder fell due ten minutes ago (the 7- and 1-day ones long ago)."""
    start = timezone.now() + dt.timedelta(minutes=50)
    return EventFactory(start=start, end=start + dt.timedelta(hours=2), **fields)


# --- Recording and publishing --------------------------------------------------------------------


def test_email_is_recorded_with_the_registration_and_published_only_after_commit(
    django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks() as callbacks:
        registration = RegistrationFactory(email="amina@example.org")
        delivery = confirmation(registration)
        before_commit = published()

    for callback in callbacks:
        callback()

    assert before_commit == []
    assert published() == [[delivery.pk]]
    assert (delivery.status, delivery.attempts, delivery.scheduled_for <= timezone.now()) == (
        DeliveryStatus.PENDING, 0, True,
    )
    # Leased: the dispatcher publishes it again only if no worker has sent it by then.
    assert delivery.next_attempt_at - delivery.scheduled_for == PUBLISH_LEASE


def test_registration_rolled_back_leaves_no_email_and_publishes_nothing(
    django_capture_on_commit_callbacks, published
):
    event = EventFactory()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        RegistrationFactory(event=event)
        raise RuntimeError("the request failed after registering")

    assert (Registration.objects.count(), Delivery.objects.count(), published()) == (0, 0, [])


def test_dispatch_publishes_each_due_delivery_once_per_lease(
    django_capture_on_commit_callbacks, published
):
    event = event_starting_soon()
    attendees = RegistrationFactory.create_batch(3, event=event)
    schedule_due_reminders()
    due = sorted(
        Delivery.objects.filter(kind=MessageKind.REMINDER, status=DeliveryStatus.PENDING)
        .values_list("pk", flat=True)
    )
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        first = dispatch_due_deliveries(now=now)
    first_published = published()
    with django_capture_on_commit_callbacks(execute=True):
        second = dispatch_due_deliveries(now=now + SECOND)
    second_published = published()
    # After the lease, whatever is still pending is published again: here the reminders and
    # the confirmations, whose publish at registration nobody consumed.
    with django_capture_on_commit_callbacks(execute=True):
        after_lease = dispatch_due_deliveries(now=now + PUBLISH_LEASE + SECOND)
    republished = published()

    assert (first, second, after_lease) == (3, 0, 6)
    assert (first_published, second_published) == ([due], [])
    assert sorted(republished[0]) == sorted(
        due + [confirmation(attendee).pk for attendee in attendees]
    )


def test_dispatch_publishes_in_batches(django_capture_on_commit_callbacks, published):
    registration = RegistrationFactory()
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(registration=registration, kind=MessageKind.CHANGE_NOTICE,
                 scheduled_for=now - index * SECOND, next_attempt_at=now)
        for index in range(2 * services.BATCH_SIZE + 50)
    )

    with django_capture_on_commit_callbacks(execute=True):
        count = dispatch_due_deliveries(now=now)

    assert [len(batch) for batch in published()] == [
        services.BATCH_SIZE, services.BATCH_SIZE, 50
    ]
    assert count == 2 * services.BATCH_SIZE + 50


def test_dispatch_task_records_due_reminders_and_publishes_them(
    django_capture_on_commit_callbacks, published
):
    RegistrationFactory.create_batch(2, event=event_starting_soon())

    with django_capture_on_commit_callbacks(execute=True):
        outcome = dispatch_task()

    reminders = Delivery.objects.filter(kind=MessageKind.REMINDER, status=DeliveryStatus.PENDING)
    assert outcome == {"reminders_due": 2, "reminders_skipped": 4, "published": 2}
    assert [sorted(batch) for batch in published()] == [
        sorted(reminders.values_list("pk", flat=True))
    ]


def test_beat_runs_the_dispatcher_every_thirty_seconds():
    assert settings.CELERY_BEAT_SCHEDULE["notifications-dispatch"] == {
        "task": "notifications.dispatch", "schedule": 30.0,
    }
    assert dispatch_task.name == "notifications.dispatch"


def test_sending_task_is_acknowledged_late_and_handed_back_when_its_worker_dies():
    assert (
        send_deliveries_task.name,
        send_deliveries_task.acks_late,
        send_deliveries_task.reject_on_worker_lost,
    ) == ("notifications.send_deliveries", True, True)


# --- Sending once --------------------------------------------------------------------------------


def test_sending_a_delivery_twice_sends_one_email():
    delivery = confirmation(RegistrationFactory(email="amina@example.org"))

    outcomes = [send_delivery(delivery_id=delivery.pk), send_delivery(delivery_id=delivery.pk)]

    delivery = refreshed(delivery)
    assert outcomes == [True, False]
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    assert (delivery.status, delivery.attempts, delivery.sent_at is not None) == (
        DeliveryStatus.SENT, 1, True,
    )


def test_sending_task_sends_a_batch_once_however_often_it_runs():
    event = EventFactory()
    ids = [confirmation(RegistrationFactory(event=event)).pk for _ in range(3)]

    runs = [send_deliveries_task(ids), send_deliveries_task(ids), send_deliveries_task(ids[:1])]

    assert runs == [3, 0, 0]
    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_sending_a_delivery_that_is_gone_does_nothing():
    assert (send_delivery(delivery_id=987654), send_deliveries_task([987654])) == (False, 0)


# --- SMTP failures, against a real SMTP server ---------------------------------------------------


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_temporary_refusal_is_retried_later_with_backoff(
    smtp_settings, stage, django_capture_on_commit_callbacks
):
    smtp_settings.handler.refuse(stage, TEMPORARY, times=1)
    delivery = confirmation(RegistrationFactory(email="amina@example.org"))
    before = timezone.now()

    with pytest.raises(TransientDeliveryError):
        send_delivery(delivery_id=delivery.pk)

    failed = refreshed(delivery)
    assert (failed.status, failed.attempts, smtp_settings.handler.received) == (
        DeliveryStatus.PENDING, 1, [],
    )
    assert "451" in failed.last_error
    assert seconds_later(before, failed.next_attempt_at) == 30
    with django_capture_on_commit_callbacks(execute=True):
        too_early = dispatch_due_deliveries(now=failed.next_attempt_at - SECOND)
        when_due = dispatch_due_deliveries(now=failed.next_attempt_at)

    retried = send_delivery(delivery_id=delivery.pk)

    sent = refreshed(delivery)
    assert (too_early, when_due, retried) == (0, 1, True)
    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 2)
    assert [message.rcpt_tos for message in smtp_settings.handler.received] == [
        ("amina@example.org",)
    ]


def test_backoff_doubles_until_the_last_attempt_then_the_delivery_fails(smtp_settings):
    smtp_settings.handler.refuse("DATA", TEMPORARY)  # for good
    delivery = confirmation(RegistrationFactory())
    delays = []

    for _attempt in range(MAX_ATTEMPTS - 1):
        before = timezone.now()
        with pytest.raises(TransientDeliveryError):
            send_delivery(delivery_id=delivery.pk)
        delays.append(seconds_later(before, refreshed(delivery).next_attempt_at))
    last = send_delivery(delivery_id=delivery.pk)

    failed = refreshed(delivery)
    assert delays == [30, 60, 120, 240, 480]
    assert [retry_delay(attempts).total_seconds() for attempts in range(1, 6)] == delays
    assert (last, failed.status, failed.attempts) == (False, DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert failed.last_error.startswith("SMTPDataError: (451, ")
    assert dispatch_due_deliveries(now=timezone.now() + dt.timedelta(days=1)) == 0


def test_permanent_recipient_refusal_fails_at_once(smtp_settings):
    smtp_settings.handler.refuse("RCPT", PERMANENT)
    delivery = confirmation(RegistrationFactory(email="nobody@example.org"))

    sent = send_delivery(delivery_id=delivery.pk)

    failed = refreshed(delivery)
    assert (sent, failed.status, failed.attempts) == (False, DeliveryStatus.FAILED, 1)
    assert failed.last_error == (
        "SMTPRecipientsRefused: {'nobody@example.org': (550, b'5.1.1 No such mailbox here')}"
    )
    assert smtp_settings.handler.received == []


def test_mail_server_down_is_a_temporary_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    delivery = confirmation(RegistrationFactory())

    with pytest.raises(TransientDeliveryError):
        send_delivery(delivery_id=delivery.pk)

    failed = refreshed(delivery)
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 1)
    assert failed.last_error.startswith("ConnectionRefusedError: ")


def test_one_failure_does_not_hold_up_the_rest_of_the_batch(smtp_settings):
    smtp_settings.handler.refuse("RCPT", TEMPORARY, times=1)
    event = EventFactory()
    first, second = (
        confirmation(RegistrationFactory(event=event, email=f"{name}@example.org"))
        for name in ("first", "second")
    )

    sent = send_deliveries_task([first.pk, second.pk])

    assert sent == 1
    assert [(d.status, d.attempts) for d in (refreshed(first), refreshed(second))] == [
        (DeliveryStatus.PENDING, 1), (DeliveryStatus.SENT, 1),
    ]
    assert [m.rcpt_tos for m in smtp_settings.handler.received] == [("second@example.org",)]


def test_a_batch_stops_at_an_unreachable_mail_server_and_leaves_the_rest_pending(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    event = EventFactory()
    first, *rest = (confirmation(RegistrationFactory(event=event)) for _ in range(3))

    sent = send_deliveries_task([first.pk, *(delivery.pk for delivery in rest)])

    # One attempt is recorded (and backs off); the others were not tried and keep the lease
    # their publish gave them, after which the dispatcher publishes them again.
    assert sent == 0
    assert [(d.status, d.attempts) for d in map(refreshed, (first, *rest))] == [
        (DeliveryStatus.PENDING, 1), (DeliveryStatus.PENDING, 0), (DeliveryStatus.PENDING, 0),
    ]
    assert refreshed(first).last_error.startswith("ConnectionRefusedError: ")


def test_a_message_that_cannot_be_written_fails_alone_and_the_batch_goes_on(smtp_settings):
    event = EventFactory()
    broken, fine = (
        RegistrationFactory(event=event, email=f"{name}@example.org") for name in ("a", "b")
    )
    # A change notice whose recorded change its template cannot read.
    notice = Delivery.objects.create(
        registration=broken, kind=MessageKind.CHANGE_NOTICE, scheduled_for=timezone.now(),
        context={"changes": [{"item": "session"}]},
    )

    sent = send_deliveries_task([notice.pk, confirmation(fine).pk])

    failed = refreshed(notice)
    assert sent == 1
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 0)
    assert failed.last_error == "Rendering failed: KeyError: 'id'"
    assert refreshed(confirmation(fine)).status == DeliveryStatus.SENT
    assert [m.rcpt_tos for m in smtp_settings.handler.received] == [("b@example.org",)]


def test_a_header_that_cannot_be_sent_fails_for_good_without_retries(smtp_settings):
    registration = RegistrationFactory(email="amina@example.org")
    Event.objects.filter(pk=registration.event_id).update(title="Forum\nBcc: x@example.org")

    sent = send_delivery(delivery_id=confirmation(registration).pk)

    failed = refreshed(confirmation(registration))
    assert (sent, failed.status, failed.attempts) == (False, DeliveryStatus.FAILED, 1)
    assert failed.last_error.startswith("BadHeaderError: Header values can't contain newlines")
    assert smtp_settings.handler.received == []


def test_failed_delivery_is_queued_again_by_retry_failed(
    smtp_settings, django_capture_on_commit_callbacks, published
):
    smtp_settings.handler.refuse("RCPT", PERMANENT, times=1)
    delivery = confirmation(RegistrationFactory(email="amina@example.org"))
    send_delivery(delivery_id=delivery.pk)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = retry_failed(deliveries=Delivery.objects.all())
    queued = refreshed(delivery)
    sent = send_delivery(delivery_id=delivery.pk)

    assert (requeued, published()) == (1, [[delivery.pk]])
    assert (queued.status, queued.attempts) == (DeliveryStatus.PENDING, 0)
    assert (sent, refreshed(delivery).status) == (True, DeliveryStatus.SENT)
    assert [m.rcpt_tos for m in smtp_settings.handler.received] == [("amina@example.org",)]


def test_failed_deliveries_are_listed_in_the_admin_with_a_retry_action(
    admin_client, smtp_settings, django_capture_on_commit_callbacks, published
):
    smtp_settings.handler.refuse("RCPT", PERMANENT, times=1)
    event = EventFactory()
    failed = confirmation(RegistrationFactory(event=event, email="bounced@example.org"))
    sent = confirmation(RegistrationFactory(event=event, email="fine@example.org"))
    send_deliveries_task([failed.pk, sent.pk])
    changelist = reverse("admin:notifications_delivery_changelist")

    listing = admin_client.get(changelist, {"status__exact": "failed"})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist,
            {"action": "retry_selected", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert listing.status_code == 200
    assert [d.registration.email for d in listing.context["cl"].result_list] == [
        "bounced@example.org"
    ]
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["1 delivery(ies) queued again."]
    assert [(d.status, d.attempts) for d in (refreshed(failed), refreshed(sent))] == [
        (DeliveryStatus.PENDING, 0), (DeliveryStatus.SENT, 1),
    ]
    assert published() == [[failed.pk]]


def test_services_module_names_its_limits():
    # The numbers, here so that a change to them is a deliberate one.
    assert (
        6, dt.timedelta(minutes=5), 500,
    ) == (services.MAX_ATTEMPTS, services.PUBLISH_LEASE, services.BATCH_SIZE)
