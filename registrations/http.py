"""How a response under a registration's private link is sent: the attendee's alone."""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a response as the attendee's alone: no caching anywhere, no Referer to other
    sites, no search engine. Every page under a token of the registration sends these
    (the management pages, the reminders-off page)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper
