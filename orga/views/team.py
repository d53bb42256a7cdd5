"""An event's team (who organizes it, who helps at the door) and its audit log."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from agenda import services
from agenda.enums import Role
from agenda.errors import DomainError
from agenda.permissions import Permission

from .. import selectors
from .base import event_view

AUDIT_PAGE_SIZE = 50


class GrantRoleForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254,
                             help_text=_("A new address gets an account and a link to set "
                                         "its password."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.ORGANIZER)


class RevokeRoleForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Role.choices)


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(Permission.MANAGE_TEAM)
def team(request: HttpRequest, event) -> HttpResponse:
    form = GrantRoleForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            event_role = services.grant_role(
                event=event, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                granted_by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("%(email)s is now %(role)s of this event.") % {
                "email": event_role.user.email,
                "role": event_role.get_role_display().lower(),
            })
            return redirect("orga:team", event.slug)
    return render(request, "orga/team.html", {
        "event": event, "tab": "team", "form": form, "roles": selectors.organizers_of(event),
    }, status=400 if form.is_bound else 200)


@require_http_methods(["POST"])
@event_view(Permission.MANAGE_TEAM)
def revoke(request: HttpRequest, event) -> HttpResponse:
    form = RevokeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose whom to remove from the team."))
        return redirect("orga:team", event.slug)
    try:
        revoked = services.revoke_role(event=event, email=form.cleaned_data["email"],
                                       role=form.cleaned_data["role"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if revoked:
            messages.success(request, gettext("%(email)s was removed from the team.")
                             % {"email": form.cleaned_data["email"]})
        else:
            messages.error(request, gettext("%(email)s has no such role for this event.")
                           % {"email": form.cleaned_data["email"]})
    return redirect("orga:team", event.slug)


@require_safe
@event_view(Permission.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest, event) -> HttpResponse:
    page = Paginator(selectors.audit_entries(event), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "orga/audit.html", {"event": event, "tab": "audit", "page": page})
