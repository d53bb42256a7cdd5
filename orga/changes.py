"""What an edit changes that attendees hear about, in words, for the confirmation step."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone

from agenda.models import Event


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _shown(item: models.Model, name: str, zone) -> str:
    field = item._meta.get_field(name)
    value = getattr(item, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")
    if field.choices:
        return str(getattr(item, f"get_{name}_display")())
    if isinstance(value, models.Model):
        return getattr(value, "name", None) or str(value)
    return str(value)


def schedule_changes(before: models.Model, after: models.Model, fields: Iterable[str],
                     event: Event) -> list[Change]:
    """The fields among ``fields`` that differ between ``before`` and ``after``, in the
    order of the model's fields, their times in the event's zone (before and after)."""
    wanted = set(fields)
    before_zone = (before if isinstance(before, Event) else event).tzinfo
    after_zone = (after if isinstance(after, Event) else event).tzinfo
    changes = []
    for field in after._meta.concrete_fields:
        if field.name not in wanted:
            continue
        if getattr(before, field.attname) == getattr(after, field.attname):
            continue
        changes.append(Change(label=str(field.verbose_name).capitalize(),
                              before=_shown(before, field.name, before_zone),
                              after=_shown(after, field.name, after_zone)))
    return changes
