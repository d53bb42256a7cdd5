"""Registration questions on the pages: asked in the form in the visitor's language, checked
with messages next to each question, shown and editable on the manage page."""

import pytest

from registrations.models import Answer, Registration
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory

from .support import form_data, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def questions(event):
    return {
        "job": QuestionFactory(event=event, text_en="Job title", text_fr="Fonction",
                               required=True, position=1),
        "diet": QuestionFactory(event=event, kind="several_choices", text_en="Diet",
                                text_fr="Régime", position=2),
        "photo": QuestionFactory(event=event, kind="yes_no", text_en="Photos allowed?",
                                 text_fr="Photos autorisées ?", required=True, position=3),
    }


def test_form_asks_the_questions_in_the_visitors_language(client, event, questions):
    english = client.get(f"/events/{event.slug}/").content.decode()
    french = client.get(f"/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Job title" in english and "Diet (optional)" in english
    assert "<legend>Photos allowed?</legend>" in english
    assert "Vegetarian" in english
    assert "Fonction" in french and "Végétarien" in french
    assert english.index("Job title") < english.index('name="consent"')


def test_unanswered_required_questions_are_named_next_to_their_field(client, event, questions):
    response = register(client, event)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please answer “Job title”." in html
    assert "Please answer “Photos allowed?”." in html
    assert f'href="#id_question_{questions["job"].pk}"' in html
    assert not Registration.objects.exists()


def test_answers_are_stored_with_the_registration(client, event, questions):
    response = register(client, event, **{
        f"question_{questions['job'].pk}": "Buyer",
        f"question_{questions['diet'].pk}": ["vegan", "none"],
        f"question_{questions['photo'].pk}": "no",
    })

    assert response.status_code == 302
    stored = {answer.question_id: answer.value for answer in Answer.objects.all()}
    assert stored == {questions["job"].pk: "Buyer", questions["diet"].pk: ["vegan", "none"],
                      questions["photo"].pk: False}


def test_an_option_not_offered_is_refused(client, event, questions):
    data = form_data(**{
        f"question_{questions['job'].pk}": "Buyer",
        f"question_{questions['diet'].pk}": "steak",
        f"question_{questions['photo'].pk}": "maybe",
    })

    response = client.post(f"/events/{event.slug}/", data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_manage_page_shows_and_changes_the_answers(client, event, questions):
    registration = RegistrationFactory(
        event=event, answers={questions["job"].pk: "Buyer", questions["photo"].pk: True}
    )
    url = f"/manage/{registration.manage_token}/"

    page = client.get(url).content.decode()
    refused = client.post(url + "answers/", {f"question_{questions['photo'].pk}": "no"})
    saved = client.post(url + "answers/", {
        f"question_{questions['job'].pk}": "Auditor",
        f"question_{questions['photo'].pk}": "no",
    }, follow=True)

    assert 'value="Buyer"' in page
    assert refused.status_code == 400
    assert "Please answer “Job title”." in refused.content.decode()
    assert "Your answers are saved." in saved.content.decode()
    stored = {a.question_id: a.value for a in Answer.objects.filter(registration=registration)}
    assert stored == {questions["job"].pk: "Auditor", questions["photo"].pk: False}


def test_answers_of_a_cancelled_registration_are_shown_not_editable(client, event, questions):
    registration = RegistrationFactory(
        event=event, answers={questions["job"].pk: "Buyer", questions["photo"].pk: True}
    )
    client.post(f"/manage/{registration.manage_token}/cancel/")

    page = client.get(f"/manage/{registration.manage_token}/").content.decode()
    refused = client.post(f"/manage/{registration.manage_token}/answers/", {
        f"question_{questions['job'].pk}": "Auditor",
        f"question_{questions['photo'].pk}": "no",
    }, follow=True)

    assert "<dd>Buyer</dd>" in page and "<dd>Yes</dd>" in page
    assert "This registration has been cancelled." in refused.content.decode()
    assert Answer.objects.get(question=questions["job"]).value == "Buyer"
