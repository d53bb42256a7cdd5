"""An event's attendees: the list (searched, filtered, paginated), its exports, and the
actions on one registration, each through ``registrations.services``.

Actions are POST forms (CSRF-checked) that redirect back to the list as it was filtered, with
a message saying what happened (Post/Redirect/Get); a rule the service refuses comes back as
its own message. A registration is looked up within the event of the URL only, so another
event's ids answer 404.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agenda.errors import DomainError
from agenda.permissions import Permission
from registrations import exports, services
from registrations.enums import CancelledBy
from registrations.filters import AttendeeFilter
from registrations.models import Registration
from registrations.selectors import attendee_list

from .base import event_view

PAGE_SIZE = 50
# What the list's address may carry back after an action (nothing else is echoed).
LIST_PARAMETERS = ("q", "status", "session", "checked_in", "page")
REASON_MAX_LENGTH = 1000


def _filtered(request: HttpRequest, event, queryset) -> AttendeeFilter:
    return AttendeeFilter(request.GET or None, queryset=queryset, event=event)


@require_safe
@event_view(Permission.VIEW_ATTENDEES)
def attendees(request: HttpRequest, event) -> HttpResponse:
    filterset = _filtered(request, event, attendee_list(event))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orga/attendees.html", {
        "event": event, "tab": "attendees", "filter": filterset, "page": page,
        "return_query": _list_query(request.GET),
        "reason_max_length": REASON_MAX_LENGTH,
    })


@require_safe
@event_view(Permission.EXPORT_ATTENDEES)
def export_csv(request: HttpRequest, event) -> HttpResponse:
    filterset = _filtered(request, event, Registration.objects.filter(event=event))
    return exports.csv_response(filterset.qs.order_by("pk"), event)


@require_safe
@event_view(Permission.EXPORT_ATTENDEES)
def export_xlsx(request: HttpRequest, event) -> HttpResponse:
    filterset = _filtered(request, event, Registration.objects.filter(event=event))
    return exports.xlsx_response(filterset.qs.order_by("pk"), event)


def _list_query(query: QueryDict) -> str:
    return urlencode([(name, query[name]) for name in LIST_PARAMETERS if query.get(name)])


def _back_to_list(request: HttpRequest, event) -> HttpResponse:
    url = reverse("orga:attendees", args=[event.slug])
    query = _list_query(QueryDict(request.POST.get("return_query", "")))
    return redirect(f"{url}?{query}" if query else url)


def _registration(event, registration_id: int) -> Registration:
    return get_object_or_404(Registration, pk=registration_id, event=event)


def _act(request: HttpRequest, event, registration: Registration,
         action: Callable[[Registration], object], done: str) -> HttpResponse:
    try:
        action(registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": registration.name or registration.email})
    return _back_to_list(request, event)


@require_POST
@event_view(Permission.CHANGE_REGISTRATIONS)
def approve(request: HttpRequest, event, registration_id: int) -> HttpResponse:
    return _act(request, event, _registration(event, registration_id),
                lambda registration: services.approve_registration(registration=registration),
                _("%(name)s is approved."))


@require_POST
@event_view(Permission.CHANGE_REGISTRATIONS)
def promote(request: HttpRequest, event, registration_id: int) -> HttpResponse:
    return _act(request, event, _registration(event, registration_id),
                lambda registration: services.promote_registration(registration=registration),
                _("%(name)s has a seat now."))


@require_POST
@event_view(Permission.CHANGE_REGISTRATIONS)
def cancel(request: HttpRequest, event, registration_id: int) -> HttpResponse:
    registration = _registration(event, registration_id)
    reason = request.POST.get("reason", "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        messages.error(request, _("The reason is too long: at most %(count)d characters.")
                       % {"count": REASON_MAX_LENGTH})
        return _back_to_list(request, event)
    return _act(request, event, registration,
                lambda registration: services.cancel_registration(
                    registration=registration, cancelled_by=CancelledBy.ORGANIZER,
                    reason=reason),
                _("The registration of %(name)s is cancelled; they have been told."))


@require_POST
@event_view(Permission.CHECK_IN)
def check_in(request: HttpRequest, event, registration_id: int) -> HttpResponse:
    registration = _registration(event, registration_id)
    name = registration.name or registration.email
    try:
        outcome = services.check_in(registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if outcome.checked_in:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        else:
            messages.info(request, _("%(name)s was already checked in.") % {"name": name})
    return _back_to_list(request, event)
