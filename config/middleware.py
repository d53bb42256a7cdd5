"""Middleware of the whole site (the apps' own live in their packages)."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .errors import DATABASE_UNAVAILABLE, database_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with ``Retry-After`` (see
    ``config.errors``), and the log gets one line instead of a traceback per request while
    the database is away. Errors outside views reach ``config.errors.server_error``, which
    answers 503 for them too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("database unavailable: %s %s: %s: %s", request.method, request.path,
                       type(exception).__name__, str(exception).strip())
        return database_unavailable(request)
