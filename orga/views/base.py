"""What every organizer page shares: sign-in, the event it is about, and who may see it.

``event_view(permission)`` is the one gate: it signs the person in, loads the event of the
URL, and asks ``agenda.permissions``. An event the person has no role for answers 404, as if
it did not exist (its slug reveals nothing); a role without the permission answers 403.
"""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from agenda import permissions
from agenda.models import Event
from agenda.permissions import Permission


def private(response: HttpResponse) -> HttpResponse:
    """Organizer pages show attendees' data: never cached, no Referer, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def orga_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in page of the organizer area that is not about one event."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return private(view(request, *args, **kwargs))

    return wrapper


def event_view(permission: Permission) -> Callable:
    """A page about the event of the URL's ``slug``; the view gets ``event`` instead."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            event = get_object_or_404(Event, slug=slug)
            granted = permissions.permissions_for(request.user, event)
            if not granted:
                raise Http404
            if permission not in granted:
                raise PermissionDenied
            request.event_permissions = granted
            return private(view(request, event, *args, **kwargs))

        return wrapper

    return decorator
