"""An event's own page in the organizer area: its details, publishing and cancelling it,
cloning it, and previewing it as attendees will see it.

Every write goes through ``agenda.services``; an edit that emails attendees (a published
event moved or cancelled) is shown on a confirmation page first, and saved only when it comes
back with ``confirmed=1``.
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agenda import services
from agenda.enums import EventStatus
from agenda.errors import AgendaError
from agenda.models import Event
from agenda.permissions import Permission
from pages import selectors as page_selectors
from pages.forms import RegistrationForm

from .. import selectors
from ..changes import schedule_changes
from ..forms import CloneForm, EventForm, add_validation_error
from .base import event_view
from .confirm import confirmation, is_confirmed, notified_message
from .local_time import in_event_zone


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def edit(request: HttpRequest, event: Event) -> HttpResponse:
    stored = copy.copy(event)
    if request.method != "POST":
        form = EventForm(instance=event, initial={"tags": list(event.tags.all())})
        return _render_edit(request, stored, form)
    form = EventForm(request.POST, instance=event)
    if not form.is_valid():
        return _render_edit(request, stored, form, status=400)
    changed = form.instance
    changes = schedule_changes(stored, changed, services.EVENT_SCHEDULE_FIELDS, stored)
    notified = 0
    if changes and stored.status != EventStatus.DRAFT:
        notified = selectors.event_change_recipients(stored)
        if notified and not is_confirmed(request):
            return confirmation(request, event=stored, changes=changes, notified=notified,
                                heading=_("Save the changes to the event?"),
                                back=reverse("orga:event-edit", args=[stored.slug]))
    try:
        services.save_event(event=changed, tags=form.cleaned_data["tags"])
    except ValidationError as error:
        add_validation_error(form, error)
        return _render_edit(request, stored, form, status=400)
    messages.success(request, _("The event is saved.") + notified_message(notified))
    return redirect("orga:event-edit", changed.slug)


def _render_edit(request, event: Event, form: EventForm, *, status: int = 200) -> HttpResponse:
    return render(request, "orga/event_edit.html",
                  {"event": event, "form": form, "tab": "event"}, status=status)


@require_POST
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def change_status(request: HttpRequest, event: Event) -> HttpResponse:
    """Publish or cancel the event (``action``); a change attendees hear of is confirmed
    first."""
    action = request.POST.get("action")
    wanted = {"publish": EventStatus.PUBLISHED, "cancel": EventStatus.CANCELLED}.get(action)
    if wanted is None:
        messages.error(request, _("Choose whether to publish or to cancel the event."))
        return redirect("orga:event-edit", event.slug)
    if event.status == wanted:
        return redirect("orga:event-edit", event.slug)
    notified = 0
    if event.status != EventStatus.DRAFT:
        notified = selectors.event_change_recipients(event)
        if notified and not is_confirmed(request):
            after = copy.copy(event)
            after.status = wanted
            return confirmation(
                request, event=event, notified=notified,
                changes=schedule_changes(event, after, {"status"}, event),
                heading=_("Cancel the event?") if action == "cancel"
                else _("Publish the event again?"),
                danger=action == "cancel",
                back=reverse("orga:event-edit", args=[event.slug]),
            )
    try:
        if action == "publish":
            services.publish_event(event=event)
            done = _("The event is published: it is in the agenda and takes registrations.")
        else:
            services.cancel_event(event=event)
            done = _("The event is cancelled. It stays listed, marked cancelled.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("orga:event-edit", event.slug)
    messages.success(request, done + notified_message(notified))
    return redirect("orga:event-edit", event.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def clone(request: HttpRequest, event: Event) -> HttpResponse:
    if request.method != "POST":
        form = CloneForm(event=event, initial={
            "title": event.title, "start": event.local_start.replace(tzinfo=None),
        })
        return _render_clone(request, event, form)
    form = CloneForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cloned = services.clone_event(event=event, new_start=data["start"], slug=data["slug"],
                                          title=data["title"], cloned_by=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        except AgendaError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The copy is saved as a draft: check it, then publish "
                                        "it."))
            return redirect("orga:event-edit", cloned.slug)
    return _render_clone(request, event, form, status=400)


def _render_clone(request, event: Event, form: CloneForm, *, status: int = 200) -> HttpResponse:
    return render(request, "orga/event_clone.html",
                  {"event": event, "form": form, "tab": "event"}, status=status)


@require_safe
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def preview(request: HttpRequest, event: Event) -> HttpResponse:
    """The attendee page of the event as it stands, a draft included, registration off."""
    page = page_selectors.preview_page(event=event, now=timezone.now())
    form = RegistrationForm(sessions=page.sessions)
    return render(request, "pages/event.html", {
        "page": page, "event": page.event, "form": form, "preview": True,
        "session_options": page_selectors.session_options(page.sessions, checked=()),
    })
