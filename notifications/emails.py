"""What each email says: subject, plain text and HTML bodies, and the calendar attachment.

Every message is rendered when it is sent, from the current state of the registration and
its event, in the attendee's language, with times in the event's zone. Its ``.ics`` holds the
same VEVENTs (same UIDs) as the attendee's personal feed, so calendar apps update the entries
they already have instead of adding copies.
"""

import datetime as dt
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agenda.enums import EventStatus
from registrations import tickets
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.selectors import registration_with_details

# What the bodies are made of lives in .bodies (which .programme shares, so that it and this
# module need not import each other); the names stay importable from here.
from .bodies import (  # noqa: F401
    PERSONAL_FIELDS,
    TICKET_KINDS,
    attendee_zone,
    carries_ticket,
    personal_values,
    render_bodies,
    ticket_content_id,
    unsubscribe_url,
)
from .calendars import calendar_bytes
from .enums import MessageKind
from .models import Delivery
from .programme import ProgrammeCache
from .wire import OutgoingEmail

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
    MessageKind.SESSIONS_CHANGED: gettext_noop("Your sessions are updated: %(event)s"),
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
    if delivery.kind in (MessageKind.CHANGE_NOTICE, MessageKind.ORGANIZER_MESSAGE):
        return registration.status != RegistrationStatus.CANCELLED
    return True


def sender() -> str:
    """DEFAULT_FROM_EMAIL's address under the network's name (NETWORK_NAME)."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((settings.NETWORK_NAME, address or settings.DEFAULT_FROM_EMAIL))


def reply_to(event) -> list[str]:
    """Replies go to the event's contact, when it names one (not to the no-reply sender)."""
    if not event.contact_email:
        return []
    return [formataddr((event.contact_name or settings.NETWORK_NAME, event.contact_email))]


def calendar_attachment(
    registration: Registration, *, programme: ProgrammeCache | None = None
) -> bytes:
    """The attendee's event and sessions as the personal feed has them."""
    if programme is not None:
        return programme.calendar(registration)
    return calendar_bytes(registration, registration.event)


def render_message(
    delivery: Delivery,
    *,
    registration: Registration | None = None,
    programme: ProgrammeCache | None = None,
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
        if delivery.kind == MessageKind.ORGANIZER_MESSAGE:
            subject = delivery.message.subject
        else:
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
    if carries_ticket(delivery, registration) and registration.erased_at is None:
        message.attach(ticket_image(registration, programme))
    return message


def ticket_image(registration: Registration,
                 programme: ProgrammeCache | None = None) -> MIMEImage:
    """The ticket's QR code as a PNG the HTML body shows (``cid:``), inline."""
    stored = programme.ticket_images if programme is not None else None
    image = MIMEImage(tickets.ticket_png(registration, stored=stored), "png")
    image.add_header("Content-ID", f"<{ticket_content_id()}>")
    image.add_header("Content-Disposition", "inline", filename="ticket.png")
    return image
