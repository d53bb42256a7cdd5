"""Error pages: JSON under /api/, plain HTML elsewhere.

A database that does not answer (stopped, restarting, failing over, refusing connections) is
a 503 with ``Retry-After``, not a 500: the request failed through nobody's fault and the same
request will succeed once the database is back, which the service notices by itself (each
request checks its connection first, ``CONN_HEALTH_CHECKS``).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error

logger = logging.getLogger(__name__)

# What the database driver raises when it cannot be reached or drops the connection (DB-API:
# "errors related to the database's operation and not necessarily under the control of the
# programmer"): connection refused or timed out, server shutting down, connection closed.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds clients are asked to wait before trying again: about what a restart takes.
RETRY_AFTER_SECONDS = 5


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception: one raised outside any view (in a
    # middleware, say) that is the database being away is still a 503.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if _wants_json(request):
        return JsonResponse(
            {"detail": "An unexpected error occurred; it has been logged.", "code": "server_error"},
            status=500,
        )
    return html_server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: JSON ``{"detail", "code": "database_unavailable"}`` under
    /api/, a page elsewhere. Touches no database (no session, no user)."""
    message = gettext(
        "The agenda cannot reach its database for a moment. Please try again in a few seconds."
    )
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "database_unavailable"}, status=503
        )
    else:
        # Rendered without the request: its context processors would read the session.
        page = loader.render_to_string("503.html", {"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never cached by a proxy or a calendar client in place of the real answer.
    response["Cache-Control"] = "no-store"
    return response
