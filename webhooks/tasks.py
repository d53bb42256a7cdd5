"""Celery tasks: thin adapters around the webhook services.

A delivery is claimed before it is sent, so tasks are acknowledged late and handed back if
their worker dies; retries live in the database (``next_attempt_at``), not in Celery.
"""

from celery import shared_task

from . import services


@shared_task(name="webhooks.send_delivery", acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)
def send_delivery_task(delivery_id: int) -> bool:
    return services.send_delivery(delivery_id=delivery_id)


@shared_task(name="webhooks.dispatch", ignore_result=True)
def dispatch_task() -> int:
    """Publish every webhook delivery whose time has come."""
    return services.dispatch_due()
