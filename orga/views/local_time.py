"""Organizer pages about one event show and read times in that event's zone."""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def in_event_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view(request, event, ...)`` (under ``event_view``) with the event's zone active,
    so forms show stored times as its wall-clock times and parse typed ones in it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, event, *args, **kwargs) -> HttpResponse:
        with timezone.override(event.tzinfo):
            return view(request, event, *args, **kwargs)

    return wrapper
