"""Registration questions in Chromium, on a desktop and a phone: refused answers named next to
their question, then a registration with its answers, editable on the manage page."""

import pytest

from registrations.models import Answer
from tests.factories import EventFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_questions_are_asked_checked_and_answered(open_page, device, snap, assert_accessible):
    event = EventFactory(title="Responsible Sourcing Summit")
    job = QuestionFactory(event=event, text_en="Job title", required=True, position=1)
    QuestionFactory(event=event, kind="several_choices", text_en="Diet", position=2)
    QuestionFactory(event=event, kind="yes_no", text_en="May we photograph you?",
                    required=True, position=3)
    page = open_page(device)

    page.goto(f"/events/{event.slug}/")
    form = page.locator("#register")
    form.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    snap(page, "refused")

    summary = page.locator("#error-summary")
    assert "Please answer “Job title”." in summary.inner_text()
    assert "Please answer “May we photograph you?”." in summary.inner_text()
    assert_accessible(page)

    form = page.locator("#register")
    form.get_by_label("Full name").fill("Amina Diallo")
    form.get_by_label("Email address").fill("amina@example.org")
    form.get_by_label("Job title").fill("Head of sourcing")
    form.get_by_label("Vegan").check()
    page.get_by_role("group", name="May we photograph you?").get_by_label("No").check()
    form.get_by_label("I have read the privacy notice").check()
    form.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    snap(page, "manage")

    assert page.get_by_role("heading", name="Your answers").is_visible()
    assert page.get_by_label("Job title").input_value() == "Head of sourcing"
    assert_accessible(page)
    page.get_by_label("Job title").fill("Buyer")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your answers are saved.").is_visible()
    assert Answer.objects.get(question=job).value == "Buyer"
