"""The attendee forms: they check the shape of what was typed; the rules are the services'."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from agenda.errors import DomainError
from agenda.models import Session
from agenda.validators import available_timezones
from registrations.answers import MAX_LONG_TEXT, MAX_SHORT_TEXT, clean_answers
from registrations.enums import QuestionKind
from registrations.errors import RegistrationError
from registrations.models import Answer, Question

# Session ids as the API takes them (``registrations.api.serializers``).
MAX_SESSIONS = 100

# Where a page says it differently from the API (which speaks of request fields).
PAGE_MESSAGES = {
    "session_full": _(
        "The session “%(title)s” has just filled up. Choose another session."
    ),
}


def page_message(error: DomainError) -> str:
    """The attendee-facing message of a refusal, in the words of the pages."""
    template = PAGE_MESSAGES.get(error.code)
    if template is None:
        return error.message
    return str(template) % error.params


class SessionsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(coerce=int, required=False, **kwargs)

    def clean(self, value):
        if value and len(value) > MAX_SESSIONS:
            raise forms.ValidationError(
                _("Choose at most %(count)d sessions."), params={"count": MAX_SESSIONS}
            )
        return super().clean(value)


YES, NO = "yes", "no"


def question_field(question: Question, language: str) -> forms.Field:
    """The form field asking ``question``; ``QuestionsMixin`` checks the answer."""
    label = question.text(language)
    if not question.required:
        label = gettext("%(question)s (optional)") % {"question": label}
    common = {"label": label, "required": False, "help_text": question.help(language)}
    if question.kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=MAX_SHORT_TEXT, **common)
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=MAX_LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if question.kind == QuestionKind.ONE_CHOICE:
        return forms.ChoiceField(
            choices=question.option_labels(language), widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return forms.MultipleChoiceField(
            choices=question.option_labels(language), widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.ChoiceField(
        choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
    )


class QuestionsMixin:
    """Adds a field per registration question (``question_<id>``) and checks the answers
    with ``registrations.answers.clean_answers``, the services' own rule; the clean answers
    are ``cleaned_data["answers"]``."""

    def add_questions(self, questions: Iterable[Question]) -> None:
        self.questions = list(questions)
        self.language = get_language() or "en"
        for question in self.questions:
            self.fields[self.question_field_name(question)] = question_field(
                question, self.language
            )

    @staticmethod
    def question_field_name(question: Question) -> str:
        return f"question_{question.pk}"

    @property
    def question_fields(self) -> list:
        return [self[self.question_field_name(question)] for question in self.questions]

    def _raw_answers(self) -> dict[int, object]:
        raw: dict[int, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.question_field_name(question))
            if question.kind == QuestionKind.YES_NO:
                value = {YES: True, NO: False}.get(value)
            elif question.kind == QuestionKind.SEVERAL_CHOICES:
                value = list(value or [])
            raw[question.pk] = value
        return raw

    def clean_questions(self) -> None:
        raw = self._raw_answers()
        checked = clean_answers(questions=self.questions, raw=raw, language=self.language)
        for question in self.questions:
            message = checked.errors.get(question.pk)
            name = self.question_field_name(question)
            if message and name not in self.errors:
                self.add_error(name, message)
        self.cleaned_data["answers"] = raw


def initial_answers(answers: Iterable[Answer]) -> dict[str, object]:
    """The question fields' initial values, from the answers given."""
    initial: dict[str, object] = {}
    for answer in answers:
        value = answer.value
        if answer.question.kind == QuestionKind.YES_NO:
            value = YES if value else NO
        initial[QuestionsMixin.question_field_name(answer.question)] = value
    return initial


class AnswersForm(QuestionsMixin, forms.Form):
    """Change one's answers to the event's questions (``services.change_answers``)."""

    def __init__(self, *args, questions: Iterable[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_questions(questions)

    def clean(self):
        cleaned = super().clean()
        self.clean_questions()
        return cleaned


class RegistrationForm(QuestionsMixin, forms.Form):
    """Register for an event: ``registrations.services.register`` decides the outcome."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send your confirmation and the link to manage your registration here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organization = forms.CharField(
        label=_("Organization (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sessions = SessionsField(label=_("Sessions"))
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my registration is stored."),
        # The message the service would give: one wording for the API and the page.
        error_messages={"required": RegistrationError.messages["consent_required"]},
    )

    # Filled in by the browser (pages/static/pages/local-time.js), so emails can give times
    # in the attendee's own zone as well.
    timezone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, sessions: Iterable[Session], questions: Iterable[Question] = (),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(session.pk, session.title) for session in sessions]
        # The questions come before the consent, as the page shows them.
        consent = self.fields.pop("consent")
        self.add_questions(questions)
        self.fields["consent"] = consent

    def clean(self):
        cleaned = super().clean()
        self.clean_questions()
        return cleaned

    def clean_timezone(self) -> str:
        # A zone this server does not know (newer than its tzdata) costs the attendee
        # nothing: their emails give the event's zone only.
        value = self.cleaned_data["timezone"]
        return value if value in available_timezones() else ""

    def checked_sessions(self) -> list[int]:
        """The session ids ticked in the submitted data (valid or not), to tick them again."""
        if not self.is_bound:
            return []
        checked = []
        for value in self.data.getlist(self.add_prefix("sessions")):
            try:
                checked.append(int(value))
            except (TypeError, ValueError):
                continue
        return checked

    def add_refusal(self, error: RegistrationError) -> None:
        """Show a refusal of the registration rules next to its field, or above the form."""
        field = error.field if error.field in self.fields else None
        if error.code == "invalid_answer" and error.params.get("question_id"):
            name = f"question_{error.params['question_id']}"
            field = name if name in self.fields else None
        self.add_error(field, page_message(error))


class SessionChoicesForm(forms.Form):
    """Replace the personal agenda (``registrations.services.change_sessions``)."""

    sessions = SessionsField(label=_("Your sessions"))

    def __init__(self, *args, sessions: Iterable[Session], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(session.pk, session.title) for session in sessions]

    def add_refusal(self, error: RegistrationError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, page_message(error))


class RemindersForm(forms.Form):
    enabled = forms.TypedChoiceField(
        choices=[("on", _("On")), ("off", _("Off"))], coerce=lambda value: value == "on"
    )


class SessionActionForm(forms.Form):
    """Add one session to the personal agenda, or drop it, from the session's page."""

    action = forms.ChoiceField(choices=[("add", _("Add")), ("remove", _("Remove"))])
    join_waitlist = forms.BooleanField(required=False)
