"""Fixtures of the notification tests: a real SMTP server, the brokers, worker processes."""

import queue

import pytest
from django.db import connection

from config.celery import app as celery_app
from notifications import services as notification_services

from .support import (
    SmtpServer,
    WorkerProcess,
    filesystem_broker,
    forget_rabbitmq_queue,
    forget_redis_queue,
    networked_broker,
    rabbitmq_url,
    redis_url,
    require_rabbitmq,
    require_redis,
    use_broker,
    worker_database_url,
    worker_env,
)


@pytest.fixture
def smtp_server():
    """aiosmtpd on 127.0.0.1 recording what it accepts (``smtp_server.handler.received``)."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """This process sends through Django's SMTP backend to ``smtp_server``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_server


def _drain_published() -> list[list[int]]:
    """Take every message off the in-memory broker's ``celery`` queue: the delivery id
    batches published to ``notifications.send_deliveries``, in order (what this process's
    publisher still held, published first)."""
    notification_services.publisher.flush()
    batches = []
    with celery_app.connection_for_read() as broker_connection:
        messages = broker_connection.SimpleQueue("celery")
        try:
            while True:
                try:
                    message = messages.get(block=False)
                except queue.Empty:
                    break
                message.ack()
                if message.headers["task"] == "notifications.send_deliveries":
                    args, _kwargs, _embed = message.decode()
                    batches.append(args[0])
        finally:
            messages.close()
    return batches


@pytest.fixture
def published():
    """``published()`` returns the delivery id batches this process published (to an
    in-memory broker) since the last call."""
    with use_broker(celery_app, "memory://", {}, queue="celery"):
        _drain_published()
        yield _drain_published


@pytest.fixture(params=["redis", "rabbitmq", "filesystem"])
def broker(request, tmp_path):
    """A real broker, and the test process's Celery app publishing to it."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    if request.param == "redis":
        url = redis_url()
        require_redis(url)
        chosen = networked_broker("redis", url, var_dir)
    elif request.param == "rabbitmq":
        url = rabbitmq_url()
        require_rabbitmq(url)
        chosen = networked_broker("rabbitmq", url, var_dir)
    else:
        chosen = filesystem_broker(var_dir)
    with use_broker(celery_app, chosen.url, chosen.transport_options, queue=chosen.queue):
        yield chosen
    if chosen.name == "redis":
        forget_redis_queue(chosen.url, chosen.queue)
    elif chosen.name == "rabbitmq":
        forget_rabbitmq_queue(chosen.url, chosen.queue)


@pytest.fixture
def start_worker(transactional_db, broker, smtp_server, tmp_path):
    """``start_worker()`` starts a ``celery worker`` process on ``broker``, the test database
    and ``smtp_server``, and returns once it is ready. Every worker started is killed at
    teardown, before the database is flushed, pass or fail."""
    workers: list[WorkerProcess] = []
    env = worker_env(
        broker=broker,
        database_url=worker_database_url(connection.settings_dict),
        email_url=smtp_server.url,
    )

    def start() -> WorkerProcess:
        worker = WorkerProcess(
            env=env, cwd=broker.worker_cwd, queue=broker.queue,
            log_path=tmp_path / f"worker-{len(workers)}.log",
        )
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.kill()
        # Shown by pytest when the test failed.
        print(f"--- {worker.log_path.name}\n{worker.log}")
