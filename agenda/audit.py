"""The audit log: which organizer changed what, when, and through which interface.

Services record entries (``record``) in the transaction of the change they describe, so the
log holds what happened and nothing that rolled back. Who is acting is said once, where a
request or a command begins (``acting_as``): the middleware below for the admin and the
organizer area, the API's views for token-authenticated requests, each management command for
itself. Changes made by nobody in particular (an attendee's own action, a worker) are not
organizer changes and are not logged here.
"""

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models

from .enums import AuditVia
from .models import AuditEntry, Event


@dataclass(frozen=True)
class Actor:
    user: models.Model | None
    via: str
    label: str = ""  # who, when no account acts (a command: the operating system's user)


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "agenda_audit_actor", default=None
)


@contextlib.contextmanager
def acting_as(user, *, via: str, label: str = "") -> Iterator[None]:
    """Attribute every change recorded inside the block to ``user`` (or, with no account, to
    ``label``), through ``via``."""
    token = _current.set(Actor(user=user, via=via, label=label))
    try:
        yield
    finally:
        _current.reset(token)


def current_actor() -> Actor | None:
    return _current.get()


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def diff(before: models.Model | None, after: models.Model, fields: Iterable[str]) -> dict:
    """``{field: [old, new]}`` for each of ``fields`` whose stored value differs."""
    changes = {}
    for name in fields:
        field = after._meta.get_field(name)
        old = getattr(before, field.attname) if before is not None else None
        new = getattr(after, field.attname)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def editable_fields(model: type[models.Model]) -> list[str]:
    """The concrete fields an organizer can change (not ids, counters or timestamps)."""
    return [
        field.name for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


def record(*, event: Event | None, action: str, target: models.Model | None = None,
           changes: dict | None = None) -> AuditEntry | None:
    """Log ``action`` on ``target`` (of ``event``) for the current actor; nothing when no
    organizer is acting. Call it inside the transaction of the change."""
    actor = current_actor()
    if actor is None:
        return None
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return AuditEntry.objects.create(
        event_id=event.pk if event is not None else None,
        event_title=event.title if event is not None else "",
        actor=user,
        actor_label=(user.get_username() if user is not None else actor.label)[:254],
        via=actor.via,
        action=action,
        object_type=target._meta.model_name if target is not None else "",
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        changes=changes or {},
    )


class AuditActorMiddleware:
    """Who acts in the admin and the organizer area: the signed-in user."""

    PREFIXES = (("/admin/", AuditVia.ADMIN), ("/orga/", AuditVia.ORGA))

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        for prefix, via in self.PREFIXES:
            if request.path_info.startswith(prefix) and user is not None \
                    and user.is_authenticated:
                with acting_as(user, via=via):
                    return self.get_response(request)
        return self.get_response(request)
