import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _('"%(value)s" is not an IANA time zone. Use a name such as "Europe/Brussels".'),
            params={"value": value},
            code="invalid_timezone",
        )


# The reminder scheduler looks a year ahead; an offset past any date (say 10**30 minutes) would
# stop it for every event, so one is refused where it is typed.
MAX_REMINDER_MINUTES = 366 * 24 * 60
MAX_REMINDERS = 10


def validate_reminder_offsets(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0
        for minutes in value
    ):
        raise ValidationError(
            _("Reminder offsets must be a list of positive numbers of minutes before the start."),
            code="invalid_reminder_offsets",
        )
    if any(minutes > MAX_REMINDER_MINUTES for minutes in value):
        raise ValidationError(
            _("A reminder goes out at most 366 days (%(minutes)d minutes) before the start."),
            params={"minutes": MAX_REMINDER_MINUTES},
            code="reminder_too_early",
        )
    if len(value) > MAX_REMINDERS:
        raise ValidationError(
            _("An event sends at most %(count)d reminders."),
            params={"count": MAX_REMINDERS},
            code="too_many_reminders",
        )


def validate_link_lines(value: str) -> None:
    """One http(s) address a line (a speaker's links)."""
    check = URLValidator(schemes=["http", "https"])
    for line in value.splitlines():
        if line.strip():
            try:
                check(line.strip())
            except ValidationError as error:
                raise ValidationError(
                    _("“%(line)s” is not a web address (https://…)."), params={"line": line}
                ) from error
