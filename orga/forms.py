"""The organizer area's forms. Times are typed as wall-clock times in the event's own zone:
the event and session forms are the admin's (``agenda.admin_forms``), which re-read them so,
with the fields an organizer sets; views render and read them under the event's zone."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from agenda.admin_forms import EVENT_LOCAL_FIELDS, EventAdminForm, SessionAdminForm
from agenda.models import Event, Room, Session, Speaker, Tag, Track

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def local_time_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: each message on its field when the
    form has it, on the whole form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class BoundedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond what the database holds are refused as invalid, before any query (SQLite
    cannot even bind them)."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent's own message for a non-number
            if not low <= number <= high:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class MinutesMixin:
    """Times are typed to the minute: a stored time with seconds that comes back as typed
    (its seconds cut off) is kept as it was, so saving an untouched form changes nothing."""

    minute_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.minute_fields:
            stored = getattr(self.instance, name, None)
            typed = cleaned.get(name)
            if stored and typed and typed == stored.replace(second=0, microsecond=0):
                cleaned[name] = stored
        return cleaned


class EventForm(MinutesMixin, EventAdminForm):
    """An event's details as its organizers set them (status, slug and counters are not
    theirs to type: publishing and cancelling are buttons)."""

    minute_fields = EVENT_LOCAL_FIELDS
    tags = BoundedMultipleChoiceField(
        label=_("topics"), queryset=Tag.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Topics are shared by all events; ticking one links it to this event."),
    )

    class Meta(EventAdminForm.Meta):
        model = Event
        fields = [
            "title", "summary", "description", "kind", "format", "timezone", "start", "end",
            "venue_name", "venue_address", "online_url", "capacity", "registration_opens_at",
            "registration_closes_at", "requires_approval", "reminder_offsets", "tags",
        ]
        widgets = {name: local_time_input() for name in EVENT_LOCAL_FIELDS}


class SessionForm(MinutesMixin, SessionAdminForm):
    """A session of one event: only that event's rooms and tracks are offered. Speakers are
    any existing ones (linking does not change them); the page offers the event's own and
    those a search found, never the whole list."""

    minute_fields = ("start", "end")
    speakers = BoundedMultipleChoiceField(
        label=_("speakers"), queryset=Speaker.objects.all(), required=False,
    )
    speaker_search = forms.CharField(
        label=_("Find other speakers"), required=False, max_length=100,
        help_text=_("Part of a name, role or organization."),
    )

    class Meta(SessionAdminForm.Meta):
        model = Session
        fields = ["title", "abstract", "start", "end", "room", "track", "speakers", "capacity"]
        widgets = {"start": local_time_input(), "end": local_time_input()}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(event=event)
        self.fields["track"].queryset = Track.objects.filter(event=event)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity"]


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = ["name", "color"]
        widgets = {"color": forms.TextInput(attrs={"placeholder": "#1f6feb", "size": 8})}


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "role", "organization", "bio"]


class CloneForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    slug = forms.SlugField(label=_("slug"), max_length=100,
                           help_text=_("The new event's address: /events/<slug>/."))
    start = forms.DateTimeField(
        label=_("new start"), widget=local_time_input(),
        help_text=_("Wall-clock time in the event's zone; every session moves alike."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Event.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another event has this address; choose another slug."))
        return slug
