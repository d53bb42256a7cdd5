from django.utils.translation import gettext_lazy as _

from agenda.errors import DomainError


class WebhookError(DomainError):
    messages = {
        "bad_scheme": _("Give an http:// or https:// URL."),
        "credentials_in_url": _("Leave user names and passwords out of the URL: the "
                                "signature proves the messages are ours."),
        "forbidden_address": _("This URL leads to a private or reserved address, which "
                               "webhooks may not call: %(reason)s"),
        "unresolvable": _("This URL's host name could not be resolved: %(reason)s"),
        "unknown_types": _("Unknown event types: %(types)s."),
        "no_types": _("Choose at least one event type."),
        "already_pending": _("This message is already waiting to be delivered."),
    }
