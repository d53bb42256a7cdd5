"""Template helpers of the attendee pages: times in the event's zone, absolute addresses."""

import datetime as dt
import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from agenda import links

register = template.Library()

FULL = "l j F Y, H:i"
SHORT_DAY = "D j M Y, H:i"
TIME = "H:i"


def zone_label(zone_name: str) -> str:
    """ "Brussels time" for Europe/Brussels: the place attendees know the zone by."""
    if "/" not in zone_name:
        return zone_name
    city = zone_name.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def _time(moment: dt.datetime, fmt: str) -> str:
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.isoformat(),
        formats.date_format(moment, fmt),
    )


@register.simple_tag
def when(start: dt.datetime, end: dt.datetime | None, zone_name: str, style: str = "full") -> str:
    """A time span in the event's zone, marked up for ``local-time.js``, which adds the same
    span in the visitor's zone when it differs.

    ``style`` is ``full`` (weekday and date), ``time`` (hours only, under a day heading) or
    ``plain`` (hours only, left as they are: where the visitor's time would be clutter).
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    local_start = timezone.localtime(start, zone)
    local_end = timezone.localtime(end, zone) if end else None
    if style == "plain":
        return format_html(
            '<span class="when">{}\u2009\u2013\u2009{}</span>',
            _time(local_start, TIME),
            _time(local_end or local_start, TIME),
        )
    start_format = TIME if style == "time" else FULL
    parts = [_time(local_start, start_format)]
    if local_end is not None:
        same_day = local_end.date() == local_start.date()
        end_format = TIME if style == "time" or same_day else FULL
        parts.append(_time(local_end, end_format))
    return format_html(
        '<span class="when" data-tz="{}" data-style="{}" data-local-format="{}">{} '
        '<span class="when-zone">({})</span></span>',
        zone_name,
        style,
        _("Your time: %s"),
        format_html("{}\u2009\u2013\u2009{}", *parts) if len(parts) == 2 else parts[0],
        zone_label(zone_name),
    )


@register.filter
def localtime_in(moment: dt.datetime, zone_name: str) -> dt.datetime:
    """The moment as wall-clock time in the named zone (an event's)."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(zone_name))


@register.simple_tag
def absolute_url(path: str) -> str:
    """The canonical address of a page on this site (SITE_URL)."""
    return links.absolute(path)
