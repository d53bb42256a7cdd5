import pytest

from tests.notifications.conftest import broker, smtp_server, start_worker  # noqa: F401

from .support import Receiver

LOOPBACK = "127.0.0.0/8"


@pytest.fixture(autouse=True)
def allow_loopback(settings, monkeypatch):
    """Webhooks may call the tests' own receiver on 127.0.0.1 (and workers started now)."""
    settings.WEBHOOKS_ALLOWED_NETWORKS = [LOOPBACK]
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.WEBHOOKS_TIMEOUT = 5
    monkeypatch.setenv("WEBHOOKS_ALLOWED_NETWORKS", LOOPBACK)
    monkeypatch.setenv("WEBHOOKS_TIMEOUT", "5")


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()
