from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class RegistrationRateThrottle(SimpleRateThrottle):
    """Registrations per client address, at REGISTRATION_RATE_LIMIT ("off" disables it)."""

    scope = "registration"

    def get_rate(self) -> str | None:
        rate = settings.REGISTRATION_RATE_LIMIT.strip().lower()
        return None if rate in ("", "off", "none", "0") else rate

    def __init__(self) -> None:
        # The rate is read per request, so a test or an operator can change it at runtime.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
