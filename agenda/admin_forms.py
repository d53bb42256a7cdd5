"""Admin forms: organizers type times as wall-clock times in the event's own time zone."""

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .durations import format_duration_list, parse_duration_list
from .models import Event, Session
from .validators import available_timezones

EVENT_LOCAL_FIELDS = ("start", "end", "registration_opens_at", "registration_closes_at")


def _as_wall_clock_in(moment: dt.datetime | None, zone_name: str) -> dt.datetime | None:
    """Re-read a moment parsed in the active zone as the same wall-clock time in ``zone_name``."""
    if moment is None or zone_name not in available_timezones():
        return moment
    wall_clock = timezone.localtime(moment).replace(tzinfo=None)
    return wall_clock.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


class DurationListFormField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list):
            return format_duration_list(value)
        return value

    def to_python(self, value):
        return parse_duration_list(super().to_python(value) or "")


class EventAdminForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("time zone"),
        choices=[(name, name) for name in sorted(available_timezones())],
        initial="Europe/Brussels",
        help_text=_("Times on this page are wall-clock times in this zone."),
    )
    # A join link typed without a scheme is https (Django 6's default, chosen now).
    online_url = forms.URLField(
        label=_("online join link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Event._meta.get_field("online_url").help_text,
    )
    reminder_offsets = DurationListFormField(
        label=_("reminders before start"),
        required=False,
        help_text=_('e.g. "7d, 1d, 1h" (units: d, h, m). Empty sends no reminders.'),
    )

    class Meta:
        model = Event
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("timezone")
        if zone_name:
            for name in EVENT_LOCAL_FIELDS:
                if name in cleaned:
                    cleaned[name] = _as_wall_clock_in(cleaned[name], zone_name)
        return cleaned


class SessionAdminForm(forms.ModelForm):
    """Session times are wall-clock times in the zone of the session's event."""

    class Meta:
        model = Session
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") or getattr(self.instance, "event", None)
        if event is not None:
            for name in ("start", "end"):
                if name in cleaned:
                    cleaned[name] = _as_wall_clock_in(cleaned[name], event.timezone)
        return cleaned
