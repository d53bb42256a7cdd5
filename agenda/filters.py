"""Query-string filters of the agenda, shared by the API, the feeds and the pages (which read
them through their selectors); ``agenda.api.filters`` adds the API's strict backend."""

import datetime as dt
import zoneinfo

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agenda.enums import EventFormat, EventKind, EventStatus
from agenda.models import MAX_ID, Event, Session, Track

EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


def in_utc(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC, held to the calendar Python knows.

    The first and last days of that calendar are valid dates to filter by, but their midnight
    in a zone east or west of UTC falls outside it (and the database adapters would fail on
    it): such a bound is moved to the calendar's edge, which every stored moment is inside.
    """
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        return EARLIEST if moment.year == dt.MINYEAR else LATEST


def midnight_in_utc(day: dt.date, zone: dt.tzinfo, *, days_later: int = 0) -> dt.datetime:
    """The midnight that starts ``day`` (or ``days_later`` days after it) in ``zone``, in UTC."""
    try:
        day += dt.timedelta(days=days_later)
    except OverflowError:
        return LATEST
    return in_utc(dt.datetime.combine(day, dt.time.min, tzinfo=zone))


def whole_number(text: str) -> int | None:
    """``text`` as a whole number if it is written as a URL writes the schema's ``integer``:
    ASCII digits and nothing else. (Python's ``int()`` also reads " 5", "+5", "5_000" and other
    scripts' digits such as "٥": no schema integer is written so, and a client sending one
    has made a mistake it should hear about.)"""
    if text.isascii() and text.isdigit():
        return int(text)
    return None


def record_id(text: str) -> int | None:
    """``text`` as a primary key could be written (ASCII digits, within a 64-bit id), or None:
    an id from a form or a JSON key that no row can have is no id, not an error."""
    number = whole_number(text)
    return number if number is not None and number <= MAX_ID else None


class WholeNumberField(forms.Field):
    """A query parameter that is a whole number from 1 to ``max_value``, or a 400 saying so:
    Django's number fields take "1.5" (and "1e3", " 1", "٥") for a number."""

    default_error_messages = {"invalid": _("Give a whole number from 1 to %(max)d.")}

    def __init__(self, *, max_value: int, **kwargs) -> None:
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value: str | None) -> int | None:
        if value in self.empty_values:
            return None
        number = whole_number(value)
        if number is None or not 1 <= number <= self.max_value:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"max": self.max_value}
            )
        return number


class TrueOrFalseField(forms.Field):
    """A query parameter that is ``true`` or ``false``, as a URL writes the schema's
    ``boolean``, or a 400 saying so. Django's NullBooleanField reads anything else ("1",
    "yes", a typo) as not given, and the filter was then silently left out."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value: str | None) -> bool | None:
        if value in self.empty_values:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


# The types name them for the OpenAPI schema (drf-spectacular cannot tell from a filter with a
# ``method`` and no model field); views add bounds where they document the parameter.
@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.Filter):
    field_class = WholeNumberField


@extend_schema_field(OpenApiTypes.BOOL)
class TrueOrFalseFilter(django_filters.Filter):
    field_class = TrueOrFalseField


class DateOrDateTimeField(forms.Field):
    """Accepts an ISO 8601 date ("2021-06-01") or date-time ("2021-06-01T09:00+02:00")."""

    default_error_messages = {
        "invalid": _(
            "Enter an ISO 8601 date (2021-06-01) or date-time (2021-06-01T09:00:00+02:00)."
        ),
    }

    def to_python(self, value: str | None) -> dt.date | dt.datetime | None:
        if value in self.empty_values:
            return None
        value = value.strip()
        try:
            # The date first: parse_datetime reads "2021-06-01" as midnight, and a bare date
            # must bound the whole day.
            parsed = parse_date(value) or parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class MomentFilter(django_filters.Filter):
    """Compares a date-time field with a date or date-time bound.

    A date names a whole day in the site's time zone: ``starts_after=2021-06-01`` includes the
    1st, ``starts_before=2021-06-30`` includes the 30th. A date-time without an offset is read
    in the site's time zone.
    """

    field_class = DateOrDateTimeField

    def __init__(self, *, bound: str, **kwargs) -> None:
        self.bound = bound  # "after" (inclusive lower) or "before" (inclusive of the day)
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet, value: dt.date | dt.datetime | None) -> QuerySet:
        if value is None:
            return qs
        if isinstance(value, dt.datetime):
            aware = value if timezone.is_aware(value) else timezone.make_aware(value)
            moment = in_utc(aware)
            lookup = "gte" if self.bound == "after" else "lte"
        else:
            zone = timezone.get_current_timezone()
            moment = midnight_in_utc(value, zone, days_later=0 if self.bound == "after" else 1)
            lookup = "gte" if self.bound == "after" else "lt"
        return qs.filter(**{f"{self.field_name}__{lookup}": moment})


def _search(qs: QuerySet[Event], value: str) -> QuerySet[Event]:
    terms = value.split()
    for term in terms[:10]:
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(description__icontains=term)
            | Q(venue_name__icontains=term)
            | Q(pk__in=Event.tags.through.objects.filter(tag__name__icontains=term).values(
                "event_id"
            ))
        )
    return qs


class EventFilter(django_filters.FilterSet):
    starts_after = MomentFilter(field_name="start", bound="after", label=_("Starts on or after"))
    starts_before = MomentFilter(field_name="start", bound="before", label=_("Starts on or before"))
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices)
    format = django_filters.MultipleChoiceFilter(choices=EventFormat.choices)
    status = django_filters.MultipleChoiceFilter(choices=EventStatus.choices)
    tag = django_filters.CharFilter(method="filter_tag", label=_("Topic (slug)"))
    track = django_filters.CharFilter(method="filter_track", label=_("Track (slug)"))
    q = django_filters.CharFilter(method="filter_q", label=_("Text search"), max_length=200)

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_tag(self, qs: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        through = Event.tags.through.objects.filter(event_id=OuterRef("pk"), tag__slug=value)
        return qs.filter(Exists(through))

    def filter_track(self, qs: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return qs.filter(Exists(Track.objects.filter(event_id=OuterRef("pk"), slug=value)))

    def filter_q(self, qs: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return _search(qs, value)


class DayFilter(django_filters.DateFilter):
    """Sessions on a calendar day as the event's own attendees see it (in the event's zone)."""

    def filter(self, qs: QuerySet[Session], value: dt.date | None) -> QuerySet[Session]:
        if value is None:
            return qs
        # order_by() drops Event's default ordering, which would otherwise join DISTINCT and
        # return one zone per event (an OR per event: too deep for SQLite past ~1000 events).
        zones = Event.objects.filter(pk__in=qs.values("event_id")).order_by().values_list(
            "timezone", flat=True
        ).distinct()
        condition = Q(pk__in=[])
        for zone_name in zones:
            zone = zoneinfo.ZoneInfo(zone_name)
            day_start = midnight_in_utc(value, zone)
            day_end = midnight_in_utc(value, zone, days_later=1)
            condition |= Q(event__timezone=zone_name, start__gte=day_start, start__lt=day_end)
        return qs.filter(condition)


class SessionFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug", label=_("Event (slug)"))
    track = django_filters.CharFilter(field_name="track__slug", label=_("Track (slug)"))
    day = DayFilter(label=_("Day (YYYY-MM-DD, in the event's time zone)"))
    status = django_filters.ChoiceFilter(choices=Session._meta.get_field("status").choices)

    class Meta:
        model = Session
        fields: list[str] = []
