"""Registration rules: seats, waitlists, session choices, approval, cancellation, erasure.

Every function that moves a seat takes the event row's lock, so for one event these writes
happen one at a time, in the order they got it, on PostgreSQL (row lock) and on SQLite
(IMMEDIATE transactions take the database's write lock). Seats are counted in
``Event.seats_taken`` / ``Session.seats_taken``, changed only by conditional UPDATEs here, and
a CHECK constraint in the database refuses any count above capacity.

``register`` keeps that lock as short as it can, because a rush of registrations queues on it:
every check that only reads (open or closed, sessions, answers) runs first, outside any
transaction. Then one transaction: the seat, by a conditional UPDATE (``seats_taken <
capacity``) whose row lock lasts until commit, and only the writes that must share its fate
(the registration, its choices and answers, the outbox rows of its emails and webhooks). An
address already registered is stopped by the unique index
``registration_one_live_per_email_and_event``: the whole transaction, seat included, rolls
back and the outcome is the duplicate one. It is not looked for first: that read cost every
registration a statement, to spare the rare duplicate a seat taken and given back.

Waitlist fairness. When the UPDATE finds no seat, the registration joins the waitlist after
reading the seats again with the row locked FOR SHARE (``_still_full``). Registrations joining
the waitlist share that lock, so they do not queue behind one another; but a cancellation or
a promotion (FOR UPDATE) waits for them, and they for it. This closes the race "a registration
finds the event full; a cancellation frees a seat and, finding nobody committed on the
waitlist, leaves it free; the registration then commits as waitlisted beside a free seat":
either the cancellation commits first, and the shared read sees the free seat (the attempt is
rolled back and decided again under the exclusive lock, where it takes the seat), or the
waitlisted registration commits first, and the cancellation, having waited for it, promotes
it. Arrival order is the order in which registrations decide under the row's lock, and the
primary key is assigned then, so the waitlist is promoted lowest primary key first.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext

from agenda import audit
from agenda.composed import ComposedInsert, statement_cursor
from agenda.enums import EventStatus, SessionStatus
from agenda.models import Event, Session

from . import selectors, signals
from .addresses import normalize_email
from .answers import clean_answers
from .enums import CancelledBy, RegistrationStatus, SessionChoiceStatus
from .errors import CheckInRefused, RegistrationError
from .models import (
    Answer,
    IdempotencyRecord,
    Question,
    Registration,
    SessionChoice,
    TicketImage,
)
from .tokens import new_secret

SEAT_HOLDING_CHOICES = (SessionChoiceStatus.CONFIRMED,)


@dataclass(frozen=True)
class Conflict:
    """Two chosen sessions that overlap in time: a warning, not a refusal."""

    first: Session
    second: Session

    @property
    def message(self) -> str:
        return gettext("“%(first)s” and “%(second)s” overlap in time.") % {
            "first": self.first.title,
            "second": self.second.title,
        }


@dataclass
class RegistrationOutcome:
    registration: Registration
    created: bool
    conflicts: list[Conflict] = field(default_factory=list)


# --- Locks and seat counters --------------------------------------------------------------


def lock_event(event_id: int) -> Event:
    """Lock the event row for the rest of the transaction and return it fresh."""
    return Event.objects.select_for_update().get(pk=event_id)


# Written out rather than composed by the ORM on each call: every registration runs it, in
# the transaction that then holds the row's lock (what composing cost was held with it).
_TAKE_SEAT = (
    "UPDATE {table} SET seats_taken = seats_taken + 1"
    " WHERE id = %s AND (capacity IS NULL OR seats_taken < capacity)"
)


def _take_seat(row: Event | Session) -> bool:
    """Take a seat in an event or a session if one is free: one conditional UPDATE."""
    table = connection.ops.quote_name(type(row)._meta.db_table)
    with statement_cursor() as cursor:
        cursor.execute(_TAKE_SEAT.format(table=table), [row.pk])
        taken = cursor.rowcount
    if taken:
        row.seats_taken += 1
    return bool(taken)


def _release_seat(row: Event | Session) -> None:
    type(row).objects.filter(pk=row.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )
    row.seats_taken = max(row.seats_taken - 1, 0)


# --- Checks -------------------------------------------------------------------------------


def _format_moment(event: Event, moment: dt.datetime) -> str:
    local = event.localize(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({event.timezone})"


def check_registration_open(event: Event, *, now: dt.datetime | None = None) -> None:
    """Raise unless ``event`` takes registrations at ``now``."""
    now = now or timezone.now()
    if event.status == EventStatus.DRAFT:
        raise RegistrationError("event_not_found", status_code=404)
    if event.status == EventStatus.CANCELLED:
        raise RegistrationError("event_cancelled", status_code=409)
    if event.registration_opens_at and now < event.registration_opens_at:
        raise RegistrationError(
            "not_open_yet", status_code=409,
            opens=_format_moment(event, event.registration_opens_at),
        )
    if now >= event.registration_closes:
        raise RegistrationError(
            "closed", status_code=409, closes=_format_moment(event, event.registration_closes)
        )


def _sessions_of(
    event: Event, session_ids: Iterable[int], *, already_chosen: frozenset[int] = frozenset()
) -> list[Session]:
    """The sessions of ``event`` behind ``session_ids``; unknown or newly chosen cancelled
    ones are refused (a cancelled session already in the agenda may stay there)."""
    wanted = sorted(set(session_ids))
    if not wanted:
        return []
    sessions = list(
        Session.objects.filter(event=event, pk__in=wanted).select_related("room", "track")
        .order_by("start", "pk")
    )
    for session in sessions:
        session.event = event
    missing = sorted(set(wanted) - {session.pk for session in sessions})
    if missing:
        raise RegistrationError(
            "unknown_sessions", field="sessions", ids=", ".join(map(str, missing))
        )
    for session in sessions:
        if session.status == SessionStatus.CANCELLED and session.pk not in already_chosen:
            raise RegistrationError("session_cancelled", field="sessions", title=session.title)
    return sessions


def find_conflicts(sessions: Sequence[Session]) -> list[Conflict]:
    """Pairs of sessions that overlap in time, in start order."""
    ordered = sorted(sessions, key=lambda session: (session.start, session.pk))
    conflicts = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1:]:
            if second.start >= first.end:
                break
            conflicts.append(Conflict(first=first, second=second))
    return conflicts


# --- Session choices ----------------------------------------------------------------------


def _choice_status(
    registration: Registration, session: Session, *, join_waitlist: bool
) -> str:
    """A confirmed registration takes a seat in ``session`` or waits for one; any other
    only requests it. Call with the event locked."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return SessionChoiceStatus.REQUESTED
    if _take_seat(session):
        return SessionChoiceStatus.CONFIRMED
    if join_waitlist:
        return SessionChoiceStatus.WAITLISTED
    raise RegistrationError("session_full", field="sessions", title=session.title)


def _add_choice(
    registration: Registration, session: Session, *, join_waitlist: bool
) -> SessionChoice:
    """Record a chosen session; a confirmed registration takes a seat in it or waits for one."""
    status = _choice_status(registration, session, join_waitlist=join_waitlist)
    # A session chosen again after being dropped is a new arrival: reviving the released row
    # would keep its old primary key, and with it its old place ahead in the waitlist.
    SessionChoice.objects.filter(registration=registration, session=session).delete()
    return SessionChoice.objects.create(registration=registration, session=session, status=status)


def _release_choice(choice: SessionChoice) -> None:
    held_seat = choice.status == SessionChoiceStatus.CONFIRMED
    choice.status = SessionChoiceStatus.RELEASED
    choice.save(update_fields=["status"])
    if held_seat:
        session = Session.objects.get(pk=choice.session_id)
        _release_seat(session)
        fill_session_seats(session=session)


def _allocate_requested_choices(registration: Registration) -> None:
    """A newly confirmed registration takes seats in its chosen sessions, or waits for them."""
    requested = registration.session_choices.filter(
        status=SessionChoiceStatus.REQUESTED
    ).select_related("session").order_by("session__start", "pk")
    for choice in requested:
        if choice.session.status == SessionStatus.CANCELLED:
            continue
        choice.status = (
            SessionChoiceStatus.CONFIRMED
            if _take_seat(choice.session)
            else SessionChoiceStatus.WAITLISTED
        )
        choice.save(update_fields=["status"])


# --- Waitlist promotion -------------------------------------------------------------------


def _confirm(registration: Registration, *, now: dt.datetime) -> None:
    previous_status = registration.status
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["status", "confirmed_at", "updated_at"])
    _allocate_requested_choices(registration)
    signals.registration_confirmed.send(
        sender=Registration, registration=registration, previous_status=previous_status
    )


def fill_event_seats(*, event: Event) -> list[Registration]:
    """Give free seats to the waitlist, first come first served. Call with the event locked.

    Side effects: confirms registrations and sends ``registration_confirmed`` and
    ``registration_promoted`` for each.
    """
    promoted = []
    now = timezone.now()
    while not event.is_full:
        first = (
            Registration.objects.select_for_update()
            .filter(event=event, status=RegistrationStatus.WAITLISTED)
            .order_by("pk")
            .first()
        )
        if first is None or not _take_seat(event):
            break
        _confirm(first, now=now)
        signals.registration_promoted.send(
            sender=Registration, registration=first, by_organizer=False
        )
        promoted.append(first)
    return promoted


def fill_session_seats(*, session: Session) -> list[SessionChoice]:
    """Give a session's free seats to its waitlist in order. Call with the event locked.

    Side effects: sends ``session_seat_confirmed`` for each promoted choice.
    """
    promoted = []
    if session.status == SessionStatus.CANCELLED:
        return promoted  # a freed seat in a cancelled session is nobody's good news
    while True:
        first = (
            SessionChoice.objects.select_for_update()
            .filter(
                session=session,
                status=SessionChoiceStatus.WAITLISTED,
                registration__status=RegistrationStatus.CONFIRMED,
            )
            .order_by("pk")
            .first()
        )
        if first is None or not _take_seat(session):
            break
        first.status = SessionChoiceStatus.CONFIRMED
        first.save(update_fields=["status"])
        signals.session_seat_confirmed.send(sender=SessionChoice, choice=first)
        promoted.append(first)
    return promoted


# --- Entry points -------------------------------------------------------------------------


# --- Registering ----------------------------------------------------------------------------


class _SeatFreedMeanwhile(Exception):
    """The event looked full, but a seat was freed before this registration could join the
    waitlist: decide again, under the exclusive lock."""


# Django's ORM has no FOR SHARE.
_SEATS = "SELECT capacity, seats_taken FROM agenda_event WHERE id = %s"
_SEATS_FOR_SHARE = _SEATS + " FOR SHARE"


def _still_full(event_id: int) -> bool:
    """Whether the event is full, read fresh, with its row locked in SHARE mode until commit
    (PostgreSQL): registrations joining the waitlist share the lock, while anything that
    moves a seat (a seat taken, a cancellation, a promotion) waits for them, and they for it.
    On SQLite the IMMEDIATE transaction already holds the database's write lock."""
    sql = _SEATS_FOR_SHARE if connection.vendor == "postgresql" else _SEATS
    with statement_cursor() as cursor:
        cursor.execute(sql, [event_id])
        capacity, seats_taken = cursor.fetchone()
    return capacity is not None and seats_taken >= capacity


def _seat_status(event: Event, *, exclusive: bool) -> str:
    """Pending approval where the organizer approves; else confirmed if a seat is free (taken
    by the conditional UPDATE, whose row lock lasts until commit), else waitlisted.

    ``exclusive``: lock the event row first, as every other seat move does (the plain path,
    taken when the quick one met a seat freed meanwhile).
    """
    if event.requires_approval:
        return RegistrationStatus.PENDING_APPROVAL
    if exclusive:
        lock_event(event.pk)
    if _take_seat(event):
        return RegistrationStatus.CONFIRMED
    if not exclusive and not _still_full(event.pk):
        raise _SeatFreedMeanwhile
    return RegistrationStatus.WAITLISTED


def _duplicate_outcome(existing: Registration) -> RegistrationOutcome:
    """The address already holds a live registration: its owner is sent their link."""
    with transaction.atomic():
        # Under the registration's row lock, so two attempts at once judge the notice window
        # one after the other (notifications.receivers.on_duplicate_attempt).
        existing = Registration.objects.select_for_update().get(pk=existing.pk)
        signals.registration_duplicate_attempted.send(sender=Registration, registration=existing)
    return RegistrationOutcome(registration=existing, created=False)


def register(
    *,
    event: Event,
    name: str,
    email: str,
    consent: bool,
    organization: str = "",
    session_ids: Sequence[int] = (),
    join_waitlist: bool = False,
    language: str = "en",
    attendee_timezone: str = "",
    answers: Mapping[object, object] | None = None,
    questions: Sequence[Question] | None = None,
    now: dt.datetime | None = None,
) -> RegistrationOutcome:
    """Register a person for ``event``: confirmed if a seat is free, else waitlisted (or pending
    approval where the organizer approves registrations).

    ``event`` is judged as given (open, closed, approval): pass a copy read for this request.
    ``email`` is stored normalized (``addresses.normalize_email``). An address that already
    holds a live registration (compared as ``addresses.same_address``) gets no second one:
    the outcome has ``created=False`` and the existing registration, which callers must not
    reveal; its owner is sent their management link (``registration_duplicate_attempted``).

    ``answers`` maps question ids to answers to the event's registration questions; every
    required question needs one (``registrations.answers.clean_answers`` says how each is
    checked). ``questions``: the event's questions when the caller has read them already.

    The new registration comes back with its details in memory (``active_choices``, answers),
    as ``selectors.registration_with_answers`` would read them.

    Side effects: takes event and session seats; sends ``registration_created`` (and
    ``registration_waitlisted`` when no seat was free).
    """
    if consent is not True:
        raise RegistrationError("consent_required", field="consent")
    try:
        email = normalize_email(email)
    except ValueError:
        raise RegistrationError("invalid_email", field="email") from None
    now = now or timezone.now()
    # Every check that only reads comes first, outside any transaction and lock. An address
    # already registered is found by the unique index, below (the module's docstring).
    check_registration_open(event, now=now)
    sessions = _sessions_of(event, session_ids)
    if questions is None:
        questions = _questions_of(event)
    checked = _checked_answers(questions, answers or {}, language=language, partial=False)

    exclusive = False
    while True:
        try:
            with transaction.atomic():
                status = _seat_status(event, exclusive=exclusive)
                registration = _create_registration(
                    event=event, status=status, sessions=sessions, join_waitlist=join_waitlist,
                    questions=questions, answers=checked, now=now,
                    fields={"name": name, "email": email, "organization": organization,
                            "language": language, "timezone": attendee_timezone},
                )
            break
        except _SeatFreedMeanwhile:
            exclusive = True
        except IntegrityError:
            # The address holds a live registration: the unique index refused ours (the
            # whole transaction, seat included, rolled back).
            existing = selectors.live_registration(event, email)
            if existing is None:
                raise
            return _duplicate_outcome(existing)
    return RegistrationOutcome(
        registration=registration, created=True, conflicts=find_conflicts(sessions)
    )


def register_input(
    *, event: Event, data: Mapping[str, object], language: str,
    questions: Sequence[Question] | None = None,
) -> RegistrationOutcome:
    """``register`` with what a registration form validated (the API's input, the event
    page's form): ``name``, ``email``, ``organization``, ``sessions``, ``consent``,
    ``timezone``, ``answers``, and ``join_waitlist`` where the form has it."""
    return register(
        event=event,
        name=data["name"],
        email=data["email"],
        organization=data["organization"],
        session_ids=data["sessions"],
        consent=data["consent"],
        join_waitlist=data.get("join_waitlist", False),
        language=language,
        attendee_timezone=data["timezone"],
        answers=data["answers"],
        questions=questions,
    )


# Written while the seat is held: its INSERT composed once (agenda.composed).
_REGISTRATION_INSERT = ComposedInsert(Registration)


def _create_registration(
    *, event: Event, status: str, sessions: Sequence[Session], join_waitlist: bool,
    questions: Sequence[Question], answers: Mapping[int, object], now: dt.datetime,
    fields: Mapping[str, str],
) -> Registration:
    """Write a new registration, its session choices and answers, with the seat already
    decided; sends ``registration_created`` (and ``registration_waitlisted``)."""
    registration = _REGISTRATION_INSERT.save(Registration(
        event=event,
        status=status,
        consent_version=settings.PRIVACY_NOTICE_VERSION,
        consented_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        **fields,
    ))
    # A new registration has no earlier choice or answer to replace: plain INSERTs.
    choices = [
        SessionChoice(registration=registration, session=session,
                      status=_choice_status(registration, session, join_waitlist=join_waitlist))
        for session in sessions
    ]
    if choices:
        SessionChoice.objects.bulk_create(choices)
    by_id = {question.pk: question for question in questions}
    given = sorted(
        (Answer(registration=registration, question=by_id[question_id], value=value)
         for question_id, value in answers.items() if value is not None),
        key=lambda answer: (answer.question.position, answer.question_id),
    )
    if given:
        Answer.objects.bulk_create(given)
    selectors.attach_details(registration, choices=choices, answers=given)
    signals.registration_created.send(sender=Registration, registration=registration)
    if status == RegistrationStatus.WAITLISTED:
        signals.registration_waitlisted.send(sender=Registration, registration=registration)
    return registration


def _lock_registration(registration: Registration) -> tuple[Event, Registration]:
    event = lock_event(registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def cancel_registration(
    *, registration: Registration, cancelled_by: str = CancelledBy.ATTENDEE, reason: str = ""
) -> Registration:
    """Cancel a registration (idempotent). A freed seat goes to the first waitlisted person in
    the same transaction, and so does every freed session seat. Refused once the event is over.
    ``reason`` (an organizer's words) goes into the attendee's email.

    Side effects: an audit entry when an organizer acts; sends ``registration_cancelled``, and
    ``registration_confirmed`` / ``session_seat_confirmed`` for whoever is promoted.
    """
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if event.end <= timezone.now():
            # A freed seat would promote people into an event that has already happened.
            raise RegistrationError("event_over", status_code=409)
        held_seat = registration.status == RegistrationStatus.CONFIRMED
        previous_status = registration.status
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.cancelled_by = cancelled_by
        registration.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
        for choice in registration.session_choices.exclude(status=SessionChoiceStatus.RELEASED):
            _release_choice(choice)
        if held_seat:
            _release_seat(event)
            fill_event_seats(event=event)
        audit.record(event=event, action="registration_cancelled", target=registration,
                     changes={"status": [previous_status, registration.status],
                              **({"reason": [None, reason]} if reason else {})})
        signals.registration_cancelled.send(
            sender=Registration, registration=registration, cancelled_by=cancelled_by,
            reason=reason,
        )
    return registration


def change_sessions(
    *, registration: Registration, session_ids: Sequence[int], join_waitlist: bool = False
) -> list[Conflict]:
    """Replace the personal agenda with ``session_ids``; returns the time conflicts in it.

    Dropped sessions free their seat for the next person waiting; a full added session is
    refused unless ``join_waitlist``.

    Side effects: sends ``sessions_changed`` when the choice changed (and
    ``session_seat_confirmed`` for whoever gets a freed seat).
    """
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationError("registration_cancelled", status_code=409)
        if event.end <= timezone.now():
            raise RegistrationError("event_over", status_code=409)
        current = {
            choice.session_id: choice
            for choice in registration.session_choices.exclude(
                status=SessionChoiceStatus.RELEASED
            )
        }
        sessions = _sessions_of(event, session_ids, already_chosen=frozenset(current))
        wanted = {session.pk for session in sessions}
        for session_id, choice in current.items():
            if session_id not in wanted:
                _release_choice(choice)
        for session in sessions:
            if session.pk not in current:
                _add_choice(registration, session, join_waitlist=join_waitlist)
        if wanted != set(current):
            signals.sessions_changed.send(sender=Registration, registration=registration)
    return find_conflicts(sessions)


def approve_registration(*, registration: Registration) -> Registration:
    """An organizer accepts a pending registration: a seat if one is free, else the waitlist.

    Side effects: ``registration_confirmed``, or ``registration_waitlisted``.
    """
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status != RegistrationStatus.PENDING_APPROVAL:
            raise RegistrationError("not_pending", status_code=409)
        if _take_seat(event):
            _confirm(registration, now=timezone.now())
        else:
            registration.status = RegistrationStatus.WAITLISTED
            registration.save(update_fields=["status", "updated_at"])
            signals.registration_waitlisted.send(sender=Registration, registration=registration)
        audit.record(event=event, action="registration_approved", target=registration,
                     changes={"status": [RegistrationStatus.PENDING_APPROVAL,
                                         registration.status]})
    return registration


def promote_registration(*, registration: Registration) -> Registration:
    """An organizer gives this waitlisted person a seat out of turn, raising the capacity by
    one so nobody confirmed loses theirs.

    Side effects: ``registration_confirmed``, then ``registration_promoted``.
    """
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status != RegistrationStatus.WAITLISTED:
            raise RegistrationError("not_waitlisted", status_code=409)
        if event.capacity is not None and event.seats_taken >= event.capacity:
            Event.objects.filter(pk=event.pk).update(capacity=F("capacity") + 1)
            event.capacity += 1
        if not _take_seat(event):
            raise RegistrationError("no_seat", status_code=409)
        _confirm(registration, now=timezone.now())
        signals.registration_promoted.send(
            sender=Registration, registration=registration, by_organizer=True
        )
        audit.record(event=event, action="registration_promoted", target=registration,
                     changes={"status": [RegistrationStatus.WAITLISTED, registration.status]})
    return registration


# --- Check-in at the door -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckInOutcome:
    """What a check-in did: ``checked_in`` is True when this call checked the person in, and
    False when they already were (``checked_in_at`` and ``checked_in_by`` then say when and
    by whom)."""

    registration: Registration
    checked_in: bool

    @property
    def already_checked_in(self) -> bool:
        return not self.checked_in

    @property
    def checked_in_at(self) -> dt.datetime | None:
        return self.registration.checked_in_at

    @property
    def checked_in_by(self):
        return self.registration.checked_in_by


_CHECK_IN_REFUSALS = {
    RegistrationStatus.PENDING_APPROVAL: "check_in_pending",
    RegistrationStatus.WAITLISTED: "check_in_waitlisted",
    RegistrationStatus.CANCELLED: "check_in_cancelled",
}


def _acting_user(by):
    """Who checks in: ``by`` when given, else whoever the audit log says is acting."""
    if by is not None:
        return by
    actor = audit.current_actor()
    user = actor.user if actor is not None else None
    return user if user is not None and user.is_authenticated else None


def _lock_for_check_in(registration: Registration) -> Registration:
    # No join to the helper: a row another transaction changed while we waited for its lock
    # is read again, but a joined row may still be the one from before (PostgreSQL).
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )


def check_in(
    *, registration: Registration, by=None, now: dt.datetime | None = None
) -> CheckInOutcome:
    """Check a confirmed attendee in, once. Under the registration's row lock, so of two
    helpers scanning the same ticket at the same moment one checks them in and the other is
    told "already checked in" (when, by whom). ``by`` defaults to the acting organizer.

    Refuses (``CheckInRefused``) a registration that is pending approval, waitlisted or
    cancelled. Side effects, on a check-in only: an audit entry (``checked_in``) and
    ``registration_checked_in``.
    """
    by = _acting_user(by)
    with transaction.atomic():
        registration = _lock_for_check_in(registration)
        if registration.status != RegistrationStatus.CONFIRMED:
            raise CheckInRefused(
                _CHECK_IN_REFUSALS.get(registration.status, "not_confirmed"),
                registration=registration,
            )
        if registration.checked_in_at is not None:
            return CheckInOutcome(registration=registration, checked_in=False)
        registration.checked_in_at = now or timezone.now()
        registration.checked_in_by = by
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        audit.record(event=registration.event, action="checked_in", target=registration,
                     changes={"checked_in_at": [None, registration.checked_in_at.isoformat()]})
        signals.registration_checked_in.send(
            sender=Registration, registration=registration, undone=False
        )
    return CheckInOutcome(registration=registration, checked_in=True)


def undo_check_in(*, registration: Registration) -> Registration:
    """Take back a mistaken check-in (nothing to do when the person is not checked in).

    Side effects, when there was a check-in: an audit entry (``check_in_undone``, with when
    and by whom it had been made) and ``registration_checked_in`` with ``undone=True``.
    """
    with transaction.atomic():
        registration = _lock_for_check_in(registration)
        if registration.checked_in_at is None:
            return registration
        was = {
            "checked_in_at": [registration.checked_in_at.isoformat(), None],
            "checked_in_by": [
                registration.checked_in_by.get_username() if registration.checked_in_by else "",
                None,
            ],
        }
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        audit.record(event=registration.event, action="check_in_undone", target=registration,
                     changes=was)
        signals.registration_checked_in.send(
            sender=Registration, registration=registration, undone=True
        )
    return registration


def registration_for_ticket(*, event: Event, code: str) -> Registration:
    """The registration of ``event`` whose ticket carries ``code``; ``CheckInRefused`` with
    ``unknown_ticket`` (wrong, mistyped or revoked) or ``other_event_ticket``."""
    registration = selectors.registration_by_ticket_code(code)
    if registration is None:
        raise CheckInRefused("unknown_ticket", status_code=404)
    if registration.event_id != event.pk:
        raise CheckInRefused("other_event_ticket", event=registration.event.title)
    return registration


def check_in_by_code(
    *, event: Event, code: str, by=None, now: dt.datetime | None = None
) -> CheckInOutcome:
    """Check in the holder of the ticket ``code`` at ``event``: ``registration_for_ticket``,
    then ``check_in``."""
    return check_in(registration=registration_for_ticket(event=event, code=code), by=by,
                    now=now)


def rotate_ticket_code(*, registration: Registration) -> Registration:
    """Revoke the ticket (every printed or sent copy of its code) and issue a new one."""
    registration.ticket_secret = new_secret()
    registration.save(update_fields=["ticket_secret", "updated_at"])
    TicketImage.objects.filter(registration=registration).delete()  # the revoked code's
    return registration


def rotate_feed_token(*, registration: Registration) -> Registration:
    """Revoke the personal feed link and issue a new one."""
    registration.feed_secret = new_secret()
    registration.save(update_fields=["feed_secret", "updated_at"])
    return registration


def erase_personal_data(*, registration: Registration) -> Registration:
    """Anonymize the registration in place (GDPR erasure), keeping it in the counts.

    An upcoming registration is cancelled first, so its seat goes to the next person; both
    links and the ticket stop working.
    """
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.is_active and event.end > timezone.now():
            cancel_registration(registration=registration, cancelled_by=CancelledBy.ERASURE)
            registration.refresh_from_db()
        _anonymize(Registration.objects.filter(pk=registration.pk))
        registration.refresh_from_db()
    return registration


def _anonymize(registrations) -> int:
    now = timezone.now()
    count = 0
    for registration in registrations.filter(erased_at__isnull=True).select_for_update():
        registration.name = ""
        registration.email = f"erased-{registration.public_id.hex}@erased.invalid"
        registration.organization = ""
        registration.timezone = ""
        registration.manage_secret = new_secret()
        registration.feed_secret = new_secret()
        registration.ticket_secret = new_secret()
        registration.unsubscribe_secret = new_secret()
        registration.erased_at = now
        registration.save(
            update_fields=[
                "name", "email", "organization", "timezone", "manage_secret", "feed_secret",
                "ticket_secret", "unsubscribe_secret", "erased_at", "updated_at",
            ]
        )
        # Answers are the attendee's own words (dietary needs, accessibility): they go too,
        # and the picture of the revoked ticket.
        Answer.objects.filter(registration=registration).delete()
        TicketImage.objects.filter(registration=registration).delete()
        # A replayable first response holds the name, email and links: it goes too.
        IdempotencyRecord.objects.filter(response_body__id=str(registration.public_id)).delete()
        signals.registration_erased.send(sender=Registration, registration=registration)
        count += 1
    return count


def anonymize_past_registrations(*, older_than: dt.timedelta) -> int:
    """Erase the personal data of registrations for events that ended ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        return _anonymize(Registration.objects.filter(event__end__lt=cutoff))


def purge_idempotency_records(*, older_than: dt.timedelta) -> int:
    """Forget replayable responses older than ``older_than`` (they hold management links)."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


def set_reminders(*, registration: Registration, enabled: bool) -> Registration:
    """Turn the attendee's reminder emails on or off."""
    if registration.reminders_enabled != enabled:
        registration.reminders_enabled = enabled
        registration.save(update_fields=["reminders_enabled", "updated_at"])
    return registration



FEED_FETCH_KEY = "feed-fetches:{event_id}:{day}"
FEED_FETCH_KEPT = dt.timedelta(days=8)


def count_feed_fetch(*, event_id: int, day: dt.date | None = None) -> None:
    """Add one to today's count of the event's personal feed fetches.

    A bare number per event and day, in the shared cache (no database write on a path that
    calendar clients poll): nothing in it says whose feed it was, or when exactly.
    """
    key = FEED_FETCH_KEY.format(event_id=event_id, day=(day or timezone.localdate()).isoformat())
    if cache.add(key, 1, timeout=FEED_FETCH_KEPT.total_seconds()):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=FEED_FETCH_KEPT.total_seconds())


def feed_fetches(*, event_id: int, days: int, today: dt.date | None = None) -> int:
    """How many times the event's personal feeds were fetched in the last ``days`` days."""
    today = today or timezone.localdate()
    keys = [FEED_FETCH_KEY.format(event_id=event_id, day=(today - dt.timedelta(days=n)))
            for n in range(days)]
    return sum(cache.get_many(keys).values())
# --- Registration questions ---------------------------------------------------------------


def _questions_of(event: Event) -> list[Question]:
    return list(Question.objects.filter(event=event).order_by("position", "pk"))


def _checked_answers(
    questions: Sequence[Question], answers: Mapping[object, object], *, language: str,
    partial: bool,
) -> dict[int, object]:
    """The answers to ``questions`` (an event's), checked; the first refusal is raised."""
    checked = clean_answers(questions=questions, raw=answers, language=language, partial=partial)
    if not checked.ok:
        first = next(iter(checked.errors.items()))
        raise RegistrationError(
            "invalid_answer", first[1], field="answers", question_id=first[0]
        )
    return checked.values


def _save_answers(registration: Registration, values: Mapping[int, object]) -> None:
    for question_id, value in values.items():
        if value is None:
            Answer.objects.filter(registration=registration, question_id=question_id).delete()
        else:
            Answer.objects.update_or_create(
                registration=registration, question_id=question_id, defaults={"value": value}
            )


def change_answers(
    *, registration: Registration, answers: Mapping[object, object], partial: bool = False
) -> Registration:
    """Replace the registration's answers to its event's questions (``partial``: only those
    given; the others keep theirs). Refused once the registration is cancelled or erased, or
    the event is over."""
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status == RegistrationStatus.CANCELLED or registration.erased_at:
            raise RegistrationError("registration_cancelled", status_code=409)
        if event.end <= timezone.now():
            raise RegistrationError("event_over", status_code=409)
        values = _checked_answers(
            _questions_of(event), answers, language=registration.language, partial=partial
        )
        _save_answers(registration, values)
    return registration


def update_registration(
    *,
    registration: Registration,
    session_ids: Sequence[int] | None = None,
    answers: Mapping[object, object] | None = None,
    join_waitlist: bool = False,
) -> list[Conflict]:
    """Change the answers it names and/or replace the sessions, all or nothing; returns the
    time conflicts among the sessions (``change_answers``, ``change_sessions``)."""
    with transaction.atomic():
        if answers is not None:
            change_answers(registration=registration, answers=answers, partial=True)
        if session_ids is not None:
            return change_sessions(
                registration=registration, session_ids=session_ids, join_waitlist=join_waitlist
            )
        chosen = Session.objects.filter(
            choices__registration=registration,
            choices__status__in=(SessionChoiceStatus.CONFIRMED, SessionChoiceStatus.WAITLISTED,
                                 SessionChoiceStatus.REQUESTED),
        )
        return find_conflicts(list(chosen))


def save_question(*, question: Question) -> Question:
    """Add or change a registration question of an event, checked by ``Question.clean``.
    Answers already given stay; an option whose value is gone shows as that value."""
    question.full_clean()
    with transaction.atomic():
        question.save()
    return question


def delete_question(*, question: Question) -> None:
    """Remove a question, and every answer given to it."""
    with transaction.atomic():
        question.delete()
