"""Forms of the organizer area: they shape what was posted; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agenda.models import Event, Session
from notifications.enums import Audience
from notifications.services import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH
from registrations.filters import session_label


class MessageForm(forms.Form):
    """An organizer's message to attendees. Fields are not required here: what makes a
    message sendable is ``notifications.services``' to say, and its refusals come back on
    the field they concern."""

    audience = forms.ChoiceField(
        label=_("Recipients"), choices=Audience.choices, initial=Audience.CONFIRMED,
        widget=forms.RadioSelect,
    )
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False,
        empty_label=_("Choose a session"),
        help_text=_("Only for “Confirmed attendees of one session”."),
    )
    subject = forms.CharField(
        label=_("Subject"), required=False, strip=False,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH}),
    )
    body = forms.CharField(
        label=_("Message"), required=False, strip=False,
        help_text=_("Plain text. Each recipient's email greets them by name and ends with the "
                    "event's details and their personal link."),
        widget=forms.Textarea(attrs={"rows": 12, "maxlength": BODY_MAX_LENGTH}),
    )
    preview_as = forms.EmailField(
        label=_("Preview as"), required=False,
        help_text=_("The email address of one recipient; empty: the first of them."),
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            Session.objects.filter(event=event).select_related("event").order_by("start", "title")
        )
        self.fields["session"].label_from_instance = session_label
