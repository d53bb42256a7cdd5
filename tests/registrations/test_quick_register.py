"""The registration POST's quick path (``registrations.api.quick``) against DRF's, the plain
path it stands beside: it accepts only what the serializer accepts, reads it the same way,
answers the same, counts the request against the rate limit once, and leaves everything else
to DRF's path."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agenda.models import MAX_ID
from registrations.api import quick
from registrations.api.serializers import RegistrationInputSerializer
from registrations.models import Registration
from tests.factories import EventFactory, QuestionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return f"/api/v1/events/{event.slug}/registrations/"


def serializer_reading(data, questions=()):
    form = RegistrationInputSerializer(data=data,
                                       context={"questions": list(questions), "language": "en"})
    return dict(form.validated_data) if form.is_valid() else None


# --- plain_input never accepts what the serializer refuses, nor reads it otherwise --------------

TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["Amina Diallo", " Amina", "Amina ", "   ", "", "a\x00b", "\ud800", "é" * 201,
                     "Zoë\u00a0Ng", "a" * 200, "a" * 254]),
)
EMAIL = st.one_of(
    TEXT,
    st.sampled_from(["amina@example.org", " amina@example.org", "AMINA@Example.ORG",
                     "amina@exämple.org", "amina@", "@example.org", "a@b", "amina@localhost",
                     "x" * 250 + "@e.org"]),
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=6,
)
FIELDS = {
    "name": TEXT,
    "email": EMAIL,
    "consent": st.one_of(st.just(True), ANY_JSON),
    "organization": st.one_of(TEXT, ANY_JSON),
    "sessions": st.one_of(
        st.lists(st.integers(min_value=-2, max_value=MAX_ID + 1), max_size=4),
        st.lists(st.integers(min_value=1, max_value=5), min_size=99, max_size=101),
        ANY_JSON,
    ),
    "join_waitlist": st.one_of(st.booleans(), ANY_JSON),
    "timezone": st.one_of(st.sampled_from(["", "Europe/Brussels", "UTC", "Mars/Olympus",
                                           " UTC", "utc"]), TEXT),
    "answers": st.one_of(
        st.dictionaries(st.sampled_from(["1", "2", "x", "999"]),
                        st.one_of(st.sampled_from(["vegan", "yes", "", "Lyon"]), ANY_JSON),
                        max_size=2),
        ANY_JSON,
    ),
    "unknown": ANY_JSON,
}
# Values attendees send, so that most bodies drawn are valid but one field, or none.
LIKELY = {
    "name": st.sampled_from(["Amina Diallo", "Zoë Ng", "李小龍", "O'Brien-Smith", "A"]),
    "email": st.sampled_from(["amina@example.org", "Zoe.Ng+events@Example.ORG",
                              "amina@exämple.org", "x@sub.example.co.uk"]),
    "consent": st.just(True),
    "organization": st.sampled_from(["", "ACME", "Ville de Liège"]),
    "sessions": st.lists(st.integers(min_value=1, max_value=MAX_ID), max_size=3),
    "join_waitlist": st.booleans(),
    "timezone": st.sampled_from(["", "Europe/Brussels", "America/New_York", "UTC"]),
    "answers": st.just({}),
    "unknown": ANY_JSON,
}


def _likely_or_any(name):
    """Nine times in ten a likely value, else anything."""
    return st.integers(0, 9).flatmap(lambda n: FIELDS[name] if n == 0 else LIKELY[name])


NEAR_VALID = st.fixed_dictionaries(
    {name: _likely_or_any(name) for name in ("name", "email", "consent")},
    optional={name: _likely_or_any(name) for name in FIELDS
              if name not in ("name", "email", "consent")},
)
BODIES = st.integers(0, 3).flatmap(lambda n: NEAR_VALID if n else st.one_of(
    st.fixed_dictionaries(
        {"name": FIELDS["name"], "email": FIELDS["email"], "consent": FIELDS["consent"]},
        optional={name: strategy for name, strategy in FIELDS.items()
                  if name not in ("name", "email", "consent")},
    ),
    ANY_JSON,
))


@pytest.fixture(scope="module")
def question_sets(django_db_setup, django_db_blocker):
    """No questions, and an event asking a required short text and a one-choice question."""
    with django_db_blocker.unblock():
        event = EventFactory(slug="quick-questions")
        asked = [QuestionFactory(event=event, required=True, position=1),
                 QuestionFactory(event=event, kind="one_choice", position=2)]
        yield [[], asked]
        event.delete()


@hypothesis_settings(max_examples=400, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=BODIES, with_questions=st.booleans())
@example(data={"name": "Amina Diallo", "email": "amina@example.org", "consent": True},
         with_questions=False)
def test_plain_input_is_the_serializers_reading_or_nothing(question_sets, data, with_questions):
    questions = question_sets[with_questions]
    if with_questions and isinstance(data, dict) and isinstance(data.get("answers"), dict):
        # Now and then, answers keyed by the real questions' ids.
        data = {**data, "answers": {str(questions[0].pk): "Lyon", **data["answers"]}}

    quick_reading = quick.plain_input(data, questions=questions, language="en")

    if quick_reading is not None:
        assert serializer_reading(data, questions) == quick_reading


@pytest.mark.parametrize("body", [
    {"name": "Amina Diallo", "email": "amina@example.org", "consent": True},
    {"name": "Zoë Ng", "email": "zoe@exämple.org", "consent": True, "organization": "ACME",
     "sessions": [], "join_waitlist": True, "timezone": "America/New_York", "answers": {}},
    {"name": "Amina", "email": "amina@example.org", "consent": True, "organization": "",
     "timezone": "", "ignored": [1, {"a": None}]},
])
def test_plain_input_reads_what_attendees_send(body):
    quick_reading = quick.plain_input(body, questions=[], language="en")

    assert quick_reading is not None
    assert quick_reading == serializer_reading(body)


def test_plain_input_leaves_answers_to_judge_to_the_serializer():
    event = EventFactory()
    question = QuestionFactory(event=event, required=True)
    body = {"name": "Amina", "email": "amina@example.org", "consent": True}

    assert quick.plain_input(body, questions=[question], language="en") is None
    answered = {**body, "answers": {str(question.pk): "Lyon"}}
    assert quick.plain_input(answered, questions=[question], language="en") == \
        serializer_reading(answered, [question])


# --- Both paths give the same responses --------------------------------------------------------

_VOLATILE = re.compile(r"[A-Za-z0-9_-]{20,}|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)")


def _comparable(response, event) -> tuple:
    body = response.content.decode()
    # The events differ by what makes them two; tokens, ids and creation times differ from one
    # registration to the next; the rest not.
    for own in (event.online_url, event.title, event.slug):
        body = body.replace(json.dumps(own)[1:-1], "<event>") if own else body
    body = _VOLATILE.sub("…", body)
    body = re.sub(r'"(id|question)":\d+', r'"\1":…', body)
    headers = {name: response.headers.get(name) for name in
               ("Content-Type", "Allow", "Vary", "Content-Language", "Cache-Control")}
    return response.status_code, headers, body


def _plain_path_only(monkeypatch):
    monkeypatch.setattr(quick, "respond", lambda *args, **kwargs: None)


def _register_twice(api_client, monkeypatch, make_event, body):
    """The same request to two like events, by the quick path and then by DRF's alone:
    what each answered, comparable."""
    answers = []
    for plain_only in (False, True):
        if plain_only:
            _plain_path_only(monkeypatch)
        event = make_event()
        response = api_client.post(url(event), json.dumps(body),
                                   content_type="application/json")
        answers.append((response.status_code, _comparable(response, event)))
    return answers


@pytest.mark.parametrize("capacity", [10, 0])
@pytest.mark.parametrize("body", [
    {"name": "Amina Diallo", "email": "amina@example.org", "consent": True},
    {"name": "Zoë Ng", "email": "zoe@exämple.org", "consent": True, "organization": "ACME",
     "join_waitlist": True, "timezone": "America/New_York"},
    {"name": "Amina", "email": "amina@example.org", "consent": True, "sessions": "chosen"},
    {"name": " Amina ", "email": " amina@example.org ", "consent": True},
    {"name": "Amina", "email": "amina@example.org", "consent": False},
    ["not", "an", "object"],
])
def test_both_paths_answer_alike(api_client, monkeypatch, body, capacity):
    quick_answer, plain_answer = _register_twice(
        api_client, monkeypatch, lambda: EventFactory(capacity=capacity, timezone="Asia/Kolkata"),
        body)

    assert quick_answer == plain_answer


def test_both_paths_answer_alike_with_sessions_and_answers(api_client, monkeypatch):
    def make_event():
        event = EventFactory(capacity=5)
        SessionFactory(event=event, title="Opening")
        QuestionFactory(event=event, required=True, text_en="City?")
        return event

    answers = []
    for plain_only in (False, True):
        if plain_only:
            _plain_path_only(monkeypatch)
        event = make_event()
        body = {"name": "Amina", "email": "amina@example.org", "consent": True,
                "sessions": [event.sessions.get().pk],
                "answers": {str(event.questions.get().pk): "Lyon"}}
        response = api_client.post(url(event), body, format="json")
        answers.append(_comparable(response, event))

    assert answers[0][0] == 201
    assert answers[0] == answers[1]


@pytest.mark.parametrize("fields", [
    {"status": "cancelled"},
    {"registration_opens_at": dt.datetime(2099, 1, 5, 9, 0, tzinfo=dt.UTC)},
])
def test_both_paths_word_a_refusal_of_the_rules_alike(api_client, monkeypatch, fields):
    # Refused by services.register, once the quick path has taken the request.
    body = {"name": "Amina", "email": "amina@example.org", "consent": True}

    quick_answer, plain_answer = _register_twice(api_client, monkeypatch,
                                                 lambda: EventFactory(**fields), body)

    assert quick_answer[0] == 409
    assert quick_answer == plain_answer


def test_both_paths_refuse_an_address_already_registered_alike(api_client, monkeypatch):
    body = {"name": "Amina", "email": "amina@example.org", "consent": True}

    def make_registered_event():
        event = EventFactory()
        assert api_client.post(url(event), body, format="json").status_code == 201
        return event

    quick_answer, plain_answer = _register_twice(api_client, monkeypatch,
                                                 make_registered_event, body)

    assert quick_answer[0] == 409
    assert quick_answer == plain_answer


# --- What the quick path answers, and what it leaves to DRF's -----------------------------------


@pytest.fixture
def serializer_calls(monkeypatch):
    """How many times DRF's path validated a registration body."""
    calls = []
    is_valid = RegistrationInputSerializer.is_valid

    def counting(self, *args, **kwargs):
        calls.append(self.initial_data)
        return is_valid(self, *args, **kwargs)

    monkeypatch.setattr(RegistrationInputSerializer, "is_valid", counting)
    return calls


def test_a_plain_registration_never_reaches_drf(api_client, serializer_calls):
    event = EventFactory()

    response = api_client.post(url(event), {"name": "Amina", "email": "amina@example.org",
                                            "consent": True}, format="json")

    assert response.status_code == 201
    assert serializer_calls == []
    assert Registration.objects.get().email == "amina@example.org"


@pytest.mark.parametrize("headers", [
    {"HTTP_IDEMPOTENCY_KEY": "retry-1"},
    {"HTTP_ACCEPT": "text/html"},
    {"HTTP_ACCEPT": "application/json; q=0.9"},
])
def test_idempotency_keys_and_other_renderers_go_to_drf(api_client, serializer_calls, headers):
    event = EventFactory()

    response = api_client.post(url(event), json.dumps({"name": "Amina",
                               "email": "amina@example.org", "consent": True}),
                               content_type="application/json", **headers)

    assert response.status_code == 201
    assert len(serializer_calls) == 1


def test_an_idempotent_retry_still_answers_the_first_response(api_client):
    event = EventFactory()
    body = json.dumps({"name": "Amina", "email": "amina@example.org", "consent": True})

    first, again = (api_client.post(url(event), body, content_type="application/json",
                                    HTTP_IDEMPOTENCY_KEY="k-1") for _ in range(2))

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Registration.objects.count() == 1


def test_a_form_post_is_still_refused_as_drf_refuses_it(api_client):
    event = EventFactory()

    response = api_client.post(url(event), "name=Amina", content_type="text/plain")

    assert response.status_code == 415


@pytest.fixture
def rate_limit(settings):
    cache.clear()

    def limit(rate: str) -> None:
        settings.REGISTRATION_RATE_LIMIT = rate

    yield limit
    cache.clear()


def test_each_request_counts_once_against_the_rate_limit(api_client, rate_limit):
    rate_limit("3/m")
    event = EventFactory()
    plain = {"name": "Amina", "consent": True}

    statuses = [
        api_client.post(url(event), {**plain, "email": "bad"}, format="json").status_code,
        api_client.post(url(event), {**plain, "email": "a@example.org"}, format="json")
        .status_code,
        api_client.post(url(event), {**plain, "email": "b@example.org"}, format="json")
        .status_code,
        api_client.post(url(event), {**plain, "email": "c@example.org"}, format="json")
        .status_code,
    ]

    assert statuses == [400, 201, 201, 429]


def test_a_refusal_after_the_quick_path_counted_is_not_counted_again(api_client, rate_limit):
    rate_limit("2/m")
    closed = EventFactory(status="cancelled")
    body = {"name": "Amina", "email": "amina@example.org", "consent": True}

    first, second = (api_client.post(url(closed), body, format="json") for _ in range(2))
    third = api_client.post(url(closed), body, format="json")

    assert (first.status_code, second.status_code) == (409, 409)
    assert first.json()["code"] == "event_cancelled"
    assert third.status_code == 429
    assert "Retry-After" in third.headers
