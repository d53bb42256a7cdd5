"""Turning reminders off from an email: a page with a button, and RFC 8058 one-click.

The link carries the registration's unsubscribe token, which only turns reminders off (mail
providers keep the link; it must not manage or erase the registration). It is the credential,
so the POST needs no CSRF token (mail clients send the one-click POST without cookies). The
page is private like the management pages (``registrations.http.private_page``). A link sent
before unsubscribe tokens existed carries the management token: it still works here.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from registrations import selectors, services
from registrations.http import private_page


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_unsubscribe_token(
        token
    ) or selectors.registration_by_manage_token(token)
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
