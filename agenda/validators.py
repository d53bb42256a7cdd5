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


def validate_reminder_offsets(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0
        for minutes in value
    ):
        raise ValidationError(
            _("Reminder offsets must be a list of positive numbers of minutes before the start."),
            code="invalid_reminder_offsets",
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
