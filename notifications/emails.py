"""What each email says: subject, plain text and HTML bodies, and the calendar attachment.

Every message is rendered when it is sent, from the current state of the registration and
its event, in the attendee's language, with times in the event's zone. Its ``.ics`` holds the
same VEVENTs (same UIDs) as the attendee's personal feed, so calendar apps update the entries
they already have instead of adding copies.
"""

import datetime as dt
import zoneinfo
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agenda import links
from agenda.enums import EventStatus
from agenda.validators import available_timezones
from registrations import links as registration_links
from registrations import tickets
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration
from registrations.selectors import join_url, registration_with_details

from .calendars import calendar_bytes
from .changes import describe_changes
from .enums import MessageKind
from .models import Delivery
from .wire import OutgoingEmail

if TYPE_CHECKING:
    from .programme import ProgrammeCache

# A reminder whose moment passed longer ago than this is skipped, not sent late.
REMINDER_GRACE = dt.timedelta(minutes=30)


_SUBJECTS = {
    MessageKind.REGISTRATION_CONFIRMED: gettext_noop("You are registered: %(event)s"),
    MessageKind.REGISTRATION_WAITLISTED: gettext_noop("You are on the waitlist: %(event)s"),
    MessageKind.REGISTRATION_PENDING: gettext_noop(
        "Registration received, awaiting approval: %(event)s"
    ),
    MessageKind.PROMOTED: gettext_noop("A seat is yours: %(event)s"),
    MessageKind.SESSION_SEAT: gettext_noop("A seat in your session is yours: %(event)s"),
    MessageKind.CANCELLED: gettext_noop("Registration cancelled: %(event)s"),
    MessageKind.ALREADY_REGISTERED: gettext_noop("Your registration for %(event)s"),
    MessageKind.REMINDER: gettext_noop("Reminder: %(event)s"),
    MessageKind.CHANGE_NOTICE: gettext_noop("Change to your programme: %(event)s"),
}


def _subject(kind: str, event_title: str) -> str:
    return _(_SUBJECTS[kind]) % {"event": event_title}


def still_wanted(delivery: Delivery, *, now: dt.datetime) -> bool:
    """Whether the message still makes sense to send at ``now``."""
    registration = delivery.registration
    if registration.erased_at is not None:
        return False
    if delivery.kind == MessageKind.REMINDER:
        return (
            registration.status == RegistrationStatus.CONFIRMED
            and registration.reminders_enabled
            and registration.event.status == EventStatus.PUBLISHED
            and now - delivery.scheduled_for <= REMINDER_GRACE
            and now < registration.event.end
        )
    if delivery.kind == MessageKind.CHANGE_NOTICE:
        return registration.status != RegistrationStatus.CANCELLED
    return True


# The messages that carry the attendee's ticket (QR code and code), when confirmed.
TICKET_KINDS = frozenset({
    MessageKind.REGISTRATION_CONFIRMED, MessageKind.PROMOTED, MessageKind.REMINDER,
})


def carries_ticket(delivery: Delivery, registration: Registration) -> bool:
    return (
        delivery.kind in TICKET_KINDS
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.erased_at is None
    )


def ticket_content_id() -> str:
    """The Content-ID of the QR image, the same in every message (so bodies can be shared)."""
    return f"ticket-qr@{settings.SITE_DOMAIN}"


def unsubscribe_url(registration: Registration) -> str:
    return links.absolute(f"/reminders/off/{registration.manage_token}/")


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


def sender() -> str:
    """DEFAULT_FROM_EMAIL's address under the network's name (NETWORK_NAME)."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((settings.NETWORK_NAME, address or settings.DEFAULT_FROM_EMAIL))


def reply_to(event) -> list[str]:
    """Replies go to the event's contact, when it names one (not to the no-reply sender)."""
    if not event.contact_email:
        return []
    return [formataddr((event.contact_name or settings.NETWORK_NAME, event.contact_email))]


def _context(delivery: Delivery, registration: Registration) -> dict:
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
        "manage_url": registration_links.manage_url(registration),
        "unsubscribe_url": unsubscribe_url(registration),
        "has_ticket": carries_ticket(delivery, registration),
        "ticket_code": registration.ticket_code,
        "ticket_cid": ticket_content_id(),
        "site_url": settings.SITE_URL,
        "network_name": settings.NETWORK_NAME,
        "contact_name": event.contact_name,
        "contact_email": event.contact_email,
        **delivery.context,
        **_kind_context(delivery, event),
    }


def _kind_context(delivery: Delivery, event) -> dict:
    if delivery.kind == MessageKind.REMINDER:
        minutes = delivery.context.get("offset_minutes", 0)
        return {"offset_minutes": minutes, "offset_days": minutes // 1440,
                "offset_hours": max(minutes // 60, 1)}
    if delivery.kind == MessageKind.CHANGE_NOTICE:
        return {"change_lines": describe_changes(delivery.context.get("changes", []), event)}
    return {}


# What differs between two attendees' bodies that are otherwise the same.
PERSONAL_FIELDS = ("name", "manage_url", "unsubscribe_url", "ticket_code")


def personal_values(registration: Registration) -> dict[str, str]:
    return {
        "name": str(registration.name),
        "manage_url": registration_links.manage_url(registration),
        "unsubscribe_url": unsubscribe_url(registration),
        "ticket_code": registration.ticket_code,
    }


def render_bodies(
    delivery: Delivery, registration: Registration, *, personal: dict | None = None
) -> tuple[str, str]:
    """The plain text and HTML bodies (in the active language and zone)."""
    context = _context(delivery, registration) | (personal or {})
    return (
        render_to_string(f"notifications/email/{delivery.kind}.txt", context),
        render_to_string(f"notifications/email/{delivery.kind}.html", context),
    )


def calendar_attachment(
    registration: Registration, *, programme: "ProgrammeCache | None" = None
) -> bytes:
    """The attendee's event and sessions as the personal feed has them."""
    if programme is not None:
        return programme.calendar(registration)
    return calendar_bytes(registration, registration.event)


def render_message(
    delivery: Delivery,
    *,
    registration: Registration | None = None,
    programme: "ProgrammeCache | None" = None,
) -> OutgoingEmail:
    """The message ``delivery`` stands for, as of now.

    ``registration`` is the delivery's as ``registration_with_details()`` loads it (loaded
    here when not given); ``programme`` shares the loading of each event's calendar, and the
    rendering of what messages have in common, between the messages of a batch.
    """
    if registration is None:
        registration = registration_with_details().get(pk=delivery.registration_id)
    language = registration.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(registration.event.tzinfo):
        if programme is None:
            text, html = render_bodies(delivery, registration)
        else:
            text, html = programme.bodies(delivery, registration)
        subject = _subject(delivery.kind, registration.event.title)
    headers = {
        "Auto-Submitted": "auto-generated",
        # Stable per delivery: a retried send is recognisably the same message.
        "Message-ID": (
            f"<delivery-{delivery.pk}-{registration.public_id.hex}@{settings.SITE_DOMAIN}>"
        ),
        "X-Agenda-Kind": delivery.kind,
    }
    if delivery.kind == MessageKind.REMINDER:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(registration)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = OutgoingEmail(
        subject=subject,
        body=text,
        from_email=sender(),
        to=[registration.email],
        reply_to=reply_to(registration.event),
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    message.attach(
        f"{registration.event.slug}.ics",
        calendar_attachment(registration, programme=programme),
        # Django adds the charset parameter itself; naming it here would write it twice.
        "text/calendar; method=PUBLISH",
    )
    if carries_ticket(delivery, registration):
        message.attach(ticket_image(registration))
    return message


def ticket_image(registration: Registration) -> MIMEImage:
    """The ticket's QR code as a PNG the HTML body shows (``cid:``), inline."""
    image = MIMEImage(tickets.qr_png(registration.ticket_code), "png")
    image.add_header("Content-ID", f"<{ticket_content_id()}>")
    image.add_header("Content-Disposition", "inline", filename="ticket.png")
    return image
