from django.utils.translation import gettext_lazy as _

from agenda.errors import DomainError


class NotificationError(DomainError):
    """A rule of the notifications floor refused the request (an organizer's message)."""

    messages = {
        "subject_required": _("Give the message a subject."),
        "subject_one_line": _("The subject must fit on one line."),
        "subject_too_long": _("The subject is too long: at most %(limit)d characters."),
        "body_required": _("Write the message itself: it is empty."),
        "body_too_long": _("The message is too long: at most %(limit)d characters."),
        "unknown_audience": _("Choose who the message goes to."),
        "session_required": _("Choose the session whose attendees get the message."),
        "session_not_in_event": _("This session is not part of the event."),
        "no_recipients": _(
            "Nobody would get this message: no attendee matches the recipients you chose."
        ),
        "not_a_recipient": _("%(email)s would not get this message: choose one of its "
                             "recipients to preview it."),
    }
