"""The organizer's index of events and each event's dashboard."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agenda.permissions import Permission

from .. import selectors
from .base import event_view, orga_view


@require_safe
@orga_view
def index(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.event_index(request.user)
    return render(request, "orga/index.html", {"upcoming": upcoming, "past": past})


@require_safe
@event_view(Permission.VIEW_DASHBOARD)
def event_dashboard(request: HttpRequest, event) -> HttpResponse:
    board = selectors.dashboard(event)
    chart = {
        "labels": [day.isoformat() for day, _registered, _confirmed in board.timeline],
        "registered": [registered for _day, registered, _confirmed in board.timeline],
        "confirmed": [confirmed for _day, _registered, confirmed in board.timeline],
        "capacity": event.capacity,
    }
    return render(request, "orga/dashboard.html", {
        "event": event, "board": board, "chart": chart, "tab": "dashboard",
    })
