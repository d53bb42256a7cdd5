"""What each email says: subject, plain text and HTML bodies, and the calendar attachment.

Every message is rendered when it is sent, from the current state of the registration and
its event, in the attendee's language, with times in the event's zone. Its ``.ics`` holds the
same VEVENTs (same UIDs) as the attendee's personal feed, so calendar apps update the entries
they already have instead of adding copies.
"""

import copy
import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agenda import links
from agenda.enums import EventStatus
from agenda.feeds import selectors as feed_selectors
from agenda.models import Event, Session
from registrations import links as registration_links
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration
from registrations.selectors import active_choices, join_url, registration_with_details

from .calendars import StampedCalendar, calendar_bytes
from .changes import describe_changes
from .enums import MessageKind
from .models import Delivery
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


def unsubscribe_url(registration: Registration) -> str:
    return links.absolute(f"/reminders/off/{registration.manage_token}/")


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
        "site_url": settings.SITE_URL,
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


class ProgrammeCache:
    """Events with their topics and tracks, and their sessions with room, track and speakers,
    for the ``.ics`` of many messages: loaded once, reused while the event's feed state is
    unchanged; and the ``.ics`` itself, serialized once for attendees whose calendars are
    the same but for their stamps (same status, choices and language), and the
    bodies, rendered once per kind, language and choices with stand-ins for the personal
    fields (``bodies``).

    The state is one cheap statement (the one the feeds' ETags use, ``event_state_by_id``)
    in place of three queries per message: it moves whenever the event's calendar may
    change, so a message gets the ``.ics`` it would get without the cache (but for what the
    ETags miss too: a topic, track or room renamed to a name of the same length during the
    batch). With ``check_state=False`` it is read once per event, when first needed: the
    batch then sees its events as they were when it started, as it sees its registrations.
    Meant for one batch of sends: it keeps what it loaded until it is dropped.
    """

    def __init__(self, *, check_state: bool = True) -> None:
        self._check_state = check_state
        self._events: dict[int, tuple[tuple, Event, dict[int, Session]]] = {}
        self._calendars: dict[tuple, StampedCalendar] = {}
        self._bodies: dict[tuple, tuple[str, str]] = {}
        # Stand-ins for what is personal in a body, unguessable so that no event text can
        # contain one: (stand-in, field) pairs, and the pattern that finds them.
        nonce = secrets.token_hex(8)
        self._stand_ins = {f"\ue000{nonce}{field}\ue001": field for field in _PERSONAL}
        self._stand_in = re.compile("|".join(map(re.escape, self._stand_ins)))

    def programme(self, event_id: int) -> tuple[Event, dict[int, Session]]:
        """The event (topics and tracks loaded) and its sessions by id, as they are now."""
        cached = self._events.get(event_id)
        if cached is not None and not self._check_state:
            return cached[1], cached[2]
        # Read before loading: a change made in between then shows as a stale state.
        state = feed_selectors.event_state_by_id(event_id).parts
        if cached is None or cached[0] != state:
            event = Event.objects.get(pk=event_id)
            feed_selectors.with_categories([event])
            sessions = {
                session.pk: session for session in feed_selectors.event_feed_sessions(event)
            }
            cached = self._events[event_id] = (state, event, sessions)
        return cached[1], cached[2]

    def registrations(self, ids: Iterable[int]) -> dict[int, Registration]:
        """``registration_with_details().in_bulk(ids)``, with each event and chosen session
        taken from the programme: two queries, rather than one copy of the event per
        registration and of each session per choice."""
        registrations = Registration.objects.in_bulk(ids)
        for registration in registrations.values():
            registration.event = self.programme(registration.event_id)[0]
            registration.active_choices = []
        choices = list(
            active_choices()
            .filter(registration_id__in=registrations)
            .only("pk", "registration_id", "session_id", "status")
        )
        sessions = {}
        for event_id in {registration.event_id for registration in registrations.values()}:
            sessions |= self.programme(event_id)[1]
        # A session added since its programme was read is loaded on its own.
        sessions |= Session.objects.select_related("room", "track").in_bulk(
            {choice.session_id for choice in choices} - sessions.keys()
        )
        for choice in choices:
            choice.session = sessions[choice.session_id]
            registrations[choice.registration_id].active_choices.append(choice)
        for registration in registrations.values():
            registration.active_choices.sort(key=lambda choice: (choice.session.start, choice.pk))
        return registrations

    def for_calendar(self, registration: Registration) -> tuple[Registration, Event]:
        """A copy of ``registration`` whose chosen sessions (and event) are the cached ones."""
        event, sessions = self.programme(registration.event_id)
        attendee = copy.copy(registration)
        attendee.active_choices = []
        for choice in registration.active_choices:
            choice = copy.copy(choice)
            choice.session = sessions.get(choice.session_id, choice.session)
            attendee.active_choices.append(choice)
        return attendee, event

    def calendar(self, registration: Registration) -> bytes:
        """``calendar_attachment(registration)``, built once per distinct calendar."""
        if registration.status == RegistrationStatus.CANCELLED:
            # Its items come from all its choices, released ones too: not worth a key.
            attendee, event = self.for_calendar(registration)
            return calendar_bytes(attendee, event)
        self.programme(registration.event_id)
        key = (
            registration.event_id,
            self._events[registration.event_id][0],  # a changed programme: another calendar
            translation.get_language(),
            registration.status,
            tuple((choice.session_id, choice.status) for choice in registration.active_choices),
        )
        calendar = self._calendars.get(key)
        if calendar is None:
            attendee, event = self.for_calendar(registration)
            calendar = self._calendars[key] = StampedCalendar(attendee, event)
        return calendar.for_registration(registration)

    def bodies(self, delivery: Delivery, registration: Registration) -> tuple[str, str]:
        """``_bodies(delivery, registration)``, rendered once per distinct message: the
        templates are rendered with stand-ins for the personal fields (name and links), and
        each message fills in its own, escaped for the HTML body as the template would."""
        key = (
            delivery.kind,
            translation.get_language(),
            registration.event_id,
            registration.status,
            json.dumps(delivery.context, sort_keys=True, default=str),
            tuple((choice.session_id, choice.status) for choice in registration.active_choices),
        )
        template = self._bodies.get(key)
        if template is None:
            stand_in = copy.copy(registration)
            by_field = {field: marker for marker, field in self._stand_ins.items()}
            stand_in.name = by_field["name"]
            template = self._bodies[key] = _bodies(
                delivery, stand_in,
                personal={"manage_url": by_field["manage_url"],
                          "unsubscribe_url": by_field["unsubscribe_url"]},
            )
        values = _personal_values(registration)
        text, html = template
        return (
            self._stand_in.sub(lambda found: values[self._stand_ins[found[0]]], text),
            self._stand_in.sub(
                lambda found: conditional_escape(values[self._stand_ins[found[0]]]), html
            ),
        )


# What differs between two attendees' bodies that are otherwise the same.
_PERSONAL = ("name", "manage_url", "unsubscribe_url")


def _personal_values(registration: Registration) -> dict[str, str]:
    return {
        "name": str(registration.name),
        "manage_url": registration_links.manage_url(registration),
        "unsubscribe_url": unsubscribe_url(registration),
    }


def _bodies(
    delivery: Delivery, registration: Registration, *, personal: dict | None = None
) -> tuple[str, str]:
    """The plain text and HTML bodies (in the active language and zone)."""
    context = _context(delivery, registration) | (personal or {})
    return (
        render_to_string(f"notifications/email/{delivery.kind}.txt", context),
        render_to_string(f"notifications/email/{delivery.kind}.html", context),
    )


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
            text, html = _bodies(delivery, registration)
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
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    message.attach(
        f"{registration.event.slug}.ics",
        calendar_attachment(registration, programme=programme),
        # Django adds the charset parameter itself; naming it here would write it twice.
        "text/calendar; method=PUBLISH",
    )
    return message
