"""Organizers' messages to attendees: past messages, composing one (with a preview of the
email as one recipient gets it), and each message's progress through the outbox."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from agenda.permissions import Permission
from notifications import selectors, services
from notifications.errors import NotificationError
from notifications.models import Message

from ..forms import MessageForm
from .base import event_view

# The preview shows the HTML email in a sandboxed frame: the email's own inline style
# attributes (mail clients need them) are let through for that page alone; no script.
PREVIEW_CSP = {"style-src-attr": ["'unsafe-inline'"]}


@require_safe
@event_view(Permission.SEND_MESSAGES)
def message_list(request: HttpRequest, event) -> HttpResponse:
    return render(request, "orga/messages.html", {
        "event": event, "tab": "messages", "sent": selectors.messages_of(event),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.SEND_MESSAGES)
def compose(request: HttpRequest, event) -> HttpResponse:
    form = MessageForm(request.POST or None, event=event)
    preview = None
    if request.method == "POST" and form.is_valid():
        draft = {name: form.cleaned_data[name]
                 for name in ("subject", "body", "audience", "session")}
        try:
            if request.POST.get("action") == "send":
                message = services.send_organizer_message(event=event, sent_by=request.user,
                                                          **draft)
                messages.success(request, ngettext(
                    "Your message is on its way to %(count)d recipient.",
                    "Your message is on its way to %(count)d recipients.",
                    message.recipient_count,
                ) % {"count": message.recipient_count})
                return redirect("orga:message", event.slug, message.pk)
            recipient, email = services.preview_organizer_message(
                event=event, recipient_email=form.cleaned_data["preview_as"], **draft
            )
            preview = {
                "recipient": recipient, "email": email,
                "text": email.body, "html": email.alternatives[0][0],
                "recipient_count": selectors.message_recipients(
                    event=event, audience=draft["audience"], session=draft["session"]
                ).count(),
            }
        except NotificationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    response = render(request, "orga/message_compose.html", {
        "event": event, "tab": "messages", "form": form, "preview": preview,
    }, status=400 if form.errors else 200)
    if preview is not None:
        response._csp_update = PREVIEW_CSP
    return response


@require_safe
@event_view(Permission.SEND_MESSAGES)
def message_detail(request: HttpRequest, event, message_id: int) -> HttpResponse:
    message = get_object_or_404(
        Message.objects.select_related("session", "created_by"), pk=message_id, event=event
    )
    return render(request, "orga/message_detail.html", {
        "event": event, "tab": "messages", "progress": selectors.message_progress(message),
    })
