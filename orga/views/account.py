"""Signing in and out of the organizer area, and setting a password from an emailed link.

Django's own views, with this area's templates; sign-in attempts are rate limited per client
address and per account name, so a password cannot be guessed at speed.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from notifications.accounts import QueuedPasswordResetForm

from .base import private

_RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"10/m"`` -> (10, 60); None when the limit is off."""
    rate = rate.strip().lower()
    if rate in ("", "off", "none", "0"):
        return None
    count, _slash, period = rate.partition("/")
    return int(count), _RATE_PERIODS[period[:1]]


class PrivateMixin:
    def dispatch(self, request, *args, **kwargs):
        return private(super().dispatch(request, *args, **kwargs))


class LoginView(PrivateMixin, auth_views.LoginView):
    template_name = "orga/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if self._too_many_attempts(request):
            form = self.get_form()
            form.add_error(None, _("Too many sign-in attempts. Wait a minute, then try again."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def _too_many_attempts(self, request) -> bool:
        rate = parse_rate(settings.ORGA_LOGIN_RATE_LIMIT)
        if rate is None:
            return False
        allowed, seconds = rate
        username = (request.POST.get("username") or "").strip().lower()[:150]
        keys = [f"orga-login:ip:{request.META.get('REMOTE_ADDR', '')}",
                f"orga-login:user:{username}"]
        blocked = False
        for key in keys:
            cache.add(key, 0, timeout=seconds)
            try:
                attempts = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds)
                attempts = 1
            blocked = blocked or attempts > allowed
        return blocked


class LogoutView(PrivateMixin, auth_views.LogoutView):
    next_page = reverse_lazy("orga:login")


class PasswordResetView(PrivateMixin, auth_views.PasswordResetView):
    template_name = "orga/password_reset.html"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("orga:password-reset-done")


class PasswordResetDoneView(PrivateMixin, auth_views.PasswordResetDoneView):
    template_name = "orga/password_reset_done.html"


class PasswordSetView(PrivateMixin, auth_views.PasswordResetConfirmView):
    template_name = "orga/password_set.html"
    success_url = reverse_lazy("orga:password-set-done")


class PasswordSetDoneView(PrivateMixin, auth_views.PasswordResetCompleteView):
    template_name = "orga/password_set_done.html"

    def get(self, request, *args, **kwargs):
        messages.success(request, _("Your password is set. Sign in with it."))
        return super().get(request, *args, **kwargs)
