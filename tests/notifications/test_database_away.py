"""The worker's database session dies while the mail server is taking a message: the message
has gone out, so it is still marked sent (after a reconnection), never left to go out again
when its lease runs out. tests/slow/test_database_restart.py restarts a whole PostgreSQL
under load."""

import psycopg
import pytest
from django.db import connection

from notifications.enums import DeliveryStatus
from notifications.services import send_deliveries
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def kill_session_during_data(smtp_server, backend_pid: int) -> None:
    """The SMTP server ends ``backend_pid``'s database session (pg_terminate_backend, as a
    restart or a failover would) while it receives a message's DATA, then accepts it."""
    settings_dict = connection.settings_dict
    accept = smtp_server.handler.handle_DATA

    async def handle_DATA(server, session, envelope):
        with psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
            dbname=settings_dict["NAME"], autocommit=True,
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        return await accept(server, session, envelope)

    smtp_server.handler.handle_DATA = handle_DATA


def test_a_message_sent_while_the_database_session_dies_is_marked_sent_once_reconnected(
    smtp_settings,
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a session another one can terminate")
    delivery = RegistrationFactory(email="amina@example.org").deliveries.get()
    connection.ensure_connection()
    kill_session_during_data(smtp_settings, connection.connection.info.backend_pid)

    sent = send_deliveries(delivery_ids=[delivery.pk])

    delivery.refresh_from_db()
    assert (sent, delivery.status) == (1, DeliveryStatus.SENT)
    assert [received.rcpt_tos for received in smtp_settings.handler.received] == [
        ("amina@example.org",)
    ]
