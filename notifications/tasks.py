"""Celery tasks: thin adapters around the notifications services.

Sending is idempotent (a delivery is claimed before it is sent, once), so tasks are
acknowledged late and handed back if their worker dies: a killed worker loses nothing.
"""

from celery import shared_task

from . import reminders, services


@shared_task(
    name="notifications.send_deliveries",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def send_deliveries_task(delivery_ids: list[int]) -> int:
    # Failures are rescheduled in the database (next_attempt_at) and published again by the
    # dispatcher, so this task itself never retries.
    return services.send_deliveries(delivery_ids=delivery_ids)


@shared_task(name="notifications.dispatch", ignore_result=True)
def dispatch_task() -> dict:
    """Record due reminders, then publish every delivery whose time has come."""
    scan = reminders.schedule_due_reminders()
    published = services.dispatch_due_deliveries()
    return {"reminders_due": scan.due, "reminders_skipped": scan.skipped,
            "published": published}
