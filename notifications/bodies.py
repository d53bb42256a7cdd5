"""The bodies of an email: its plain text and HTML, rendered from the delivery, the
registration and its event, in the active language and zone.

A batch renders a body once for every attendee whose message is the same but for their name
and links (``programme.ProgrammeCache.bodies``). That shared render is given ``shared(...)``
views of the delivery and the registration: they hold only what the cache's key covers, and
any other field (an email address, an organization, a token) raises ``NotShareable`` when a
template reads it, rather than putting one attendee's data in everyone's email.
"""

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string

from agenda import links
from agenda.validators import available_timezones
from registrations import links as registration_links
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration
from registrations.selectors import join_url

from .changes import describe_changes
from .enums import MessageKind
from .models import Delivery

# What differs between two attendees' bodies that are otherwise the same.
PERSONAL_FIELDS = ("name", "manage_url", "unsubscribe_url", "ticket_code")
# The messages that carry the attendee's ticket (QR code and code), when confirmed.
TICKET_KINDS = frozenset({
    MessageKind.REGISTRATION_CONFIRMED, MessageKind.PROMOTED, MessageKind.REMINDER,
})
# What a shared render may read of a registration: what the shared body's key holds (the
# event, status, zone and choices), and the name, which the render is given a stand-in for.
SHAREABLE_REGISTRATION_FIELDS = (
    "event", "event_id", "status", "get_status_display", "timezone", "language",
    "active_choices", "name",
)
# An organizer's message is the same for all its recipients (its id is in the key).
SHAREABLE_DELIVERY_FIELDS = ("kind", "context", "message", "message_id")


class NotShareable(Exception):
    """A shared render read a field that differs between the attendees who share it.

    Not an ``AttributeError``: Django's templates swallow those into an empty string."""


class Shared:
    """A read-only view of ``obj`` exposing only ``fields`` (``overrides`` replace some)."""

    def __init__(self, obj, fields: Iterable[str], **overrides) -> None:
        self._obj = obj
        self._fields = frozenset(fields) | frozenset(overrides)
        self._overrides = overrides

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)  # protocol probes (__html__, copying) find nothing
        if name not in self._fields:
            raise NotShareable(
                f"{type(self._obj).__name__}.{name} is not shared between the attendees of "
                "a batched body: render it per message (PERSONAL_FIELDS) or key the shared "
                "render on it (ProgrammeCache.bodies)"
            )
        if name in self._overrides:
            return self._overrides[name]
        return getattr(self._obj, name)

    def __getitem__(self, key):
        # Templates try item access first: a TypeError sends them to the attribute.
        raise TypeError(f"{type(self._obj).__name__} is not subscriptable")


def shared_registration(registration: Registration, *, name: str) -> Shared:
    return Shared(registration, SHAREABLE_REGISTRATION_FIELDS, name=name)


def shared_delivery(delivery: Delivery) -> Shared:
    return Shared(delivery, SHAREABLE_DELIVERY_FIELDS)


def carries_ticket(delivery, registration) -> bool:
    """Whether the message shows the ticket: its kind and the registration's status decide
    (both in a shared body's key)."""
    return delivery.kind in TICKET_KINDS and registration.status == RegistrationStatus.CONFIRMED


def ticket_content_id() -> str:
    """The Content-ID of the QR image, the same in every message (so bodies can be shared)."""
    return f"ticket-qr@{settings.SITE_DOMAIN}"


def unsubscribe_url(registration: Registration) -> str:
    return registration_links.unsubscribe_url(registration)


def personal_values(registration: Registration) -> dict[str, str]:
    return {
        "name": str(registration.name),
        "manage_url": registration_links.manage_url(registration),
        "unsubscribe_url": unsubscribe_url(registration),
        "ticket_code": registration.ticket_code,
    }


def attendee_zone(registration: Registration) -> str:
    """The attendee's own zone, where it is known and its clock differs from the event's
    when the event starts (else the event's times say it all); or ""."""
    event = registration.event
    if registration.timezone in ("", event.timezone):
        return ""
    if registration.timezone not in available_timezones():
        return ""  # dropped from this server's tzdata since
    start = event.start
    theirs = start.astimezone(zoneinfo.ZoneInfo(registration.timezone)).utcoffset()
    if theirs == start.astimezone(event.tzinfo).utcoffset():
        return ""
    return registration.timezone


def _context(delivery, registration, personal: dict[str, str]) -> dict:
    event = registration.event
    choices = [
        choice for choice in registration.active_choices
        if choice.status != SessionChoiceStatus.RELEASED
    ]
    return {
        "delivery": delivery,
        "kind": delivery.kind,
        "registration": registration,
        "event": event,
        "local_start": event.local_start,
        "local_end": event.local_end,
        "attendee_zone": attendee_zone(registration),
        "sessions": [
            {
                "title": choice.session.title,
                "start": event.localize(choice.session.start),
                "end": event.localize(choice.session.end),
                "room": choice.session.room.name if choice.session.room else "",
                "status": choice.get_status_display(),
                "confirmed": choice.status == SessionChoiceStatus.CONFIRMED,
                "cancelled": choice.session.is_cancelled,
            }
            for choice in choices
        ],
        "join_url": join_url(registration),
        "event_url": links.event_page_url(event.slug),
        "manage_url": personal["manage_url"],
        "unsubscribe_url": personal["unsubscribe_url"],
        "has_ticket": carries_ticket(delivery, registration),
        "ticket_code": personal["ticket_code"],
        "ticket_cid": ticket_content_id(),
        "site_url": settings.SITE_URL,
        "network_name": settings.NETWORK_NAME,
        "contact_name": event.contact_name,
        "contact_email": event.contact_email,
        **delivery.context,
        **_kind_context(delivery, event),
    }


def _kind_context(delivery, event) -> dict:
    if delivery.kind == MessageKind.REMINDER:
        minutes = delivery.context.get("offset_minutes", 0)
        return {"offset_minutes": minutes, "offset_days": minutes // 1440,
                "offset_hours": max(minutes // 60, 1)}
    if delivery.kind == MessageKind.CHANGE_NOTICE:
        return {"change_lines": describe_changes(delivery.context.get("changes", []), event)}
    if delivery.kind == MessageKind.ORGANIZER_MESSAGE:
        # The organizers' words, the same for every recipient (never personal: a batch
        # renders them once for all).
        return {"message_subject": delivery.message.subject,
                "message_body": delivery.message.body}
    return {}


def render_bodies(
    delivery: Delivery, registration: Registration, *, personal: dict | None = None
) -> tuple[str, str]:
    """The plain text and HTML bodies (in the active language and zone). ``personal``
    (``PERSONAL_FIELDS``) defaults to the registration's own name and links; a shared render
    gives them all (stand-ins), and ``shared_registration``/``shared_delivery`` views."""
    if personal is None or not set(PERSONAL_FIELDS) <= set(personal):
        personal = personal_values(registration) | (personal or {})
    context = _context(delivery, registration, personal)
    return (
        render_to_string(f"notifications/email/{delivery.kind}.txt", context),
        render_to_string(f"notifications/email/{delivery.kind}.html", context),
    )
