"""Change notices: what an organizer changed, told once to each attendee it concerns.

Edits made within ``COALESCE_WINDOW`` of the first one join the same notice, which is sent
when the window closes and describes the programme as it then stands.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from agenda.enums import EventStatus, SessionStatus
from agenda.models import Event, Session
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration

from .enums import DeliveryStatus, MessageKind
from .models import Delivery

COALESCE_WINDOW = dt.timedelta(minutes=5)
TIME_FIELDS = {"start", "end", "timezone"}
PLACE_FIELDS = {"venue_name", "venue_address", "format", "online_url", "room"}


def notice_recipients(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Those of ``registrations`` a change notice goes to: not cancelled, not erased."""
    return registrations.exclude(status=RegistrationStatus.CANCELLED).filter(
        erased_at__isnull=True
    )


def record_change_notices(
    *, registrations: QuerySet[Registration], item: str, item_id: int, fields: frozenset[str]
) -> int:
    """Owe each of ``registrations`` a change notice about ``item`` (``"event"`` or
    ``"session"``); joins the pending notice of the same window where there is one."""
    now = timezone.now()
    change = {"item": item, "id": item_id, "fields": sorted(fields)}
    targets = list(notice_recipients(registrations).values_list("pk", flat=True))
    pending = list(
        Delivery.objects.select_for_update().filter(
            kind=MessageKind.CHANGE_NOTICE,
            status=DeliveryStatus.PENDING,
            registration_id__in=targets,
            scheduled_for__gt=now,
        )
    )
    for delivery in pending:
        delivery.context.setdefault("changes", []).append(change)
    Delivery.objects.bulk_update(pending, ["context"], batch_size=500)
    joined = {delivery.registration_id for delivery in pending}
    send_at = now + COALESCE_WINDOW
    Delivery.objects.bulk_create(
        [
            Delivery(
                registration_id=registration_id,
                kind=MessageKind.CHANGE_NOTICE,
                scheduled_for=send_at,
                next_attempt_at=send_at,
                context={"changes": [change]},
            )
            for registration_id in targets
            if registration_id not in joined
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return len(targets)


def attendees_of_session(session: Session) -> QuerySet[Registration]:
    return Registration.objects.filter(
        session_choices__session=session,
        session_choices__status__in=(
            SessionChoiceStatus.CONFIRMED,
            SessionChoiceStatus.WAITLISTED,
            SessionChoiceStatus.REQUESTED,
        ),
    )


def _span(event: Event, start: dt.datetime, end: dt.datetime) -> str:
    local_start, local_end = event.localize(start), event.localize(end)
    return (
        f"{formats.date_format(local_start, 'DATETIME_FORMAT')} – "
        f"{formats.time_format(local_end, 'TIME_FORMAT')} ({event.timezone})"
    )


def describe_changes(changes: list[dict], event: Event) -> list[str]:
    """One line per changed item, in the words of its current state."""
    lines: list[str] = []
    sessions = Session.objects.select_related("room").in_bulk(
        [change["id"] for change in changes if change["item"] == "session"]
    )
    seen: set[tuple[str, int]] = set()
    for change in changes:
        key = (change["item"], change["id"])
        fields = set().union(
            *(set(c["fields"]) for c in changes if (c["item"], c["id"]) == key)
        )
        if key in seen:
            continue
        seen.add(key)
        if change["item"] == "event":
            lines.extend(_event_lines(event, fields))
        elif (session := sessions.get(change["id"])) is not None:
            lines.extend(_session_lines(event, session, fields))
    return lines


def _event_lines(event: Event, fields: set[str]) -> list[str]:
    if "status" in fields and event.status == EventStatus.CANCELLED:
        return [_("The event has been cancelled.")]
    lines = []
    if "status" in fields and event.status == EventStatus.PUBLISHED:
        lines.append(_("The event is taking place again."))
    if fields & TIME_FIELDS:
        lines.append(_("New time: %(when)s") % {"when": _span(event, event.start, event.end)})
    if fields & PLACE_FIELDS:
        place = ", ".join(p for p in (event.venue_name, event.venue_address) if p) or _("Online")
        lines.append(_("New place: %(place)s") % {"place": place})
    return lines


def _session_lines(event: Event, session: Session, fields: set[str]) -> list[str]:
    title = session.title
    if "status" in fields and session.status == SessionStatus.CANCELLED:
        return [_("“%(title)s” has been cancelled.") % {"title": title}]
    lines = []
    if "status" in fields:
        lines.append(_("“%(title)s” is taking place again.") % {"title": title})
    if fields & TIME_FIELDS:
        lines.append(_("“%(title)s” moves to %(when)s.") % {
            "title": title, "when": _span(event, session.start, session.end),
        })
    if "room" in fields:
        room = session.room.name if session.room else _("a room to be announced")
        lines.append(_("“%(title)s” moves to %(room)s.") % {"title": title, "room": room})
    return lines
