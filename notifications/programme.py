"""What the messages of a batch share, loaded and rendered once for all of them.

An event's attendees mostly get the same email but for their name and links, and the same
calendar but for its stamps: the programme (the event and its sessions) is read once, each
distinct body rendered once with stand-ins for what is personal, and each distinct calendar
serialized once (``calendars.StampedCalendar``).
"""

import copy
import json
import re
import secrets
from collections.abc import Iterable

from django.utils import translation
from django.utils.html import conditional_escape

from agenda.feeds import selectors as feed_selectors
from agenda.models import Event, Session
from registrations import tickets
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.selectors import active_choices

from .bodies import (
    PERSONAL_FIELDS,
    personal_values,
    render_bodies,
    shared_delivery,
    shared_registration,
)
from .calendars import StampedCalendar, calendar_bytes
from .models import Delivery


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
        # The ticket images stored for the registrations read by ``registrations``.
        self.ticket_images: dict[int, tuple[str, bytes]] = {}
        # Stand-ins for what is personal in a body, unguessable so that no event text can
        # contain one: (stand-in, field) pairs, and the pattern that finds them.
        nonce = secrets.token_hex(8)
        self._stand_ins = {f"\ue000{nonce}{field}\ue001": field for field in PERSONAL_FIELDS}
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
        registration and of each session per choice; and one for their ticket images."""
        registrations = Registration.objects.in_bulk(ids)
        # Each event's programme once (with check_state, each read costs a query).
        programmes = {
            event_id: self.programme(event_id)
            for event_id in {registration.event_id for registration in registrations.values()}
        }
        for registration in registrations.values():
            registration.event = programmes[registration.event_id][0]
            registration.active_choices = []
        choices = list(
            active_choices()
            .filter(registration_id__in=registrations)
            .only("pk", "registration_id", "session_id", "status")
        )
        sessions = {}
        for _event, event_sessions in programmes.values():
            sessions |= event_sessions
        # A session added since its programme was read is loaded on its own.
        sessions |= Session.objects.select_related("room", "track").in_bulk(
            {choice.session_id for choice in choices} - sessions.keys()
        )
        for choice in choices:
            choice.session = sessions[choice.session_id]
            registrations[choice.registration_id].active_choices.append(choice)
        self.ticket_images |= tickets.stored_images(registrations)
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
        """``render_bodies(delivery, registration)``, rendered once per distinct message: the
        templates are rendered with stand-ins for the personal fields (name and links), and
        each message fills in its own, escaped for the HTML body as the template would. The
        render sees only the shareable fields (``bodies.shared_registration``)."""
        key = (
            delivery.kind,
            delivery.message_id,
            translation.get_language(),
            registration.event_id,
            registration.status,
            registration.timezone,
            json.dumps(delivery.context, sort_keys=True, default=str),
            tuple((choice.session_id, choice.status) for choice in registration.active_choices),
        )
        template = self._bodies.get(key)
        if template is None:
            # Rendered from views that hold only what the key holds: a template reading any
            # other field of the registration or delivery raises NotShareable.
            by_field = {field: marker for marker, field in self._stand_ins.items()}
            template = self._bodies[key] = render_bodies(
                shared_delivery(delivery),
                shared_registration(registration, name=by_field["name"]),
                personal=by_field,
            )
        values = personal_values(registration)
        text, html = template
        return (
            self._stand_in.sub(lambda found: values[self._stand_ins[found[0]]], text),
            self._stand_in.sub(
                lambda found: conditional_escape(values[self._stand_ins[found[0]]]), html
            ),
        )
