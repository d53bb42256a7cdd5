"""Reads of registrations. Capability tokens are checked here, in constant time."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from agenda.composed import ComposedQuery
from agenda.enums import EventStatus
from agenda.models import Event
from agenda.selectors import PUBLIC_STATUSES

from .addresses import same_address
from .answers import display_value
from .enums import RegistrationStatus, SessionChoiceStatus
from .models import Answer, Question, Registration, SessionChoice
from .tokens import UNKNOWN_SECRET, secrets_match, split_token


def registration_by_manage_token(token: str) -> Registration | None:
    return _by_token(token, column="manage_secret")


def registration_by_feed_token(token: str) -> Registration | None:
    return _by_token(token, column="feed_secret")


def registration_by_ticket_code(code: str) -> Registration | None:
    """The registration whose ticket carries ``code`` (any event), or None."""
    return _by_token(code.strip(), column="ticket_secret")


def registration_by_unsubscribe_token(token: str) -> Registration | None:
    return _by_token(token, column="unsubscribe_secret")


def _by_token(token: str, *, column: str) -> Registration | None:
    """The registration ``token`` opens, with its details (``registration_with_details``).

    The same work whether the token's id is known or not: one query for the row, one
    constant-time comparison (against a stand-in secret when no row has that id), one query
    for the chosen sessions; so the answer's timing tells nothing about which ids exist.
    """
    parts = split_token(token)
    if parts is None:
        return None
    public_id, secret = parts
    registration = Registration.objects.select_related("event").filter(public_id=public_id).first()
    stored = getattr(registration, column) if registration is not None else UNKNOWN_SECRET
    matched = secrets_match(secret, stored) and registration is not None
    choices = list(
        _detailed_choices().filter(registration_id=registration.pk if matched else None)
    )
    if not matched:
        return None
    registration.active_choices = choices
    return registration


def active_choices() -> QuerySet[SessionChoice]:
    """Choices that hold or wait for a seat (a released one is history)."""
    return SessionChoice.objects.exclude(status=SessionChoiceStatus.RELEASED)


def _detailed_choices() -> QuerySet[SessionChoice]:
    return active_choices().select_related(
        "session", "session__room", "session__track"
    ).order_by("session__start", "pk")


def registration_with_details() -> QuerySet[Registration]:
    return Registration.objects.select_related("event").prefetch_related(
        Prefetch("session_choices", queryset=_detailed_choices(), to_attr="active_choices")
    )


def attach_details(
    registration: Registration, *, choices: list[SessionChoice], answers: list[Answer]
) -> Registration:
    """Give a registration just written the details ``registration_with_answers`` would read
    back (its active choices, each with its session, room and track; its answers, each with
    its question), from the rows this process wrote: no query. ``choices`` in session start
    order, ``answers`` in question order, as the selector orders them."""
    registration.active_choices = [
        choice for choice in choices if choice.status != SessionChoiceStatus.RELEASED
    ]
    answers_of_registration = registration.answers.all()
    answers_of_registration._result_cache = list(answers)
    answers_of_registration._prefetch_done = True
    registration._prefetched_objects_cache = {"answers": answers_of_registration}
    return registration


def public_event_by_slug(slug: str) -> QuerySet[Event]:
    """The public event behind ``slug`` (slugs are unique: one row at most), with
    ``has_questions``: whether its registration asks any (most ask none, and then
    ``questions_of`` need not ask the database)."""
    return Event.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).annotate(
        has_questions=Exists(Question.objects.filter(event_id=OuterRef("pk")))
    ).order_by()[:1]


# The reads of every registration are composed once (agenda.composed) and checked against
# their plain querysets by tests/registrations/test_composed_reads.py.
_OPEN_EVENT = ComposedQuery(public_event_by_slug, slug="composed-slug-placeholder")


def event_open_for_registration(slug: str) -> Event | None:
    """The public event behind ``slug`` (cancelled ones too, to say why it is closed)."""
    return _OPEN_EVENT.first(slug=slug)


def registrations_of(event: Event) -> QuerySet[Registration]:
    return registration_with_details().filter(event=event).order_by("pk")


def join_url(registration: Registration) -> str:
    """The event's online join link as this attendee may see it: only once confirmed, only
    for an online or hybrid event that still takes place; otherwise empty."""
    event = registration.event
    if (
        registration.status == RegistrationStatus.CONFIRMED
        and event.is_online
        and event.status != EventStatus.CANCELLED
    ):
        return event.online_url
    return ""


def attendee_list(event: Event) -> QuerySet[Registration]:
    """An event's registrations for its organizers' list, newest first, each with its active
    choices and their sessions (two queries for a page of them)."""
    choices = active_choices().select_related("session").order_by("session__start", "pk")
    return (
        Registration.objects.filter(event=event)
        .select_related("event")
        .prefetch_related(Prefetch("session_choices", queryset=choices,
                                   to_attr="active_choices"))
        .order_by("-created_at", "-pk")
    )


def registrations_for_organizers(event: Event) -> QuerySet[Registration]:
    """An event's registrations as its organizers list them, with their session choices."""
    return registration_with_details().filter(event=event).order_by("pk")
@dataclass(frozen=True)
class CheckInCounts:
    confirmed: int
    checked_in: int

    @property
    def still_expected(self) -> int:
        return self.confirmed - self.checked_in


def check_in_counts(event: Event) -> CheckInCounts:
    """How many confirmed attendees ``event`` has, and how many of them are checked in: one
    query."""
    counts = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).aggregate(
        confirmed=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return CheckInCounts(confirmed=counts["confirmed"], checked_in=counts["checked_in"])


def check_in_candidates(event: Event, query: str, *, limit: int = 20) -> list[Registration]:
    """Registrations of ``event`` (cancelled ones too, to say so) whose name or email contains
    ``query``: the scan page's fallback for a ticket left at home. Alphabetical."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        registration_with_details()
        .filter(event=event, erased_at__isnull=True)
        .filter(Q(name__icontains=query) | Q(email__icontains=query))
        .select_related("checked_in_by")
        .order_by(Lower("name"), "pk")[:limit]
    )


def check_in_list(event: Event) -> list[Registration]:
    """The confirmed attendees of ``event``, alphabetical, with their sessions: the printed
    list at the door."""
    return list(
        registration_with_details()
        .filter(event=event, status=RegistrationStatus.CONFIRMED, erased_at__isnull=True)
        .order_by(Lower("name"), Lower("email"), "pk")
    )
# --- Registration questions ---------------------------------------------------------------


def live_registrations(event_id: int, email: str) -> QuerySet[Registration]:
    """The live (not cancelled) registration of ``email`` (normalized) for the event: one at
    most, by the unique index."""
    return (
        Registration.objects.filter(same_address(email), event_id=event_id)
        .exclude(status=RegistrationStatus.CANCELLED)
        .order_by("pk")[:1]
    )


_LIVE_REGISTRATION = ComposedQuery(
    live_registrations, event_id=-987_654_321, email="composed-placeholder@example.invalid"
)


def live_registration(event: Event, email: str) -> Registration | None:
    """The live registration of ``email`` (normalized) for ``event``, if any."""
    return _LIVE_REGISTRATION.first(event_id=event.pk, email=email)


def questions_of_event(event_id: int) -> QuerySet[Question]:
    return Question.objects.filter(event_id=event_id).order_by("position", "pk")


_QUESTIONS = ComposedQuery(questions_of_event, event_id=-987_654_321)


def questions_of(event: Event) -> list[Question]:
    """The event's registration questions in the order the form asks them (none, without a
    query, for an event read by ``event_open_for_registration`` that has none)."""
    if getattr(event, "has_questions", True) is False:
        return []
    return _QUESTIONS.instances(event_id=event.pk)


def answers_of(registration: Registration) -> list[Answer]:
    """The registration's answers, in question order, each with its question."""
    return list(
        Answer.objects.filter(registration=registration)
        .select_related("question")
        .order_by("question__position", "question_id")
    )


def registration_with_answers() -> QuerySet[Registration]:
    """``registration_with_details`` with the answers, each with its question (the attendee's
    API view and data download show them)."""
    return registration_with_details().prefetch_related(
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question").order_by(
                "question__position", "question_id"
            ),
        )
    )


@dataclass(frozen=True)
class ExportColumns:
    """The question columns of an attendee export: ``headers``, and ``row(registration)``
    giving that registration's answers under them (empty where it gave none, or where the
    question is another event's)."""

    headers: list[str]
    row: Callable[[Registration], list[str]]


def export_questions(registrations: QuerySet[Registration]) -> tuple[list[Question], list[str]]:
    """The questions of ``registrations``' events, in order, and their column headers: the
    English text (prefixed by the event's slug when they span several events). One query."""
    questions = list(
        Question.objects.filter(event__in=registrations.values("event"))
        .select_related("event")
        .order_by("event__start", "event_id", "position", "pk")
    )
    several_events = len({question.event_id for question in questions}) > 1
    headers = [
        f"{question.event.slug}: {question.text_en}" if several_events else question.text_en
        for question in questions
    ]
    return questions, headers


def export_answers(registration_ids, questions: list[Question]) -> dict[tuple[int, int], object]:
    """``(registration id, question id) -> value`` for ``registration_ids`` (a list or a
    queryset of ids): one query."""
    if not questions:
        return {}
    return {
        (registration_id, question_id): value
        for registration_id, question_id, value in Answer.objects.filter(
            registration__in=registration_ids, question__in=[q.pk for q in questions]
        ).values_list("registration_id", "question_id", "value")
    }


def answer_row(registration: Registration, questions: list[Question],
               answers: dict[tuple[int, int], object]) -> list[str]:
    """The answers of ``registration``, one per question, as a person reads them."""
    return [display_value(question, answers.get((registration.pk, question.pk)), "en")
            for question in questions]


def answer_export_columns(registrations: QuerySet[Registration]) -> ExportColumns:
    """Question columns for exporting ``registrations`` (two queries, whatever their number):
    one column per question of their events, headed by its English text (prefixed by the
    event's slug when they span several events); answers as a person reads them."""
    questions, headers = export_questions(registrations)
    answers = export_answers(registrations.values("pk"), questions)

    def row(registration: Registration) -> list[str]:
        return answer_row(registration, questions, answers)

    return ExportColumns(headers=headers, row=row)
