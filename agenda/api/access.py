"""Who the API is talking to, and what they may reach: the organizer endpoints' base.

Every organizer endpoint asks ``agenda.permissions`` (never a filter of its own) and answers:
401 without (valid) credentials, 404 for an event or object the account may not see (a draft
it holds no role on, an id of another event), 403 for one it sees but may not act on. Changes
made through the API are attributed to the account in the audit log (``AuditVia.API``).
"""

from django.conf import settings
from django.http import Http404
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.throttling import UserRateThrottle

from agenda import audit, permissions
from agenda.enums import AuditVia, EventStatus
from agenda.models import Event
from agenda.permissions import Permission


class OrganizerRateThrottle(UserRateThrottle):
    """Requests per account to organizer endpoints, at ORGANIZER_API_RATE_LIMIT."""

    scope = "organizer"

    def get_rate(self) -> str | None:
        rate = settings.ORGANIZER_API_RATE_LIMIT.strip().lower()
        return None if rate in ("", "off", "none", "0") else rate

    def __init__(self) -> None:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)


class AuditedMixin:
    """Attributes what a request changes to its (token or session) user, via the API."""

    _acting_as = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates, checks permissions
        if request.user is not None and request.user.is_authenticated:
            self._acting_as = audit.acting_as(request.user, via=AuditVia.API)
            self._acting_as.__enter__()

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # Even after an unexpected error: the next request this thread serves must not
            # be attributed to this one's user.
            acting_as, self._acting_as = self._acting_as, None
            if acting_as is not None:
                acting_as.__exit__(None, None, None)


class OrganizerMixin(AuditedMixin):
    """An endpoint for people with a role: authenticated, throttled, audited."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [OrganizerRateThrottle]


def deny(user) -> None:
    """Refuse: 401 for nobody in particular, 403 for an account without the permission."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated
    raise PermissionDenied


def event_for(user, slug: str, permission: Permission) -> Event:
    """The event at ``slug`` if ``user`` may do ``permission`` to it; else 404 when they may
    not even see it (a draft of others, no such event), 403 when they may."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise Http404
    if permissions.has_event_permission(user, event, permission):
        return event
    if event.status == EventStatus.DRAFT and not permissions.roles_for(user, event):
        raise Http404
    deny(user)
    raise AssertionError  # deny() always raises


def require(user, event: Event, permission: Permission) -> None:
    """403 (or 401) unless ``user`` may do ``permission`` to ``event`` they can see."""
    if not permissions.has_event_permission(user, event, permission):
        deny(user)
