"""Turning reminders off from an email: a page with a button, and RFC 8058 one-click.

The link carries the registration's management token, which is the credential; so the POST
needs no CSRF token (mail clients send the one-click POST without cookies).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from registrations import selectors, services


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_manage_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        services.set_reminders(registration=registration, enabled=False)
    return render(
        request,
        "notifications/reminders_off.html",
        {"registration": registration, "event": registration.event,
         "done": request.method == "POST"},
    )
