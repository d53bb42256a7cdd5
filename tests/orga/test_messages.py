"""The organizer's messages pages: compose, preview as one recipient, send, follow progress,
and nothing of another event's messages reachable."""

import pytest
from django.urls import reverse

from agenda.enums import Role
from agenda.models import AuditEntry
from notifications.enums import DeliveryStatus
from notifications.models import Delivery, Message
from notifications.services import send_organizer_message
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def event(organizer):
    event = EventFactory(title="Forum on supply chains")
    grant(event, organizer)
    return event


@pytest.fixture
def signed_in(client, organizer):
    client.force_login(organizer)
    return client


def url(event, name="messages", *args) -> str:
    return reverse(f"orga:{name}", args=[event.slug, *args])


def draft(**fields) -> dict:
    return {"audience": "confirmed", "subject": "Practical details",
            "body": "Doors open at 8:30.", "action": "send", **fields}


def test_messages_tab_and_compose_page_render(signed_in, event):
    listing = signed_in.get(url(event))
    compose = signed_in.get(url(event, "message-compose"))
    dashboard = signed_in.get(reverse("orga:event", args=[event.slug]))

    assert (listing.status_code, compose.status_code) == (200, 200)
    assert f'href="{url(event)}"' in dashboard.content.decode()
    assert f'href="{url(event, "attendees")}"' in dashboard.content.decode()
    assert "No message has been sent" in listing.content.decode()


def test_preview_shows_the_chosen_recipients_email_in_their_language(signed_in, event):
    RegistrationFactory(event=event, name="Ann")
    elise = RegistrationFactory(event=event, name="Élise", language="fr")

    response = signed_in.post(url(event, "message-compose"),
                              draft(action="preview", preview_as=elise.email))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bonjour Élise," in content
    assert "This message would go to 2 people." in content
    assert "style-src-attr 'unsafe-inline'" in response["Content-Security-Policy"]
    # The HTML email is in the frame's srcdoc, escaped, never as markup of the page itself.
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in content
    assert Message.objects.count() == 0


def test_sending_records_the_message_and_shows_its_progress(signed_in, event, organizer):
    session = SessionFactory(event=event, title="Workshop")
    seated = RegistrationFactory(event=event, session_ids=[session.pk])
    RegistrationFactory(event=event)

    response = signed_in.post(url(event, "message-compose"),
                              draft(audience="session", session=session.pk))

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(event, "message", message.pk)
    assert (message.recipient_count, message.created_by, message.session) == (
        1, organizer, session)
    assert list(Delivery.objects.filter(message=message).values_list(
        "registration", flat=True)) == [seated.pk]
    assert AuditEntry.objects.get(action="message_sent").actor == organizer
    progress = signed_in.get(response["Location"])
    assert "Your message is on its way to 1 recipient." in progress.content.decode()
    assert (progress.context["progress"].sent, progress.context["progress"].waiting) == (0, 1)


def test_progress_shows_failures_with_their_reasons(signed_in, event):
    first = RegistrationFactory(event=event, name="Bounced")
    RegistrationFactory(event=event)
    message = send_organizer_message(event=event, subject="S", body="B",
                                     audience="confirmed", sent_by=None)
    Delivery.objects.filter(message=message, registration=first).update(
        status=DeliveryStatus.FAILED, attempts=1,
        last_error="SMTPRecipientsRefused: 550 5.1.1 No such mailbox here")
    Delivery.objects.filter(message=message).exclude(registration=first).update(
        status=DeliveryStatus.SENT)

    response = signed_in.get(url(event, "message", message.pk))
    listing = signed_in.get(url(event))

    progress = response.context["progress"]
    assert (progress.sent, progress.waiting, progress.failed) == (1, 0, 1)
    assert "550 5.1.1 No such mailbox here" in response.content.decode()
    row = listing.context["sent"][0]
    assert (row.subject, row.sent, row.failed, row.waiting) == ("S", 1, 1, 0)


@pytest.mark.parametrize(("fields", "error"), [
    ({"subject": ""}, "Give the message a subject."),
    ({"body": "   "}, "Write the message itself: it is empty."),
    ({"audience": "waitlisted"}, "Nobody would get this message"),
    ({"audience": "session"}, "Choose the session whose attendees get the message."),
])
@pytest.mark.parametrize("action", ["send", "preview"])
def test_bad_input_gets_a_message_on_the_form_and_nothing_is_recorded(
    signed_in, event, fields, error, action
):
    RegistrationFactory(event=event)

    response = signed_in.post(url(event, "message-compose"), draft(action=action, **fields))

    assert response.status_code == 400
    assert error in response.content.decode()
    assert (Message.objects.count(), Delivery.objects.filter(message__isnull=False).count()) == (
        0, 0)


def test_check_in_helpers_cannot_send_messages(client, event):
    helper = UserFactory()
    grant(event, helper, role=Role.CHECKIN)
    client.force_login(helper)
    RegistrationFactory(event=event)

    statuses = [client.get(url(event)).status_code,
                client.post(url(event, "message-compose"), draft()).status_code]

    assert statuses == [403, 403]
    assert Message.objects.count() == 0
    assert "Messages" not in client.get(url(event, "attendees")).content.decode()


def test_an_organizer_of_another_event_reaches_none_of_its_messages(signed_in, event):
    other = EventFactory()
    RegistrationFactory(event=other)
    theirs = send_organizer_message(event=other, subject="Theirs", body="B",
                                    audience="all", sent_by=None)
    their_session = SessionFactory(event=other)
    RegistrationFactory(event=event)

    statuses = [
        signed_in.get(url(other)).status_code,
        signed_in.get(url(other, "message", theirs.pk)).status_code,
        signed_in.post(url(other, "message-compose"), draft()).status_code,
        signed_in.get(url(event, "message", theirs.pk)).status_code,
    ]
    # Their session, posted to this organizer's own event: refused as not a choice.
    own = signed_in.post(url(event, "message-compose"),
                         draft(audience="session", session=their_session.pk))

    assert statuses == [404, 404, 404, 404]
    assert own.status_code == 400
    assert list(Message.objects.values_list("subject", flat=True)) == ["Theirs"]
    assert Registration.objects.filter(event=other).count() == 1


@pytest.mark.parametrize("count", [1, 6])
def test_messages_pages_queries_do_not_grow_with_messages_or_failures(
    signed_in, event, django_assert_max_num_queries, count
):
    session = SessionFactory(event=event)
    for _ in range(count):
        RegistrationFactory(event=event, session_ids=[session.pk])
    for index in range(count):
        message = send_organizer_message(event=event, subject=f"Message {index}", body="B",
                                         audience="session", session=session, sent_by=None)
    Delivery.objects.filter(message=message).update(status=DeliveryStatus.FAILED,
                                                    last_error="refused")

    with django_assert_max_num_queries(6):
        listing = signed_in.get(url(event))
    with django_assert_max_num_queries(7):
        progress = signed_in.get(url(event, "message", message.pk))

    assert len(listing.context["sent"]) == count
    assert len(progress.context["progress"].failures) == count
