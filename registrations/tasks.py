import datetime as dt

from celery import shared_task

from . import services

IDEMPOTENCY_KEY_LIFETIME = dt.timedelta(hours=24)


@shared_task(name="registrations.purge_idempotency_records")
def purge_idempotency_records_task() -> int:
    return services.purge_idempotency_records(older_than=IDEMPOTENCY_KEY_LIFETIME)
