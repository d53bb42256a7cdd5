"""The signed-in person's API token: create one (shown once), revoke it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from .base import orga_view


@require_http_methods(["GET", "HEAD", "POST"])
@orga_view
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        # One token per account (DRF's authtoken): a new one replaces, and so revokes, the old.
        Token.objects.filter(user=request.user).delete()
        new_key = Token.objects.create(user=request.user).key
    token = Token.objects.filter(user=request.user).first()
    return render(request, "orga/tokens.html",
                  {"token": token, "new_key": new_key, "tab": "tokens"})


@require_POST
@orga_view
def revoke(request: HttpRequest) -> HttpResponse:
    deleted, _ = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, gettext("Your API token was revoked: scripts using it are "
                                          "refused from now on."))
    return redirect("orga:tokens")
