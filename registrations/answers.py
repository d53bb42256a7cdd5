"""Answers to an event's registration questions: checked against each question, and shown.

Pure: these take questions and raw answers and touch no database. The registration form, the
API and the services all check answers through ``clean_answers``, so a rule is written once;
the services call it again inside their transaction, as the authority.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext

from agenda.filters import record_id

from .enums import QuestionKind
from .models import Question

MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 2000
MAX_ANSWERS = 100  # more keys than any event asks questions: refused before looking


@dataclass
class CheckedAnswers:
    """Answers by question id (None: not answered), and a message per refused answer
    (key None: a problem with the answers as a whole, such as an unknown question)."""

    values: dict[int, object] = field(default_factory=dict)
    errors: dict[int | None, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _question_id(key: object) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str):
        # ASCII digits only: "²" and "٥" are digits to str.isdigit() but not to int().
        return record_id(key)
    return None


def _check(question: Question, raw: object, language: str) -> tuple[object, str]:
    """The clean answer to ``question`` (None: unanswered) and the reason it is refused."""
    text = question.text(language)
    kind = question.kind
    value: object = None
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        if raw is not None and not isinstance(raw, str):
            return None, gettext("Answer “%(question)s” with text.") % {"question": text}
        value = (raw or "").strip() or None
        limit = MAX_SHORT_TEXT if kind == QuestionKind.SHORT_TEXT else MAX_LONG_TEXT
        if value and len(value) > limit:
            return None, gettext(
                "Your answer to “%(question)s” is too long: %(limit)d characters at most."
            ) % {"question": text, "limit": limit}
    elif kind == QuestionKind.ONE_CHOICE:
        offered = {value for value, _label in question.option_labels(language)}
        if raw not in (None, "") and (not isinstance(raw, str) or raw not in offered):
            return None, gettext(
                "Choose one of the answers offered to “%(question)s”."
            ) % {"question": text}
        value = raw or None
    elif kind == QuestionKind.SEVERAL_CHOICES:
        offered = [value for value, _label in question.option_labels(language)]
        if raw is None:
            raw = []
        if not isinstance(raw, list) or any(
            not isinstance(item, str) or item not in offered for item in raw
        ):
            return None, gettext(
                "Choose among the answers offered to “%(question)s”."
            ) % {"question": text}
        value = [item for item in offered if item in raw] or None  # the question's order
    elif kind == QuestionKind.YES_NO:
        if raw is not None and not isinstance(raw, bool):
            return None, gettext("Answer “%(question)s” with yes or no.") % {"question": text}
        value = raw
    if value is None and question.required:
        return None, gettext("Please answer “%(question)s”.") % {"question": text}
    return value, ""


def clean_answers(
    *, questions: Iterable[Question], raw: Mapping[object, object], language: str = "en",
    partial: bool = False,
) -> CheckedAnswers:
    """Check ``raw`` (question id, as a number or a string, to a raw answer) against the
    event's ``questions``. ``partial``: questions left out keep their current answer and
    need none now (a required one already answered)."""
    questions = list(questions)
    checked = CheckedAnswers()
    if len(raw) > MAX_ANSWERS:
        checked.errors[None] = gettext("Too many answers: this event asks %(count)d questions.") % {
            "count": len(questions)
        }
        return checked
    by_id = {question.pk: question for question in questions}
    given: dict[int, object] = {}
    unknown = []
    for key, value in raw.items():
        question_id = _question_id(key)
        if question_id is None or question_id not in by_id:
            unknown.append(str(key))
        else:
            given[question_id] = value
    if unknown:
        checked.errors[None] = gettext(
            "This event asks no question with the id %(ids)s."
        ) % {"ids": ", ".join(sorted(unknown))}
    for question in questions:
        if partial and question.pk not in given:
            continue
        value, error = _check(question, given.get(question.pk), language)
        if error:
            checked.errors[question.pk] = error
        else:
            checked.values[question.pk] = value
    return checked


def display_value(question: Question, value: object, language: str = "en") -> str:
    """An answer as a person reads it: the text, the chosen options' labels, yes or no."""
    if value is None:
        return ""
    if question.kind == QuestionKind.YES_NO:
        return gettext("Yes") if value else gettext("No")
    if question.is_choice:
        labels = dict(question.option_labels(language))
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(item, item) for item in chosen)
    return str(value)
