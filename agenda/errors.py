"""The domain error every app's errors derive from, and this app's own."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused an action; ``message`` is shown to the person who asked.

    Each app defines one subclass and raises it with a ``code`` from its message table; the
    single API exception handler turns any of them into ``{"detail", "code"}`` with a 4xx.
    """

    status_code = 400
    messages: dict[str, str] = {}

    def __init__(self, code: str, message: str | None = None, *, field: str | None = None,
                 status_code: int | None = None, **params: object) -> None:
        self.code = code
        self.params = params  # for a caller that words the same refusal differently
        template = message if message is not None else self.messages.get(code, code)
        self.message = str(template) % params if params else str(template)
        self.field = field
        if status_code is not None:
            self.status_code = status_code
        super().__init__(self.message)


class AgendaError(DomainError):
    messages = {
        "event_not_found": _("No event with this address."),
        "bad_photo": _(
            "This file is not a photo we can read: send a JPEG, PNG or WebP image."
        ),
        "photo_too_large": _(
            "This photo is too large: send one under 10 MB and 40 megapixels."
        ),
    }
