from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgaConfig(AppConfig):
    """The organizer area at /orga/: an interface like the API and the attendee pages, with
    no models of its own. Its views ask ``agenda.permissions`` and call the services."""

    name = "orga"
    verbose_name = _("Organizer area")
