"""Process probes for load balancers and orchestrators."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from .celery import app as celery_app

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering; says nothing of its dependencies."""
    return JsonResponse({"status": "ok"})


def _database_ready() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("readiness: database unreachable: %s", error)
        return "unreachable"
    return None


def _broker_ready() -> str | None:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        logger.warning("readiness: broker unreachable: %s", error)
        return "unreachable"
    return None


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 naming what does not."""
    checks = {"database": _database_ready(), "broker": _broker_ready()}
    failing = {name: problem for name, problem in checks.items() if problem}
    body = {
        "status": "unavailable" if failing else "ok",
        "checks": {name: problem or "ok" for name, problem in checks.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)


MEDIA_MAX_AGE = 365 * 24 * 60 * 60


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded file (MEDIA_ROOT), for development and `make run`. Its name is a hash of
    its content (``agenda.images``), so it may be cached for a year and never revalidated."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
