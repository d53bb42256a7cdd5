"""Check-in at the door: the scan page, its JSON answers, and the printable list.

Every answer, whether to a camera scan (``scan``, JSON), to the no-JS form (``check_in_page``,
POST) or to a name found in the search, is built by ``answer_for`` from the service's outcome
or refusal, so a helper reads the same words whichever way they checked someone in.
"""

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agenda.models import Event
from agenda.permissions import Permission
from registrations import pdfs
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.errors import CheckInRefused
from registrations.models import Registration

from .base import event_view

# How each refusal reads at the door: its result word and its tone.
_REFUSALS = {
    "check_in_pending": ("pending_approval", "warn"),
    "check_in_waitlisted": ("waitlisted", "warn"),
    "check_in_cancelled": ("cancelled", "danger"),
    "not_confirmed": ("not_confirmed", "danger"),
    "other_event_ticket": ("other_event", "danger"),
    "unknown_ticket": ("unknown", "danger"),
}
MAX_CODE_LENGTH = 200


@dataclass
class Answer:
    """What the door is told about one scan or one check-in."""

    result: str  # checked_in, already_checked_in, undone, or a refusal's word
    tone: str  # ok, warn, danger, info: the colour it is shown in
    message: str
    status_code: int = 200
    registration: str = ""  # public id, for undo
    name: str = ""
    organization: str = ""
    sessions: list[str] = field(default_factory=list)
    checked_in_at: str = ""
    checked_in_by: str = ""
    can_undo: bool = False
    counts: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def _person(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("someone no longer on the team")
    return user.get_full_name() or user.get_username()


def _moment(event: Event, moment: dt.datetime) -> str:
    local = event.localize(moment)
    if local.date() == event.localize(timezone.now()).date():
        return dateformat.format(local, "H:i")
    return dateformat.format(local, "j M Y, H:i")


def _sessions(registration: Registration) -> list[str]:
    event = registration.event
    return [
        f"{dateformat.format(event.localize(choice.session.start), 'D H:i')} "
        f"{choice.session.title}"
        for choice in registration.active_choices
        if choice.status == SessionChoiceStatus.CONFIRMED
    ]


def _counts(event: Event) -> dict:
    counts = registration_selectors.check_in_counts(event)
    return {
        "confirmed": counts.confirmed,
        "checked_in": counts.checked_in,
        "label": _("%(checked_in)d of %(confirmed)d checked in") % {
            "checked_in": counts.checked_in, "confirmed": counts.confirmed,
        },
    }


def _with_details(registration: Registration) -> Registration:
    return (
        registration_selectors.registration_with_details()
        .select_related("checked_in_by")
        .get(pk=registration.pk)
    )


def answer_for(event: Event, *, outcome=None, refusal: CheckInRefused | None = None,
               undone: Registration | None = None) -> Answer:
    """The door's answer for a check-in ``outcome``, a ``refusal`` or an ``undone`` check-in."""
    if refusal is not None:
        result, tone = _REFUSALS.get(refusal.code, ("not_confirmed", "danger"))
        answer = Answer(result=result, tone=tone, message=refusal.message,
                        status_code=refusal.status_code)
        if refusal.registration is not None:
            registration = refusal.registration
            answer.registration = str(registration.public_id)
            answer.name = registration.name
            answer.organization = registration.organization
        answer.counts = _counts(event)
        return answer
    if undone is not None:
        return Answer(
            result="undone", tone="info", registration=str(undone.public_id),
            name=undone.name, organization=undone.organization,
            message=_("Check-in undone: %(name)s is no longer checked in.") % {
                "name": undone.name},
            counts=_counts(event),
        )
    registration = _with_details(outcome.registration)
    answer = Answer(
        result="checked_in" if outcome.checked_in else "already_checked_in",
        tone="ok" if outcome.checked_in else "warn",
        message="",
        registration=str(registration.public_id),
        name=registration.name,
        organization=registration.organization,
        sessions=_sessions(registration),
        checked_in_at=_moment(event, registration.checked_in_at),
        checked_in_by=_person(registration.checked_in_by),
        can_undo=True,
        counts=_counts(event),
    )
    if outcome.checked_in:
        answer.message = _("Checked in: %(name)s") % {"name": registration.name}
    else:
        answer.message = _(
            "Already checked in at %(moment)s by %(person)s: %(name)s"
        ) % {"moment": answer.checked_in_at, "person": answer.checked_in_by,
             "name": registration.name}
    return answer


def _registration_of(event: Event, public_id: str) -> Registration:
    try:
        return Registration.objects.get(event=event, public_id=public_id)
    except (Registration.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404 from missing  # not a registration of this event (or not an id at all)


def _check_in(request: HttpRequest, event: Event, *, code: str = "",
              registration_id: str = "") -> Answer:
    """Check in by ticket ``code`` or by ``registration_id`` (a name found in the search)."""
    try:
        if registration_id:
            outcome = registration_services.check_in(
                registration=_registration_of(event, registration_id), by=request.user
            )
        else:
            outcome = registration_services.check_in_by_code(
                event=event, code=code[:MAX_CODE_LENGTH], by=request.user
            )
    except CheckInRefused as refusal:
        return answer_for(event, refusal=refusal)
    return answer_for(event, outcome=outcome)


def _undo(event: Event, registration_id: str) -> Answer:
    registration = registration_services.undo_check_in(
        registration=_registration_of(event, registration_id)
    )
    return answer_for(event, undone=registration)


def _page(request: HttpRequest, event: Event, *, answer: Answer | None = None) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    found = registration_selectors.check_in_candidates(event, query) if query else []
    for registration in found:
        registration.sessions_line = "; ".join(_sessions(registration))
        if registration.checked_in_at is not None:
            registration.checked_in_line = _("%(moment)s by %(person)s") % {
                "moment": _moment(event, registration.checked_in_at),
                "person": _person(registration.checked_in_by),
            }
    base = reverse("orga:check-in", args=[event.slug])
    return render(request, "orga/checkin.html", {
        "event": event,
        "tab": "check-in",
        "answer": answer,
        "query": query,
        "found": found,
        "counts": _counts(event),
        "urls": {
            "page": base,
            "scan": reverse("orga:check-in-scan", args=[event.slug]),
            "undo": reverse("orga:check-in-undo", args=[event.slug]),
            "counts": reverse("orga:check-in-counts", args=[event.slug]),
            "list": reverse("orga:check-in-list", args=[event.slug]),
        },
        "statuses": RegistrationStatus,
    }, status=answer.status_code if answer is not None else 200)


@event_view(Permission.CHECK_IN)
def check_in_page(request: HttpRequest, event: Event) -> HttpResponse:
    """The scan page; without JavaScript, its forms post here (a typed code, or a person
    found by name) and the answer is shown at the top of the page."""
    if request.method == "POST":
        answer = _check_in(request, event, code=request.POST.get("code", ""),
                           registration_id=request.POST.get("registration", ""))
        return _page(request, event, answer=answer)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return _page(request, event)


def _posted(request: HttpRequest) -> dict:
    """The JSON body of a scan (a form body also does, for the no-JS undo button)."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):  # not JSON (or not UTF-8); nested past the stack
            return {}
        return body if isinstance(body, dict) else {}
    return request.POST.dict()


def _text(body: dict, name: str) -> str:
    value = body.get(name, "")
    return value.strip() if isinstance(value, str) else ""


@require_POST
@event_view(Permission.CHECK_IN)
def scan(request: HttpRequest, event: Event) -> JsonResponse:
    """``POST {"code": ...}`` (a scanned ticket) or ``{"registration": <public id>}``: the
    answer as JSON, with the live counts."""
    body = _posted(request)
    code, registration_id = _text(body, "code"), _text(body, "registration")
    if not code and not registration_id:
        return JsonResponse({"result": "invalid", "tone": "danger", "message": _(
            "Nothing was scanned: send the ticket's code.")}, status=400)
    answer = _check_in(request, event, code=code, registration_id=registration_id)
    return JsonResponse(answer.as_json(), status=answer.status_code)


@require_POST
@event_view(Permission.CHECK_IN)
def undo(request: HttpRequest, event: Event) -> HttpResponse:
    """Undo a mistaken check-in: JSON for the scan page's button, else back to the page."""
    body = _posted(request)
    registration_id = _text(body, "registration")
    if not registration_id:
        return JsonResponse({"result": "invalid", "tone": "danger", "message": _(
            "Say whose check-in to undo.")}, status=400)
    answer = _undo(event, registration_id)
    if request.content_type == "application/json":
        return JsonResponse(answer.as_json())
    return _page(request, event, answer=answer)


@require_safe
@event_view(Permission.CHECK_IN)
def counts(request: HttpRequest, event: Event) -> JsonResponse:
    """Checked in of confirmed, for the page's live counter."""
    return JsonResponse(_counts(event))


@require_safe
@event_view(Permission.CHECK_IN)
def attendee_list_pdf(request: HttpRequest, event: Event) -> HttpResponse:
    """The confirmed attendees, alphabetical, with a box to tick: for a door without network."""
    body = pdfs.check_in_list_pdf(event, registration_selectors.check_in_list(event))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="check-in-{event.slug}.pdf"'
    return response
