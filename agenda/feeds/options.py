"""The query string of a feed: the subscriber's options and the agenda filters, checked strictly.

An unknown or malformed parameter is a 400 that says what is accepted, never a silently wider
feed and never a 500.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from agenda import ical

ALL_DAY = "all_day"
ALARM = "alarm"
OPTION_NAMES = frozenset({ALL_DAY, ALARM})
MAX_VALUE_LENGTH = 200
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_MINUTES = re.compile(r"[0-9]{1,6}")


class FeedQueryError(Exception):
    """A query string the feed refuses; ``errors`` maps each parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """What the subscriber chose: all-day display of multi-day events, and a reminder."""

    all_day: bool = False
    alarm_minutes: int | None = None


_NO_OPTIONS = FeedOptions()


def parse_feed_query(
    query: QueryDict, *, filter_names: Iterable[str] = ()
) -> tuple[FeedOptions, QueryDict]:
    """Split ``query`` into the feed options and the filters named in ``filter_names``.

    Raises ``FeedQueryError`` for unknown parameters, repeated options, NUL characters,
    over-long values and option values out of range. Filter values are checked by the caller's
    FilterSet.
    """
    if not query:
        # A subscription without options, nearly every poll: nothing to check or copy.
        return _NO_OPTIONS, query
    allowed = OPTION_NAMES | frozenset(filter_names)
    errors: dict[str, list[str]] = {}
    for name in sorted(set(query) - allowed):
        errors[name] = [
            _("Unknown query parameter. Use one of: %(known)s.")
            % {"known": ", ".join(sorted(allowed))}
        ]
    for name in sorted(set(query) & allowed):
        for value in query.getlist(name):
            # PostgreSQL refuses NUL in a string: it would be a 500, not an empty feed.
            if "\x00" in value or len(value) > MAX_VALUE_LENGTH:
                errors.setdefault(name, []).append(_("Enter a valid value."))
                break
    if errors:
        raise FeedQueryError(errors)

    options = FeedOptions(
        all_day=_flag(query, ALL_DAY, errors), alarm_minutes=_minutes(query, ALARM, errors)
    )
    if errors:
        raise FeedQueryError(errors)
    filters = QueryDict(mutable=True)
    for name in sorted(set(query) - OPTION_NAMES):
        filters.setlist(name, query.getlist(name))
    return options, filters


def canonical_query(query: QueryDict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The query as a stable value: the same parameters in any order give the same one."""
    return tuple(sorted((name, tuple(sorted(query.getlist(name)))) for name in query))


def _single(query: QueryDict, name: str, errors: dict[str, list[str]]) -> str | None:
    values = query.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        errors[name] = [_("Give this parameter once.")]
        return None
    return values[0]


def _flag(query: QueryDict, name: str, errors: dict[str, list[str]]) -> bool:
    value = _single(query, name, errors)
    if value is None or value.lower() in _FALSE:
        return False
    if value.lower() in _TRUE:
        return True
    errors[name] = [_("Use 1 or 0.")]
    return False


def _minutes(query: QueryDict, name: str, errors: dict[str, list[str]]) -> int | None:
    value = _single(query, name, errors)
    if value is None:
        return None
    # A regular expression, not int(): int() also takes "+30", " 30" and non-ASCII digits.
    minutes = int(value) if _MINUTES.fullmatch(value) else None
    if minutes is None or not ical.MIN_ALARM_MINUTES <= minutes <= ical.MAX_ALARM_MINUTES:
        errors[name] = [
            _("Enter a whole number of minutes from %(low)d to %(high)d.")
            % {"low": ical.MIN_ALARM_MINUTES, "high": ical.MAX_ALARM_MINUTES}
        ]
        return None
    return minutes
