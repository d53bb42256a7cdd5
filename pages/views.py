"""The attendee pages. Thin: each reads through ``pages.selectors`` and acts through the same
``registrations.services`` functions as the API, then renders or redirects (Post/Redirect/Get).

Pages under a management token are private: they are never cached, and send no Referer to
other sites, so the token stays with the attendee. Their referrer policy is ``same-origin``
rather than ``no-referrer``: under ``no-referrer`` browsers send ``Origin: null`` with every
form POST, which Django's CSRF check rightly refuses, and ``same-origin`` keeps the token from
every other site just the same.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agenda.calendar_links import webcal_url
from registrations import links as registration_links
from registrations import pdfs, services, tickets
from registrations.api.serializers import RegistrationSerializer
from registrations.api.throttling import RegistrationRateThrottle
from registrations.enums import RegistrationStatus
from registrations.errors import RegistrationError
from registrations.http import private_page
from registrations.models import Registration
from registrations.selectors import registration_with_answers

from . import selectors
from .forms import (
    AnswersForm,
    RegistrationForm,
    RemindersForm,
    SessionActionForm,
    SessionChoicesForm,
    initial_answers,
    page_message,
)

# --- Public pages -------------------------------------------------------------------------


@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    page = selectors.agenda_page(query=request.GET, now=timezone.now())
    return render(request, "pages/agenda.html", {"page": page, "nav": page.when},
                  status=400 if page.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.event_page(slug=slug, now=timezone.now())
    if page is None:
        raise Http404
    status, retry_after = 200, None
    if request.method == "POST":
        form = RegistrationForm(request.POST, sessions=page.sessions, questions=page.questions)
        throttle = RegistrationRateThrottle()
        if throttle.allow_request(request, None):
            outcome = _register(request, page.event, form)
            if isinstance(outcome, HttpResponse):
                return outcome
            status = outcome
        else:
            form.add_error(None, gettext(
                "Too many registrations from your network. Please try again in a minute."
            ))
            status, retry_after = 429, throttle.wait()
    else:
        form = RegistrationForm(sessions=page.sessions, questions=page.questions)
    context = {
        "page": page,
        "event": page.event,
        "form": form,
        "session_options": selectors.session_options(
            page.sessions, checked=form.checked_sessions()
        ),
    }
    response = render(request, "pages/event.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(max(int(retry_after), 1))
    return response


def _register(request: HttpRequest, event, form: RegistrationForm) -> HttpResponse | int:
    """Register through ``services.register``: a redirect to the new registration's page,
    or the status to re-render the form with (its errors added to it)."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    try:
        outcome = services.register_input(
            event=event, data=data, language=get_language() or settings.LANGUAGE_CODE
        )
    except RegistrationError as error:
        if error.status_code == 404:
            raise Http404 from error
        form.add_refusal(error)
        return error.status_code
    if not outcome.created:
        # The API's neutral 409: never the other registration, nor a hint of its link.
        form.add_refusal(RegistrationError("already_registered", status_code=409))
        return 409
    messages.success(request, _registered_message(outcome.registration), extra_tags="registered")
    return redirect(_manage_path(outcome.registration))


def _registered_message(registration: Registration) -> str:
    return gettext(
        "Thank you, %(name)s. Your registration is recorded and we have emailed you the link "
        "to this page. Keep it: anyone who has it can change your registration."
    ) % {"name": registration.name}


@require_safe
def speakers(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.event_page(slug=slug, now=timezone.now(), with_questions=False)
    if page is None:
        raise Http404
    return render(request, "pages/speakers.html", {"page": page, "event": page.event})


@require_safe
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    page = selectors.session_page(slug=slug, session_id=session_id, now=timezone.now())
    if page is None:
        raise Http404
    return render(request, "pages/session.html", {"page": page, "event": page.event})


@require_safe
def speaker_detail(request: HttpRequest, speaker_id: int) -> HttpResponse:
    page = selectors.speaker_page(speaker_id=speaker_id, now=timezone.now())
    if page is None:
        raise Http404
    return render(request, "pages/speaker.html", {"page": page, "speaker": page.speaker})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs)."""
    return redirect(static("pages/favicon.svg"), permanent=True)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request, "pages/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION}
    )


# --- Pages under a management token -------------------------------------------------------


def _manage_path(registration: Registration) -> str:
    return reverse("pages:manage", kwargs={"token": registration.manage_token})


def _registration(token: str) -> Registration:
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404  # the same page for a wrong, revoked or erased token
    return registration


def _render_manage(request: HttpRequest, registration: Registration, *, form=None,
                   answers_form=None, status: int = 200) -> HttpResponse:
    page = selectors.manage_page(registration=registration, now=timezone.now())
    if answers_form is None and page.questions:
        answers_form = AnswersForm(
            questions=page.questions, initial=initial_answers(page.answers)
        )
    if form is None:
        form = SessionChoicesForm(
            initial={"sessions": [choice.session_id for choice in page.choices]},
            sessions=[option.session for option in page.options],
        )
    elif form.is_bound:
        # Re-tick what was submitted, so a refused change can be corrected, not retyped.
        submitted = set(form.data.getlist("sessions"))
        for option in page.options:
            option.checked = str(option.session.pk) in submitted
    context = {
        "page": page,
        "registration": registration,
        "event": page.event,
        "form": form,
        "answers_form": answers_form,
        "feed_url": registration_links.feed_url(registration),
        "feed_webcal": webcal_url(registration_links.feed_url(registration)),
        "has_ticket": has_ticket(registration),
    }
    if context["has_ticket"]:
        # segno's SVG holds nothing but the drawing and the code (URL-safe characters).
        context["ticket_svg"] = mark_safe(tickets.qr_svg(registration.ticket_code))  # noqa: S308
    return render(request, "pages/manage.html", context, status=status)


def has_ticket(registration: Registration) -> bool:
    """Only a confirmed attendee has a ticket to show at the door."""
    return registration.status == RegistrationStatus.CONFIRMED


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def manage(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    if request.method != "POST":
        return _render_manage(request, registration)
    sessions = registration.event.sessions.all()
    form = SessionChoicesForm(request.POST, sessions=sessions)
    if not form.is_valid():
        return _render_manage(request, registration, form=form, status=400)
    try:
        conflicts = services.change_sessions(
            registration=registration, session_ids=form.cleaned_data["sessions"]
        )
    except RegistrationError as error:
        if error.field is None:
            messages.error(request, page_message(error))
            return redirect(_manage_path(registration))
        form.add_refusal(error)
        return _render_manage(request, registration, form=form, status=error.status_code)
    messages.success(request, gettext("Your sessions are updated."))
    if conflicts:
        messages.warning(
            request, gettext("Some of your sessions overlap in time: see the warning below.")
        )
    return redirect(_manage_path(registration))


@require_POST
@private_page
def answers(request: HttpRequest, token: str) -> HttpResponse:
    """Change the answers to the event's questions (``services.change_answers`` decides)."""
    registration = _registration(token)
    form = AnswersForm(request.POST, questions=selectors.event_questions(registration.event))
    if not form.is_valid():
        return _render_manage(request, registration, answers_form=form, status=400)
    try:
        services.change_answers(registration=registration, answers=form.cleaned_data["answers"])
    except RegistrationError as error:
        if error.code != "invalid_answer":
            messages.error(request, page_message(error))
            return redirect(_manage_path(registration) + "#answers")
        form.add_error(None, page_message(error))
        return _render_manage(request, registration, answers_form=form, status=400)
    messages.success(request, gettext("Your answers are saved."))
    return redirect(_manage_path(registration) + "#answers")


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def manage_session(request: HttpRequest, token: str, session_id: int) -> HttpResponse:
    """A session's page from the attendee's own: add it to (or drop it from) their sessions
    through ``services.change_sessions``, which decides."""
    registration = _registration(token)
    page = selectors.registration_session_page(
        registration=registration, session_id=session_id, now=timezone.now()
    )
    if page is None:
        raise Http404
    here = reverse("pages:manage-session", kwargs={"token": token, "session_id": session_id})
    if request.method == "POST":
        form = SessionActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Choose to add or to remove the session."))
            return redirect(here)
        held = [choice.session_id for choice in registration.active_choices]
        if form.cleaned_data["action"] == "add":
            wanted = [*held, session_id]
        else:
            wanted = [pk for pk in held if pk != session_id]
        try:
            conflicts = services.change_sessions(
                registration=registration,
                session_ids=wanted,
                join_waitlist=form.cleaned_data["join_waitlist"],
            )
        except RegistrationError as error:
            messages.error(request, page_message(error))
            return redirect(here)
        messages.success(
            request,
            gettext("The session is in your registration.") if form.cleaned_data["action"] == "add"
            else gettext("The session is no longer in your registration."),
        )
        if conflicts:
            messages.warning(
                request, gettext("Some of your sessions overlap in time: see your registration.")
            )
        return redirect(here)
    return render(
        request,
        "pages/session.html",
        {"page": page, "event": page.event, "registration": registration},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    if not registration.is_active:
        return redirect(_manage_path(registration))
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration)
        except RegistrationError as error:
            messages.error(request, page_message(error))
        else:
            messages.success(request, gettext("Your registration is cancelled."))
        return redirect(_manage_path(registration))
    return render(
        request,
        "pages/manage_confirm.html",
        {"registration": registration, "event": registration.event, "action": "cancel"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def erase(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    if request.method == "POST":
        services.erase_personal_data(registration=registration)
        # The token died with the data: the next page is one that needs none.
        return redirect("pages:erased")
    return render(
        request,
        "pages/manage_confirm.html",
        {"registration": registration, "event": registration.event, "action": "erase"},
    )


@require_POST
@private_page
def rotate_feed(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    services.rotate_feed_token(registration=registration)
    messages.success(
        request,
        gettext(
            "Your calendar link is renewed: the old one no longer works. Subscribe again with "
            "the new one."
        ),
    )
    return redirect(_manage_path(registration) + "#calendar")


@require_POST
@private_page
def reminders(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    form = RemindersForm(request.POST)
    if form.is_valid():
        enabled = form.cleaned_data["enabled"]
        services.set_reminders(registration=registration, enabled=enabled)
        messages.success(
            request,
            gettext("Reminder emails are on.") if enabled
            else gettext("Reminder emails are off. You will still hear about programme changes."),
        )
    return redirect(_manage_path(registration) + "#reminders")


@require_safe
@private_page
def ticket_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The one-page PDF ticket of a confirmed registration."""
    registration = _registration(token)
    if not has_ticket(registration):
        messages.error(request, gettext("Only a confirmed registration has a ticket."))
        return redirect(_manage_path(registration))
    response = HttpResponse(pdfs.ticket_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ticket-{registration.event.slug}.pdf"'
    )
    return response


@require_POST
@private_page
def rotate_ticket(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    services.rotate_ticket_code(registration=registration)
    messages.success(
        request,
        gettext("Your ticket is renewed: the old code no longer works. Use the new one below."),
    )
    return redirect(_manage_path(registration) + "#ticket")


@require_safe
@private_page
def download_data(request: HttpRequest, token: str) -> HttpResponse:
    """Everything stored about the registration, as the API gives it (``GET .../data/``)."""
    registration = _registration(token)
    fresh = registration_with_answers().get(pk=registration.pk)
    body = dict(RegistrationSerializer(fresh).data)
    body["exported_at"] = timezone.now().isoformat()
    response = JsonResponse(body, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="registration-{registration.event.slug}.json"'
    )
    return response


@require_safe
@private_page
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/erased.html")
