"""Reading and writing short duration lists such as "7d, 1d, 1h" (reminder offsets)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_UNIT_MINUTES = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}
_PART = re.compile(r"^\s*(\d+)\s*([wdhm])\s*$", re.IGNORECASE)


def parse_duration_list(text: str) -> list[int]:
    """Parse "7d, 1d, 1h, 30m" into minutes, longest first, without repeats."""
    minutes = set()
    for part in (p for p in text.split(",") if p.strip()):
        match = _PART.match(part)
        if not match:
            raise ValidationError(
                _('"%(part)s" is not a duration. Write a number and a unit: w, d, h or m, '
                  'as in "7d, 1d, 1h".'),
                params={"part": part.strip()},
                code="invalid_duration",
            )
        minutes.add(int(match.group(1)) * _UNIT_MINUTES[match.group(2).lower()])
    return sorted(minutes, reverse=True)


def format_duration_list(minutes: list[int]) -> str:
    """Write minutes back in the largest exact unit: [10080, 1440, 60] -> "7d, 1d, 1h"."""
    parts = []
    for value in minutes:
        # Days read better than weeks for reminders ("7d", not "1w").
        for unit in ("d", "h", "m"):
            size = _UNIT_MINUTES[unit]
            if value % size == 0 and (value or unit == "m"):
                parts.append(f"{value // size}{unit}")
                break
    return ", ".join(parts)
