"""The confirmation step before a change that emails attendees.

The form's POST, when it would move or cancel something people registered for, answers with
a page listing what changes and how many attendees will be emailed, and a form that sends the
same fields again with ``confirmed=1``. Nothing is saved until then.
"""

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from agenda.models import Event

from ..changes import Change

_NOT_RESENT = {"csrfmiddlewaretoken", "confirmed"}


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def notified_message(notified: int) -> str:
    """The sentence added to a success message when attendees are emailed."""
    if not notified:
        return ""
    return " " + ngettext(
        "%(count)d attendee will be emailed about the change.",
        "%(count)d attendees will be emailed about the change.",
        notified,
    ) % {"count": notified}


def confirmation(request: HttpRequest, *, event: Event, changes: Sequence[Change],
                 notified: int, heading: str, back: str, danger: bool = False,
                 subject: str = "") -> HttpResponse:
    """The confirmation page; ``back`` is where "No, go back" leads, ``subject`` names the
    session concerned (empty for the event itself)."""
    resent = [(name, value) for name, values in request.POST.lists()
              if name not in _NOT_RESENT for value in values]
    return render(request, "orga/confirm.html", {
        "event": event, "changes": changes, "notified": notified, "heading": heading,
        "danger": danger, "subject": subject, "resent": resent, "action": request.path,
        "back": back, "tab": "programme" if subject else "event",
    })
