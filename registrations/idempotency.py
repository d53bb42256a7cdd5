"""Idempotency-Key support: a retried POST gets the first response instead of a second effect.

The record is written in the same transaction as the registration, under a lock on the key
(a transaction-level advisory lock on PostgreSQL; SQLite's IMMEDIATE transaction holds the
database's write lock), so two concurrent retries of one key are serialized and the second
finds the first's record, while requests with other keys (or none) do not wait for them.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import connection, transaction

from .errors import RegistrationError
from .models import IdempotencyRecord

MAX_KEY_LENGTH = 255


def fingerprint(payload: object) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_key(scope: str, key: str) -> None:
    """Hold a lock on ``(scope, key)`` until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                           [f"idempotency\n{scope}\n{key}"])


def run_once(
    *,
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
        _lock_key(scope, key)
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
