"""The organizer's index of events and each event's dashboard."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
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
    timeline = list(board.timeline)
    if timeline:
        # From nothing the day before the first registration, to today (or the event's
        # start): a line to read, even when everyone registered on one day.
        first_day, _registered, _confirmed = timeline[0]
        last_day, registered, confirmed = timeline[-1]
        timeline.insert(0, (first_day - dt.timedelta(days=1), 0, 0))
        until = min(timezone.localdate(timezone.now(), event.tzinfo), event.local_start.date())
        if until > last_day:
            timeline.append((until, registered, confirmed))
    chart = {
        "labels": [day.isoformat() for day, _registered, _confirmed in timeline],
        "registered": [registered for _day, registered, _confirmed in timeline],
        "confirmed": [confirmed for _day, _registered, confirmed in timeline],
        "capacity": event.capacity,
    }
    return render(request, "orga/dashboard.html", {
        "event": event, "board": board, "chart": chart, "tab": "dashboard",
    })
