"""Reads shaped for the attendee pages: the agenda by month, an event's programme as a
timetable by day (``pages.timetable``), a session, its speakers, and a registration as its
manage page shows it.

Each read runs a constant number of queries, however many events, sessions or speakers there
are; grouping happens in Python on rows that arrive with their related rows. Drafts are never
shown, not even to organizers: the pages are the public's.
"""

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict

from agenda import calendar_links
from agenda.enums import EventStatus
from agenda.filters import EventFilter
from agenda.models import MAX_ID, Event, Session, Speaker, Tag, Track
from agenda.selectors import (
    PUBLIC_STATUSES,
    event_detail,
    event_list,
    sessions_with_details,
    with_programme,
)
from registrations import selectors as registration_selectors
from registrations.answers import display_value
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.errors import RegistrationError
from registrations.models import Answer, Question, Registration, SessionChoice
from registrations.services import Conflict, check_registration_open, find_conflicts

from . import sharing, timetable

# The agenda page's filters: a subset of the events API's, applied by its own FilterSet.
AGENDA_FILTERS = ("q", "kind", "format", "tag", "track", "starts_after", "starts_before")
SINGLE_VALUED = ("q", "tag", "track", "starts_after", "starts_before")
TYPED_FILTERS = ("starts_after", "starts_before")
UPCOMING, PAST = "upcoming", "past"


# --- Registration availability -----------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Whether a visitor can register now, and what to tell them.

    ``code`` is one of ``open``, ``waitlist`` (full: new registrations wait for a seat),
    ``not_open_yet``, ``closed`` and ``cancelled``; ``message`` is the rule's own words for the
    last three (from ``registrations.services.check_registration_open``).
    """

    code: str
    seats_left: int | None = None
    message: str = ""
    requires_approval: bool = False

    @property
    def can_register(self) -> bool:
        return self.code in ("open", "waitlist")


_CLOSED_CODES = {"event_cancelled": "cancelled", "not_open_yet": "not_open_yet"}


def availability(event: Event, *, now: dt.datetime) -> Availability:
    """What the registration rules say of ``event`` at ``now`` (no query)."""
    try:
        check_registration_open(event, now=now)
    except RegistrationError as error:
        return Availability(
            code=_CLOSED_CODES.get(error.code, "closed"),
            seats_left=event.seats_left,
            message=error.message,
        )
    seats_left = event.seats_left
    return Availability(
        code="waitlist" if seats_left == 0 else "open",
        seats_left=seats_left,
        requires_approval=event.requires_approval,
    )


# --- The agenda ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventCard:
    event: Event
    availability: Availability


@dataclass
class MonthGroup:
    month: dt.date  # the first of the month, in the events' own zones
    cards: list[EventCard] = field(default_factory=list)


@dataclass
class AgendaPage:
    when: str  # UPCOMING or PAST
    months: list[MonthGroup]
    filters: EventFilter
    topics: list[Tag]
    tracks: list[tuple[str, str]]  # (slug, name) of the tracks of public events
    count: int
    is_filtered: bool
    year: int | None = None  # the past year shown
    years: list[int] = field(default_factory=list)  # years that have past events

    @property
    def selected(self) -> dict[str, str]:
        """The filters as the form shows them: one value each."""
        data = self.filters.data
        return {name: (data.get(name) or "") for name in AGENDA_FILTERS}

    @property
    def errors(self) -> list[str]:
        """What is wrong with the dates as typed, to say so (a value no menu offers, as an
        old link may hold, is simply ignored)."""
        form = self.filters.form
        return [
            f"{form.fields[name].label}: {message}"
            for name, messages in form.errors.items() if name in TYPED_FILTERS
            for message in messages
        ]

    @property
    def feed_query(self) -> str:
        """The filters as the agenda feed takes them (the same names), for its link."""
        return urlencode(
            [(name, value) for name in AGENDA_FILTERS for value in self.filters.data.getlist(name)]
        )

    @property
    def year_links(self) -> list[tuple[int, str]]:
        """Each past year with the query string that shows it, filters kept."""
        kept = {name: value for name, value in self.selected.items() if value}
        return [
            (year, "?" + urlencode({**kept, "when": PAST, "year": year})) for year in self.years
        ]


def _filter_data(query: QueryDict) -> QueryDict:
    """The agenda filters present in ``query``, without the empty values a GET form sends."""
    data = QueryDict(mutable=True)
    for name in AGENDA_FILTERS:
        values = [value.strip() for value in query.getlist(name) if value.strip()]
        if values:
            data.setlist(name, values[:1] if name in SINGLE_VALUED else values)
    return data


def _group_by_month(events: Iterable[Event], *, now: dt.datetime) -> list[MonthGroup]:
    months: list[MonthGroup] = []
    for event in events:
        local = event.local_start
        month = dt.date(local.year, local.month, 1)
        if not months or months[-1].month != month:
            months.append(MonthGroup(month=month))
        months[-1].cards.append(EventCard(event=event, availability=availability(event, now=now)))
    return months


def _track_choices() -> list[tuple[str, str]]:
    """Tracks of public events, one per slug (events name their tracks alike: "Policy")."""
    names: dict[str, str] = {}
    rows = Track.objects.filter(event__status__in=PUBLIC_STATUSES).order_by("name", "slug")
    for slug, name in rows.values_list("slug", "name"):
        names.setdefault(slug, name)
    return sorted(names.items(), key=lambda item: item[1].casefold())


def agenda_page(*, query: QueryDict, now: dt.datetime) -> AgendaPage:
    """Published and cancelled events, filtered like the events API, grouped by month.

    Upcoming events (not yet over) come first in start order; ``when=past`` shows the events
    of one past year (``year``, else the latest), newest first. Four queries, five for past.
    """
    when = PAST if query.get("when") == PAST else UPCOMING
    data = _filter_data(query)
    filters = EventFilter(data=data, queryset=event_list(None))
    events = filters.qs
    year = None
    years: list[int] = []
    if when == PAST:
        past = events.filter(end__lte=now)
        years = [moment.year for moment in past.dates("start", "year", order="DESC")]
        try:
            wanted = int(query.get("year", ""))
        except ValueError:
            wanted = None
        year = wanted if wanted in years else (years[0] if years else None)
        events = past.filter(start__year=year).order_by("-start", "-slug") if year else past.none()
    else:
        events = events.filter(end__gt=now).order_by("start", "slug")
    rows = list(events)
    return AgendaPage(
        when=when,
        months=_group_by_month(rows, now=now),
        filters=filters,
        topics=list(
            Tag.objects.filter(events__status__in=PUBLIC_STATUSES).distinct().order_by("name")
        ),
        tracks=_track_choices(),
        count=len(rows),
        is_filtered=bool(data),
        year=year,
        years=years,
    )


# --- An event -----------------------------------------------------------------------------


@dataclass
class SpeakerEntry:
    speaker: Speaker
    sessions: list[Session] = field(default_factory=list)


@dataclass
class EventPage:
    event: Event
    availability: Availability
    sessions: list[Session]
    days: list[timetable.TimetableDay]
    speakers: list[SpeakerEntry]
    calendar: calendar_links.CalendarLinks
    questions: list[Question] = field(default_factory=list)  # the registration form asks

    @property
    def map_url(self) -> str:
        return sharing.map_url(self.event)

    @property
    def share(self) -> sharing.ShareLinks:
        return sharing.share_links(self.event)


def public_event(slug: str) -> Event | None:
    """A published or cancelled event with topics, tracks, and sessions with their room,
    track and speakers (five queries)."""
    return event_detail(None).filter(slug=slug).first()


def _speakers(sessions: Sequence[Session]) -> list[SpeakerEntry]:
    entries: dict[int, SpeakerEntry] = {}
    for session in sessions:
        for speaker in session.speakers.all():
            entries.setdefault(speaker.pk, SpeakerEntry(speaker=speaker)).sessions.append(session)
    return sorted(
        entries.values(),
        key=lambda entry: (
            (entry.speaker.name or entry.speaker.organization).casefold(),
            entry.speaker.role.casefold(),
            entry.speaker.pk,
        ),
    )


def event_page(*, slug: str, now: dt.datetime, with_questions: bool = True) -> EventPage | None:
    """Everything the event page and its speaker list show, or None for no public event
    (the registration questions in one more query, unless ``with_questions`` is false)."""
    event = public_event(slug)
    if event is None:
        return None
    return _event_page(event, now=now, with_questions=with_questions)


def preview_page(*, event: Event, now: dt.datetime) -> EventPage:
    """The event page of ``event`` whatever its status (a draft included), for its organizers'
    preview: the caller has asked ``agenda.permissions`` first."""
    event = with_programme(Event.objects.filter(pk=event.pk)).get()
    if event.status == EventStatus.DRAFT:
        # A draft takes no registrations; the preview shows the form it will have once out.
        as_published = copy.copy(event)
        as_published.status = EventStatus.PUBLISHED
        return _event_page(event, now=now, availability_of=as_published)
    return _event_page(event, now=now)


def _event_page(event: Event, *, now: dt.datetime, availability_of: Event | None = None,
                with_questions: bool = True) -> EventPage:
    sessions = list(event.sessions.all())
    for session in sessions:
        session.event = event  # one Event instance, its zone and status, for every session
    return EventPage(
        event=event,
        availability=availability(availability_of or event, now=now),
        sessions=sessions,
        days=timetable.build(event, sessions),
        speakers=_speakers(sessions),
        calendar=calendar_links.event_links(event),
        questions=registration_selectors.questions_of(event) if with_questions else [],
    )


@dataclass
class SessionPage:
    event: Event
    session: Session
    availability: Availability
    calendar: calendar_links.CalendarLinks
    registration: Registration | None = None  # seen from the attendee's manage page
    choice: SessionChoice | None = None  # the attendee's seat or waitlist place in it
    can_change: bool = False

    @property
    def choice_status_label(self) -> str:
        return str(self.choice.get_status_display()) if self.choice else ""


def session_page(*, slug: str, session_id: int, now: dt.datetime) -> SessionPage | None:
    """A session of a public event with its room, track and speakers (two queries), or None."""
    if session_id > MAX_ID:
        return None  # not an id the database could even compare
    session = (
        sessions_with_details()
        .filter(pk=session_id, event__slug=slug, event__status__in=PUBLIC_STATUSES)
        .first()
    )
    if session is None:
        return None
    return SessionPage(
        event=session.event,
        session=session,
        availability=availability(session.event, now=now),
        calendar=calendar_links.session_links(session),
    )


def registration_session_page(
    *, registration: Registration, session_id: int, now: dt.datetime
) -> SessionPage | None:
    """A session of the registration's event as its attendee sees it, with their choice of
    it (two queries: the choices arrived with the registration), or None."""
    event = registration.event
    if session_id > MAX_ID:
        return None
    session = sessions_with_details().filter(pk=session_id, event=event).first()
    if session is None:
        return None
    session.event = event
    chosen = {choice.session_id: choice for choice in registration.active_choices}
    return SessionPage(
        event=event,
        session=session,
        availability=availability(event, now=now),
        calendar=calendar_links.session_links(session),
        registration=registration,
        choice=chosen.get(session.pk),
        can_change=registration.is_active and event.end > now,
    )


@dataclass
class SpeakerPage:
    speaker: Speaker
    sessions: list[Session]  # across public events, newest event first

    @property
    def upcoming(self) -> list[Session]:
        return [session for session in self.sessions if not session.is_past]

    @property
    def past(self) -> list[Session]:
        return [session for session in self.sessions if session.is_past]


def speaker_page(*, speaker_id: int, now: dt.datetime) -> SpeakerPage | None:
    """A speaker with their sessions in published and cancelled events (two queries), or
    None for no such speaker or one who speaks at no public event."""
    if speaker_id > MAX_ID:
        return None
    speaker = Speaker.objects.filter(pk=speaker_id).first()
    if speaker is None:
        return None
    sessions = list(
        Session.objects.filter(speakers=speaker, event__status__in=PUBLIC_STATUSES)
        .select_related("event", "room", "track")
        .order_by("start", "pk")
    )
    if not sessions:
        return None  # a speaker of drafts only is not public yet
    for session in sessions:
        session.is_past = session.end <= now
    return SpeakerPage(speaker=speaker, sessions=sessions)


def sitemap_events() -> QuerySet[Event]:
    """Published events, for search engines (drafts and cancelled events stay out)."""
    return Event.objects.filter(status=EventStatus.PUBLISHED).order_by("start", "slug")


# --- A registration -----------------------------------------------------------------------


@dataclass
class SessionOption:
    """One session in a choice form: ticked or not, and whether it may be ticked.

    A session the registration already holds (a seat or a waitlist place) can always stay;
    any other is offered only while it is scheduled and has a free seat.
    """

    session: Session
    checked: bool = False
    held: bool = False
    choice_status: str = ""  # the SessionChoiceStatus of a held session

    @property
    def disabled(self) -> bool:
        return not self.held and (self.session.is_cancelled or self.session.is_full)

    @property
    def choice_status_label(self) -> str:
        return str(SessionChoiceStatus(self.choice_status).label) if self.choice_status else ""


def session_options(sessions: Iterable[Session], *, checked: Iterable[int]) -> list[SessionOption]:
    """The registration form's session choices; cancelled sessions are left out."""
    wanted = set(checked)
    return [
        SessionOption(session=session, checked=session.pk in wanted)
        for session in sessions
        if not session.is_cancelled
    ]


@dataclass
class ManagePage:
    registration: Registration
    event: Event
    choices: list[SessionChoice]
    conflicts: list[Conflict]
    options: list[SessionOption]
    calendar: calendar_links.CalendarLinks
    can_change: bool  # sessions can change and the registration can be cancelled
    waitlist_position: int | None = None
    schedule: list[timetable.TimetableDay] = field(default_factory=list)  # chosen sessions
    questions: list[Question] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    @property
    def answered(self) -> list[tuple[str, str]]:
        """Each question in the attendee's language with their answer as they read it."""
        language = self.registration.language
        by_question = {answer.question_id: answer.value for answer in self.answers}
        return [
            (question.text(language),
             display_value(question, by_question.get(question.pk), language))
            for question in self.questions
        ]

    @property
    def join_url(self) -> str:
        """The online join link, for confirmed attendees only (as in the API and emails)."""
        return registration_selectors.join_url(self.registration)


def registration_by_token(token: str) -> Registration | None:
    """The registration behind a management token (constant-time check), with its event and
    active session choices; None for a wrong, revoked or erased one."""
    registration = registration_selectors.registration_by_manage_token(token)
    if registration is None or registration.erased_at is not None:
        return None
    return registration


def event_questions(event: Event) -> list[Question]:
    return registration_selectors.questions_of(event)


def manage_session_path(registration: Registration, session: Session) -> str:
    """The session's page as this attendee sees it: with "add to my registration"."""
    return f"/manage/{registration.manage_token}/sessions/{session.pk}/"


def manage_page(*, registration: Registration, now: dt.datetime) -> ManagePage:
    """The manage page of ``registration`` (loaded by ``registration_by_token``): up to four
    more queries, for the event's sessions and questions, the answers when it asks any and,
    while waitlisted, the place in line."""
    event = registration.event
    choices = list(registration.active_choices)
    chosen = {choice.session_id: choice for choice in choices}
    sessions = list(
        Session.objects.filter(event=event).select_related("room", "track").order_by(
            "start", "title", "pk"
        )
    )
    for session in sessions:
        session.event = event
    for choice in choices:
        choice.session.event = event
    questions = registration_selectors.questions_of(event)
    position = None
    if registration.status == RegistrationStatus.WAITLISTED:
        position = Registration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED, pk__lte=registration.pk
        ).count()
    return ManagePage(
        registration=registration,
        event=event,
        choices=choices,
        conflicts=find_conflicts([choice.session for choice in choices]),
        options=[
            SessionOption(
                session=session,
                checked=session.pk in chosen,
                held=session.pk in chosen,
                choice_status=chosen[session.pk].status if session.pk in chosen else "",
            )
            for session in sessions
            if session.pk in chosen or not session.is_cancelled
        ],
        calendar=calendar_links.event_links(event),
        can_change=registration.is_active and event.end > now,
        waitlist_position=position,
        schedule=timetable.build(
            event,
            [choice.session for choice in choices],
            url=lambda session: manage_session_path(registration, session),
        ),
        questions=questions,
        answers=registration_selectors.answers_of(registration) if questions else [],
    )
