"""Reminders before each event, at the event's own offsets, to confirmed attendees.

The scan (run by beat every minute) records one ``Delivery`` per (registration, reminder
moment): the unique constraint makes a second scan, a second beat or a re-run record nothing
new. A moment that passed longer than the grace period ago is recorded as skipped.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from agenda.enums import EventStatus
from agenda.models import Event
from registrations.enums import RegistrationStatus
from registrations.models import Registration

from .emails import REMINDER_GRACE
from .enums import DeliveryStatus, MessageKind
from .models import Delivery

# Reminders are looked for this far ahead of the longest offset any event may have.
LOOKAHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class ReminderScan:
    due: int
    skipped: int


def schedule_due_reminders(*, now: dt.datetime | None = None) -> ReminderScan:
    """Record the reminders whose moment has come, for every upcoming published event.

    Side effects: inserts ``Delivery`` rows (pending, due now; or skipped if too late). The
    dispatcher publishes the pending ones.
    """
    now = now or timezone.now()
    due = skipped = 0
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, start__gt=now, start__lte=now + LOOKAHEAD
    ).only("pk", "start", "reminder_offsets")
    for event in events.iterator():
        for offset in event.reminder_offsets or ():
            moment = event.start - dt.timedelta(minutes=offset)
            if moment > now:
                continue
            late = now - moment > REMINDER_GRACE
            count = _record(event, moment, offset, late=late, now=now)
            if late:
                skipped += count
            else:
                due += count
    return ReminderScan(due=due, skipped=skipped)


def _record(event: Event, moment: dt.datetime, offset: int, *, late: bool,
            now: dt.datetime) -> int:
    recipients = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, reminders_enabled=True,
        erased_at__isnull=True,
    ).exclude(
        Exists(Delivery.objects.filter(
            registration=OuterRef("pk"), kind=MessageKind.REMINDER, scheduled_for=moment
        ))
    ).values_list("pk", flat=True)
    rows = [
        Delivery(
            registration_id=registration_id,
            kind=MessageKind.REMINDER,
            scheduled_for=moment,
            next_attempt_at=now,
            status=DeliveryStatus.SKIPPED if late else DeliveryStatus.PENDING,
            context={"offset_minutes": offset},
        )
        for registration_id in recipients
    ]
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
