"""An event's programme in the organizer area: its sessions, rooms, tracks and speakers.

Every row is looked up within the event of the URL, so another event's ids answer 404; every
write goes through ``agenda.services``. Moving or cancelling a session people chose, in a
published event, is confirmed first (``confirm``).
"""

import copy
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agenda import services
from agenda.enums import EventStatus, SessionStatus
from agenda.errors import AgendaError
from agenda.filters import record_id
from agenda.models import Event, Room, Session, Speaker, Track
from agenda.permissions import Permission

from .. import selectors
from ..changes import schedule_changes
from ..forms import RoomForm, SessionForm, SpeakerForm, TrackForm, add_validation_error
from .base import event_view
from .confirm import confirmation, is_confirmed, notified_message
from .local_time import in_event_zone


def _programme_url(event: Event) -> str:
    return reverse("orga:programme", args=[event.slug])


# --- Sessions --------------------------------------------------------------------------------


@require_safe
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def sessions(request: HttpRequest, event: Event) -> HttpResponse:
    return render(request, "orga/programme/sessions.html", {
        "event": event, "sessions": selectors.programme(event), "tab": "programme",
        "subtab": "sessions",
    })


def _offered_speakers(event: Event, data, session: Session | None) -> tuple[list, list]:
    """The speakers the form offers, each with whether it is ticked: the event's own, those
    ticked, and a search's finds (never every speaker of the site); and the finds."""
    offered = {speaker.pk: speaker for speaker in selectors.event_speakers(event)}
    if data is not None:
        ticked = [number for number in map(record_id, data.getlist("speakers"))
                  if number is not None]
        found = selectors.find_speakers(data.get("speaker_search", ""))
    else:
        ticked = [speaker.pk for speaker in session.speakers.all()] if session else []
        found = []
    for speaker in Speaker.objects.filter(pk__in=ticked):
        offered.setdefault(speaker.pk, speaker)
    for speaker in found:
        offered.setdefault(speaker.pk, speaker)
    chosen = {int(pk) for pk in ticked}
    rows = sorted(offered.values(), key=lambda speaker: (speaker.display_name.casefold(),
                                                         speaker.pk))
    return [(speaker, speaker.pk in chosen) for speaker in rows], found


def _render_session(request, event: Event, form: SessionForm, session: Session | None, *,
                    status: int = 200, data=None) -> HttpResponse:
    if data is None and form.is_bound:
        data = form.data
    offered, found = _offered_speakers(event, data, session)
    return render(request, "orga/programme/session_form.html", {
        "event": event, "form": form, "session": session, "offered_speakers": offered,
        "searched": data is not None and bool(data.get("speaker_search", "").strip()),
        "found": found, "tab": "programme", "subtab": "sessions",
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def session_form(request: HttpRequest, event: Event, session_id: int | None = None
                 ) -> HttpResponse:
    """Add a session (no ``session_id``) or edit one of the event's."""
    session = get_object_or_404(Session, pk=session_id, event=event) if session_id else None
    if session is not None:
        session.event = event
    if request.method != "POST":
        initial = {} if session else {"start": event.local_start.replace(tzinfo=None),
                                      "end": event.local_start.replace(tzinfo=None)}
        form = SessionForm(instance=session, initial=initial, event=event)
        return _render_session(request, event, form, session)
    stored = copy.copy(session) if session is not None else None
    form = SessionForm(request.POST, instance=session or Session(event=event), event=event)
    if request.POST.get("action") == "find":
        # Searching for speakers saves nothing, and finds no fault yet: the form comes back
        # as typed, with the finds offered.
        typed = {name: request.POST.getlist(name) if name == "speakers"
                 else request.POST.get(name, "") for name in form.fields}
        return _render_session(request, event, SessionForm(initial=typed, event=event),
                               stored, data=request.POST)
    if not form.is_valid():
        return _render_session(request, event, form, stored, status=400)
    changed = form.instance
    notified = 0
    if stored is not None and event.status != EventStatus.DRAFT:
        changes = schedule_changes(stored, changed, services.SESSION_SCHEDULE_FIELDS, event)
        if changes:
            notified = selectors.session_change_recipients(stored)
            if notified and not is_confirmed(request):
                return confirmation(
                    request, event=event, changes=changes, notified=notified,
                    heading=_("Move the session?"), subject=stored.title,
                    back=reverse("orga:session-edit", args=[event.slug, stored.pk]),
                )
    try:
        services.save_session(session=changed, speakers=form.cleaned_data["speakers"])
    except ValidationError as error:
        add_validation_error(form, error)
        return _render_session(request, event, form, stored, status=400)
    messages.success(request, (_("The session is saved.") if stored else
                               _("The session is added.")) + notified_message(notified))
    return redirect(_programme_url(event))


@require_POST
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def session_cancel(request: HttpRequest, event: Event, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    if session.is_cancelled:
        return redirect(_programme_url(event))
    notified = 0
    if event.status != EventStatus.DRAFT:
        notified = selectors.session_change_recipients(session)
        if notified and not is_confirmed(request):
            after = copy.copy(session)
            after.status = SessionStatus.CANCELLED
            return confirmation(
                request, event=event, notified=notified, danger=True,
                changes=schedule_changes(session, after, {"status"}, event),
                heading=_("Cancel the session?"), subject=session.title,
                back=_programme_url(event),
            )
    services.cancel_session(session=session)
    messages.success(request, _("The session is cancelled.") + notified_message(notified))
    return redirect(_programme_url(event))


@require_POST
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def session_reinstate(request: HttpRequest, event: Event, session_id: int) -> HttpResponse:
    """Schedule a cancelled session again; its attendees hear of it, so it is confirmed
    first."""
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    if not session.is_cancelled:
        return redirect(_programme_url(event))
    notified = 0
    if event.status != EventStatus.DRAFT:
        notified = selectors.session_change_recipients(session)
        if notified and not is_confirmed(request):
            after = copy.copy(session)
            after.status = SessionStatus.SCHEDULED
            return confirmation(
                request, event=event, notified=notified,
                changes=schedule_changes(session, after, {"status"}, event),
                heading=_("Schedule the session again?"), subject=session.title,
                back=_programme_url(event),
            )
    try:
        services.reinstate_session(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_programme_url(event))
    messages.success(request, _("The session is scheduled again.") + notified_message(notified))
    return redirect(_programme_url(event))


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def session_delete(request: HttpRequest, event: Event, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    if request.method == "POST":
        services.delete_session(session=session)
        messages.success(request, _("The session is deleted."))
        return redirect(_programme_url(event))
    return render(request, "orga/programme/session_delete.html", {
        "event": event, "session": session, "tab": "programme", "subtab": "sessions",
        "attendees": selectors.session_change_recipients(session),
    })


# --- Rooms and tracks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A kind of programme row the same page lists, adds, renames and deletes."""

    name: str  # URL names: orga:<name>s, orga:<name>-change, orga:<name>-delete
    model: type[models.Model]
    form: type[forms.ModelForm]
    save: object
    delete: object
    title: str
    added: str
    saved: str
    deleted: str


PARTS = {
    "room": Part("room", Room, RoomForm, services.save_room, services.delete_room,
                 gettext_lazy("Rooms"), gettext_lazy("The room is added."),
                 gettext_lazy("The room is saved."), gettext_lazy("The room is deleted.")),
    "track": Part("track", Track, TrackForm, services.save_track, services.delete_track,
                  gettext_lazy("Tracks"), gettext_lazy("The track is added."),
                  gettext_lazy("The track is saved."), gettext_lazy("The track is deleted.")),
}


def _render_parts(request, event: Event, part: Part, *, bound=None, status: int = 200
                  ) -> HttpResponse:
    """The list of ``part``s with a form each; ``bound`` is (item or None, form) to show as
    submitted, with its errors."""
    rows = []
    for item in part.model.objects.filter(event=event).order_by("name", "pk"):
        form = bound[1] if bound and bound[0] is not None and bound[0].pk == item.pk \
            else part.form(instance=item, prefix=f"{part.name}-{item.pk}")
        rows.append((item, form))
    new_form = bound[1] if bound and bound[0] is None else part.form(prefix="new")
    return render(request, "orga/programme/parts.html", {
        "event": event, "part": part, "rows": rows, "new_form": new_form,
        "tab": "programme", "subtab": part.name,
    }, status=status)


def _save_part(request, event: Event, part: Part, item) -> HttpResponse:
    is_new = item is None
    if is_new:
        item = part.model(event=event)
    form = part.form(request.POST, instance=item,
                     prefix="new" if is_new else f"{part.name}-{item.pk}")
    shown = None if is_new else part.model.objects.get(pk=item.pk)
    if form.is_valid():
        try:
            part.save(**{part.name: form.instance})
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, str(part.added if is_new else part.saved))
            return redirect(f"orga:{part.name}s", event.slug)
    return _render_parts(request, event, part, bound=(shown, form), status=400)


def parts_view(part_name: str):
    part = PARTS[part_name]

    @require_http_methods(["GET", "HEAD", "POST"])
    @event_view(Permission.CHANGE_EVENT)
    @in_event_zone
    def listing(request: HttpRequest, event: Event) -> HttpResponse:
        if request.method == "POST":
            return _save_part(request, event, part, None)
        return _render_parts(request, event, part)

    @require_POST
    @event_view(Permission.CHANGE_EVENT)
    @in_event_zone
    def change(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
        return _save_part(request, event, part, get_object_or_404(part.model, pk=pk,
                                                                   event=event))

    @require_POST
    @event_view(Permission.CHANGE_EVENT)
    @in_event_zone
    def delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
        item = get_object_or_404(part.model, pk=pk, event=event)
        try:
            part.delete(**{part.name: item})
        except AgendaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, str(part.deleted))
        return redirect(f"orga:{part.name}s", event.slug)

    return listing, change, delete


room_list, room_change, room_delete = parts_view("room")
track_list, track_change, track_delete = parts_view("track")


# --- Speakers --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def speakers(request: HttpRequest, event: Event) -> HttpResponse:
    """The event's speakers, and a form to add one (then linked from a session's form)."""
    form = SpeakerForm(request.POST or None, prefix="new")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                speaker = services.save_speaker(speaker=form.instance, event=event)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _(
                    "%(speaker)s is added: link them to a session from its form."
                ) % {"speaker": speaker.display_name})
                return redirect("orga:speakers", event.slug)
        status = 400
    return render(request, "orga/programme/speakers.html", {
        "event": event, "rows": selectors.speaker_rows(event, request.user), "form": form,
        "tab": "programme", "subtab": "speaker",
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.CHANGE_EVENT)
@in_event_zone
def speaker_change(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Edit one of the event's speakers; refused (403) for a speaker who also speaks at an
    event the person does not run, since the change would show there too."""
    speaker = get_object_or_404(selectors.event_speakers(event), pk=pk)
    changeable = selectors.speaker_changeable(speaker, request.user)
    form = SpeakerForm(request.POST or None, instance=speaker)
    status = 200
    if request.method == "POST" and not changeable:
        # The page says why; nothing is read from the submitted fields.
        status = 403
    elif request.method == "POST":
        if form.is_valid():
            try:
                services.save_speaker(speaker=form.instance, event=event)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The speaker is saved."))
                return redirect("orga:speakers", event.slug)
        status = 400
    return render(request, "orga/programme/speaker_form.html", {
        "event": event, "speaker": speaker, "form": form, "changeable": changeable,
        "tab": "programme", "subtab": "speaker",
    }, status=status)
