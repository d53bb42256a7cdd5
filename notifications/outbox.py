"""The statements that claim a delivery and mark it sent: one per message, as the mark of
one rides on the claim of the next (``services._Sender``).

Written in SQL (the same on SQLite and PostgreSQL) because they run once per message and
the ORM takes ten times as long to build an UPDATE as the database takes to run it. Only the
table name (the model's own) is formatted in; every value is a parameter.
"""

import datetime as dt

from django.db import connection

from .enums import DeliveryStatus
from .models import Delivery

# A published delivery is not published again before this (unless a worker reports back).
PUBLISH_LEASE = dt.timedelta(minutes=5)

_TABLE = Delivery._meta.db_table
_SENT = DeliveryStatus.SENT.value
_SENDING = DeliveryStatus.SENDING.value
_PENDING = DeliveryStatus.PENDING.value
_CLAIM_CONDITION = "(id = %s AND status = %s AND attempts = %s)"
# Pending too: had the lease run out meanwhile, the dispatcher must not publish it again.
_MARK_CONDITION = "(id = %s AND status IN (%s, %s))"


def claim(
    delivery: Delivery, *, attempts: int, now: dt.datetime, mark_sent: Delivery | None = None
) -> bool:
    """pending -> sending, if ``delivery`` is still pending at the attempt it was read at;
    True if claimed. The lease runs from ``now``, never shorter than the one its publish
    gave (the dispatcher's clock): the dispatcher does not take an in-flight message back
    before either ends.

    ``mark_sent``, a delivery just sent, is marked sent by the same statement.
    """
    lease = connection.ops.adapt_datetimefield_value(now + PUBLISH_LEASE)
    claim_params = [delivery.pk, _PENDING, delivery.attempts]
    with connection.cursor() as cursor:
        if mark_sent is None:
            cursor.execute(
                f"UPDATE {_TABLE} SET status = %s, attempts = %s, next_attempt_at = CASE"  # noqa: S608
                " WHEN next_attempt_at > %s THEN next_attempt_at ELSE %s END"
                f" WHERE {_CLAIM_CONDITION}",
                [_SENDING, attempts, lease, lease, *claim_params],
            )
            return cursor.rowcount == 1
        sent = mark_sent.pk
        cursor.execute(
            f"UPDATE {_TABLE} SET"  # noqa: S608
            " status = CASE WHEN id = %s THEN %s ELSE %s END,"
            " sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,"
            " attempts = CASE WHEN id = %s THEN attempts ELSE %s END,"
            " next_attempt_at = CASE WHEN id = %s THEN next_attempt_at"
            " WHEN next_attempt_at > %s THEN next_attempt_at ELSE %s END"
            f" WHERE {_MARK_CONDITION} OR {_CLAIM_CONDITION} RETURNING id",
            [
                sent, _SENT, _SENDING,
                sent, connection.ops.adapt_datetimefield_value(now),
                sent, attempts,
                sent, lease, lease,
                sent, _SENDING, _PENDING, *claim_params,
            ],
        )
        return any(row[0] == delivery.pk for row in cursor.fetchall())


def mark_sent(delivery: Delivery, *, now: dt.datetime) -> None:
    """sending -> sent."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET status = %s, sent_at = %s WHERE {_MARK_CONDITION}",  # noqa: S608
            [_SENT, connection.ops.adapt_datetimefield_value(now), delivery.pk, _SENDING,
             _PENDING],
        )
