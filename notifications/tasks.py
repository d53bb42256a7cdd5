"""Celery tasks: thin adapters around ``notifications.services``, owning the retry policy."""

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    name="notifications.send_delivery",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=services.MAX_ATTEMPTS,
)
def send_delivery_task(self, delivery_id: int) -> None:
    try:
        services.send_delivery(delivery_id=delivery_id)
    except services.TransientDeliveryError as error:
        countdown = services.retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="notifications.relay_pending_deliveries")
def relay_pending_deliveries_task() -> int:
    return services.relay_pending_deliveries()
