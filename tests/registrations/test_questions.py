"""Registration questions: each kind's answers checked with a message naming the question,
in the services, the registration API and the manage API; shown in the data download and the
export; erased with the registration and by the retention command."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from registrations import selectors, services
from registrations.answers import clean_answers, display_value
from registrations.errors import RegistrationError
from registrations.models import Answer, Question, Registration
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(slug="forum")


@pytest.fixture
def questions(event):
    return {
        "job": QuestionFactory(event=event, kind="short_text", text_en="Job title",
                               text_fr="Fonction", required=True, position=1),
        "access": QuestionFactory(event=event, kind="long_text", text_en="Accessibility needs",
                                  position=2),
        "diet": QuestionFactory(event=event, kind="one_choice", text_en="Diet",
                                text_fr="Régime", position=3),
        "topics": QuestionFactory(event=event, kind="several_choices", text_en="Meals",
                                  position=4),
        "photo": QuestionFactory(event=event, kind="yes_no", text_en="Photos allowed?",
                                 required=True, position=5),
    }


def answers(questions, **overrides):
    given = {"job": "Buyer", "photo": False}
    given.update(overrides)
    return {questions[name].pk: value for name, value in given.items()}


# --- The rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("job", "", "Please answer “Job title”."),
        ("job", 12, "Answer “Job title” with text."),
        ("job", "x" * 201, "Your answer to “Job title” is too long: 200 characters at most."),
        ("access", "x" * 2001,
         "Your answer to “Accessibility needs” is too long: 2000 characters at most."),
        ("diet", "carnivore", "Choose one of the answers offered to “Diet”."),
        ("diet", ["vegan"], "Choose one of the answers offered to “Diet”."),
        ("topics", ["vegan", "steak"], "Choose among the answers offered to “Meals”."),
        ("topics", "vegan", "Choose among the answers offered to “Meals”."),
        ("photo", "yes", "Answer “Photos allowed?” with yes or no."),
        ("photo", None, "Please answer “Photos allowed?”."),
    ],
)
def test_each_wrong_answer_is_refused_with_a_message_naming_the_question(
    questions, name, value, message
):
    with translation.override("en"):
        checked = clean_answers(
            questions=questions.values(), raw=answers(questions, **{name: value})
        )

    assert checked.errors == {questions[name].pk: message}


def test_right_answers_are_kept_in_the_questions_order(questions):
    checked = clean_answers(
        questions=questions.values(),
        raw={str(k): v for k, v in answers(
            questions, job="  Buyer ", diet="vegan", topics=["none", "vegetarian"], photo=True
        ).items()},
    )

    assert checked.errors == {}
    assert checked.values == {
        questions["job"].pk: "Buyer", questions["access"].pk: None,
        questions["diet"].pk: "vegan", questions["topics"].pk: ["vegetarian", "none"],
        questions["photo"].pk: True,
    }


# "²" and "٥" are digits to str.isdigit(), not to int(); the last is past a 64-bit id.
@pytest.mark.parametrize("key", ["999999", "abc", "-1", "1.5", "\u00b2", "\u0665",
                                 "9" * 19, ""])
def test_an_unknown_question_is_refused(questions, key):
    with translation.override("en"):
        checked = clean_answers(questions=questions.values(),
                                raw={**answers(questions), key: "x"})

    assert list(checked.errors) == [None]
    assert "This event asks no question with the id" in checked.errors[None]


def test_french_attendees_read_the_french_question(questions):
    with translation.override("fr"):
        checked = clean_answers(questions=questions.values(), raw={}, language="fr")

    assert checked.errors[questions["job"].pk] == "Veuillez répondre à « Fonction »."


def test_register_refuses_a_missing_required_answer_and_takes_no_seat(event, questions):
    event.capacity = 10
    event.save()

    with pytest.raises(RegistrationError) as refused:
        services.register(event=event, name="A", email="a@example.org", consent=True,
                          answers={questions["job"].pk: "Buyer"})

    assert refused.value.code == "invalid_answer"
    assert refused.value.params["question_id"] == questions["photo"].pk
    event.refresh_from_db()
    assert event.seats_taken == 0
    assert not Registration.objects.exists()


def test_register_stores_the_answers(event, questions):
    registration = RegistrationFactory(
        event=event, answers=answers(questions, diet="vegan", topics=["vegan"])
    )

    stored = {answer.question_id: answer.value for answer in registration.answers.all()}
    assert stored == {
        questions["job"].pk: "Buyer", questions["diet"].pk: "vegan",
        questions["topics"].pk: ["vegan"], questions["photo"].pk: False,
    }


# --- The API --------------------------------------------------------------------------------


def register_url(event):
    return f"/api/v1/events/{event.slug}/registrations/"


def body(**fields):
    return {"name": "Amina Diallo", "email": "amina@example.org", "consent": True, **fields}


def test_api_lists_the_questions_of_an_event(api_client, event, questions):
    response = api_client.get(f"/api/v1/events/{event.slug}/questions/")

    assert response.status_code == 200
    listed = response.json()
    assert [question["id"] for question in listed] == [q.pk for q in questions.values()]
    assert listed[2]["options"][0] == {"value": "vegetarian", "en": "Vegetarian",
                                       "fr": "Végétarien"}
    assert api_client.get("/api/v1/events/nope/questions/").status_code == 404


def test_api_registration_takes_answers_and_returns_them(api_client, event, questions):
    sent = {str(k): v for k, v in answers(questions, diet="vegan").items()}

    response = api_client.post(register_url(event), body(answers=sent), format="json")

    assert response.status_code == 201, response.json()
    returned = {answer["question"]: answer["value"] for answer in response.json()["answers"]}
    assert returned == {questions["job"].pk: "Buyer", questions["diet"].pk: "vegan",
                        questions["photo"].pk: False}


@pytest.mark.parametrize(
    "sent",
    [{}, {"job": "Buyer"}, {"job": "Buyer", "photo": "no"}, {"job": ["Buyer"], "photo": True}],
)
def test_api_registration_with_wrong_answers_is_a_400_naming_the_question(
    api_client, event, questions, sent
):
    payload = {str(questions[name].pk): value for name, value in sent.items()}

    response = api_client.post(register_url(event), body(answers=payload), format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]["answers"]
    assert set(errors) <= {str(questions["job"].pk), str(questions["photo"].pk)}
    assert all("“" in message for messages in errors.values() for message in messages)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("sent", ["Buyer", ["Buyer"], 12, None])
def test_api_answers_that_are_not_an_object_are_a_400(api_client, event, questions, sent):
    response = api_client.post(register_url(event), body(answers=sent), format="json")

    assert response.status_code == 400
    assert "answers" in response.json()["errors"]


@pytest.mark.parametrize("key", ["\u00b2", "\u0665", "", "9" * 30])
def test_api_answers_to_question_ids_no_event_has_are_a_400(api_client, event, questions, key):
    registration = RegistrationFactory(event=event, answers=answers(questions))

    response = api_client.patch(f"/api/v1/registrations/{registration.manage_token}/",
                                {"answers": {key: []}}, format="json")

    assert response.status_code == 400
    assert "This event asks no question with the id" in str(response.json()["errors"])


def test_api_patch_changes_only_the_answers_it_names(api_client, event, questions):
    registration = RegistrationFactory(event=event, answers=answers(questions))
    url = f"/api/v1/registrations/{registration.manage_token}/"

    changed = api_client.patch(url, {"answers": {str(questions["diet"].pk): "vegan"}},
                               format="json")
    refused = api_client.patch(url, {"answers": {str(questions["job"].pk): ""}},
                               format="json")

    assert changed.status_code == 200
    assert refused.status_code == 400
    stored = {a.question_id: a.value for a in Answer.objects.filter(registration=registration)}
    assert stored == {questions["job"].pk: "Buyer", questions["diet"].pk: "vegan",
                      questions["photo"].pk: False}


def test_schema_documents_the_answers(api_client):
    schema = api_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    fields = schema["components"]["schemas"]["RegistrationInputRequest"]["properties"]
    assert "answers" in fields
    assert "required" in fields["answers"]["description"]


# --- Download, export, erasure ------------------------------------------------------------------


def test_data_download_includes_the_answers(api_client, client, event, questions):
    registration = RegistrationFactory(event=event, answers=answers(questions))

    api = api_client.get(f"/api/v1/registrations/{registration.manage_token}/data/").json()
    page = client.get(f"/manage/{registration.manage_token}/data/").json()

    for download in (api, page):
        assert {"question": questions["job"].pk, "text": "Job title", "value": "Buyer"} in (
            download["answers"]
        )


def test_export_columns_give_each_question_a_column(event, questions, django_assert_num_queries):
    first = RegistrationFactory(event=event, answers=answers(
        questions, diet="vegan", topics=["vegetarian", "none"], photo=True))
    second = RegistrationFactory(event=event, answers=answers(questions, job="Auditor"))

    with django_assert_num_queries(2):
        columns = selectors.answer_export_columns(Registration.objects.all())
        rows = [columns.row(first), columns.row(second)]

    assert columns.headers == ["Job title", "Accessibility needs", "Diet", "Meals",
                               "Photos allowed?"]
    with translation.override("en"):
        assert [columns.row(first), columns.row(second)] == rows == [
            ["Buyer", "", "Vegan", "Vegetarian; No special diet", "Yes"],
            ["Auditor", "", "", "", "No"],
        ]


def test_export_of_several_events_prefixes_the_event(event, questions):
    other = EventFactory(slug="summit")
    QuestionFactory(event=other, text_en="Company size")
    RegistrationFactory(event=event, answers=answers(questions))
    RegistrationFactory(event=other)

    columns = selectors.answer_export_columns(Registration.objects.all())

    assert columns.headers[0] == "forum: Job title"
    assert columns.headers[-1] == "summit: Company size"


def test_admin_csv_export_carries_the_answers(admin_client, event, questions):
    RegistrationFactory(event=event, answers=answers(questions, job="=cmd()"))

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv",
         "_selected_action": list(Registration.objects.values_list("pk", flat=True))},
    )

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(content))
    assert row["Job title"] == "'=cmd()"
    assert row["Photos allowed?"] == "No"


def test_erasure_deletes_the_answers(event, questions):
    registration = RegistrationFactory(event=event, answers=answers(questions))

    services.erase_personal_data(registration=registration)

    assert not Answer.objects.exists()


def test_retention_command_deletes_the_answers_of_long_past_events(questions):
    start = timezone.now() - dt.timedelta(days=40)
    past = EventFactory(start=start, end=start + dt.timedelta(hours=8))
    question = QuestionFactory(event=past, required=True)
    RegistrationFactory(event=past, now=start - dt.timedelta(days=7),
                        answers={question.pk: "Keep me?"})

    call_command("anonymize_past_registrations", "--older-than", "30d", stdout=io.StringIO())

    assert not Answer.objects.filter(question=question).exists()


def test_display_value_reads_choices_and_yes_no(questions):
    with translation.override("fr"):
        assert display_value(questions["diet"], "vegan", "fr") == "Végétalien"
        assert display_value(questions["photo"], True, "fr") == "Oui"


# --- The admin ----------------------------------------------------------------------------------


def test_questions_are_added_in_the_event_admin_inline(admin_client, event):
    from tests.test_admin import _datetime_fields, _inline_management_data

    url = reverse("admin:agenda_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value for name, value in form.initial.items()
        if value is not None and name not in ("tags", "organizers")
    }
    data.update(_inline_management_data())
    data.update(_datetime_fields(form))
    data["reminder_offsets"] = "7d, 1d, 1h"
    data.update({
        "questions-TOTAL_FORMS": 2,
        "questions-0-position": 1, "questions-0-kind": "one_choice",
        "questions-0-text_en": "Diet", "questions-0-text_fr": "Régime",
        "questions-0-options_text": "Vegetarian | Végétarien\nveg | Vegan | Végétalien",
        "questions-0-required": "on",
        "questions-1-position": 2, "questions-1-kind": "one_choice",
        "questions-1-text_en": "Only one option", "questions-1-options_text": "Alone",
    })

    refused = admin_client.post(url, data)
    data["questions-TOTAL_FORMS"] = 1
    saved = admin_client.post(url, data)

    assert refused.status_code == 200  # the second question needs two options
    assert saved.status_code == 302
    question = Question.objects.get(event=event)
    assert question.options == [
        {"value": "vegetarian", "en": "Vegetarian", "fr": "Végétarien"},
        {"value": "veg", "en": "Vegan", "fr": "Végétalien"},
    ]
    assert question.required is True
