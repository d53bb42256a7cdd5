"""An event's webhooks in the organizer area: register, rotate the secret, read the delivery
log, redeliver. The same services and permission (MANAGE_WEBHOOKS) as the API."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agenda.errors import DomainError
from agenda.permissions import Permission
from webhooks import services
from webhooks.enums import EventType
from webhooks.models import Webhook, WebhookDelivery

from .base import event_view

LOG_SIZE = 50


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         help_text=_("Where we POST a signed JSON message for each change."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    all_events = forms.BooleanField(label=_("For every event I organize"), required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Tell it about"), choices=EventType.choices, initial=EventType.values,
        widget=forms.CheckboxSelectMultiple,
    )


def _hooks_of(request: HttpRequest, event):
    return Webhook.objects.filter(
        Q(event=event) | Q(event__isnull=True, owner=request.user)
    ).order_by("pk")


def _hook_or_404(request: HttpRequest, event, pk: int) -> Webhook:
    hook = _hooks_of(request, event).filter(pk=pk).first()
    if hook is None:
        raise Http404
    return hook


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.MANAGE_WEBHOOKS)
def webhooks(request: HttpRequest, event) -> HttpResponse:
    form = WebhookForm(request.POST if request.method == "POST" else None)
    new_secret = None
    if form.is_valid():
        try:
            hook = services.create_webhook(
                owner=request.user, url=form.cleaned_data["url"],
                event=None if form.cleaned_data["all_events"] else event,
                event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error("url" if error.field == "url" else None, error.message)
        else:
            new_secret = hook.secret
            form = WebhookForm()
    return render(request, "orga/webhooks.html", {
        "event": event, "tab": "webhooks", "form": form, "hooks": _hooks_of(request, event),
        "new_secret": new_secret,
    }, status=400 if form.is_bound and form.errors else 200)


@require_POST
@event_view(Permission.MANAGE_WEBHOOKS)
def rotate(request: HttpRequest, event, pk: int) -> HttpResponse:
    hook = services.rotate_secret(webhook=_hook_or_404(request, event, pk))
    return render(request, "orga/webhooks.html", {
        "event": event, "tab": "webhooks", "form": WebhookForm(),
        "hooks": _hooks_of(request, event), "new_secret": hook.secret,
    })


@require_POST
@event_view(Permission.MANAGE_WEBHOOKS)
def toggle(request: HttpRequest, event, pk: int) -> HttpResponse:
    hook = _hook_or_404(request, event, pk)
    services.update_webhook(webhook=hook, is_active=not hook.is_active)
    return redirect("orga:webhooks", event.slug)


@require_POST
@event_view(Permission.MANAGE_WEBHOOKS)
def delete(request: HttpRequest, event, pk: int) -> HttpResponse:
    services.delete_webhook(webhook=_hook_or_404(request, event, pk))
    messages.success(request, gettext("The webhook was deleted."))
    return redirect("orga:webhooks", event.slug)


@require_safe
@event_view(Permission.MANAGE_WEBHOOKS)
def deliveries(request: HttpRequest, event, pk: int) -> HttpResponse:
    hook = _hook_or_404(request, event, pk)
    log = hook.deliveries.prefetch_related("attempt_log").order_by("-pk")[:LOG_SIZE]
    return render(request, "orga/webhook_deliveries.html", {
        "event": event, "tab": "webhooks", "hook": hook, "deliveries": log,
    })


@require_POST
@event_view(Permission.MANAGE_WEBHOOKS)
def redeliver(request: HttpRequest, event, pk: int, delivery_id: int) -> HttpResponse:
    hook = _hook_or_404(request, event, pk)
    delivery = WebhookDelivery.objects.filter(webhook=hook, pk=delivery_id).first()
    if delivery is None:
        raise Http404
    try:
        services.redeliver(delivery=delivery)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("The message will be sent again."))
    return redirect("orga:webhook-deliveries", event.slug, hook.pk)
