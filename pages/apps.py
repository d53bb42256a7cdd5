from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The attendee web pages: the top floor, composing ``agenda`` and ``registrations``.

    It holds no rules and no models: its views read through selectors and act through the
    same services as the API.
    """

    name = "pages"
    verbose_name = _("Attendee pages")
