import pytest

from config.celery import app as celery_app

# Port 1 (tcpmux) has nothing listening: a real broker address that refuses connections.
UNREACHABLE_BROKER_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def unreachable_broker():
    """Point the Celery app, which read its configuration once at start-up, at a dead broker."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = UNREACHABLE_BROKER_URL
    yield
    celery_app.conf.broker_url = previous


def test_healthz_answers_ok(api_client):
    response = api_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_never_cached(api_client):
    response = api_client.get("/healthz")

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_and_broker_answer(api_client):
    response = api_client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_the_broker_when_it_is_unreachable(api_client, unreachable_broker):
    response = api_client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "unreachable"},
    }


def test_probes_refuse_writes(api_client):
    responses = [api_client.post("/healthz"), api_client.post("/readyz")]

    assert [response.status_code for response in responses] == [405, 405]
