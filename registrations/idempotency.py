"""Idempotency-Key support: a retried POST gets the first response instead of a second effect.

The record is written in the same transaction as the registration, after the event row is
locked, so two concurrent retries are serialized and the second one finds the first's record.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import transaction

from .errors import RegistrationError
from .models import IdempotencyRecord
from .services import lock_event

MAX_KEY_LENGTH = 255


def fingerprint(payload: object) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(
    *,
    event_id: int,
    scope: str,
    key: str,
    request_fingerprint: str,
    action: Callable[[], tuple[int, dict]],
) -> tuple[int, dict]:
    """Run ``action`` (returning status and body) once per key, replaying its success after.

    Failures are not recorded: a retry of a refused request is judged afresh.
    """
    if len(key) > MAX_KEY_LENGTH:
        raise RegistrationError(
            "idempotency_key_too_long",
            f"The Idempotency-Key header may be at most {MAX_KEY_LENGTH} characters.",
            field="Idempotency-Key",
        )
    with transaction.atomic():
        lock_event(event_id)
        record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if record is not None:
            if record.request_fingerprint != request_fingerprint:
                raise RegistrationError("idempotency_key_reused", status_code=422)
            return record.response_status, record.response_body
        status, body = action()
        if status < 400:
            IdempotencyRecord.objects.create(
                scope=scope,
                key=key,
                request_fingerprint=request_fingerprint,
                response_status=status,
                response_body=body,
            )
        return status, body
