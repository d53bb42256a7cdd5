"""Organizers' messages to attendees: who gets one, recorded whole or not at all, one delivery
each, sent once through a real SMTP server in each attendee's language."""

import pytest
from django.core import mail
from django.db import transaction

from agenda.audit import acting_as
from agenda.enums import AuditVia
from agenda.models import AuditEntry
from notifications import services
from notifications.enums import Audience, DeliveryStatus, MessageKind
from notifications.errors import NotificationError
from notifications.models import Delivery, Message
from notifications.programme import ProgrammeCache
from notifications.services import (
    preview_organizer_message,
    send_deliveries,
    send_organizer_message,
)
from registrations import services as registrations
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

from .support import as_received

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd():
    """An event with two seats: two confirmed (one in the workshop), one waitlisted, one
    cancelled, one erased; and someone registered for another event."""
    event = EventFactory(capacity=3)
    workshop = SessionFactory(event=event, title="Workshop")
    people = {
        "seated": RegistrationFactory(event=event, name="Seated", session_ids=[workshop.pk]),
        "confirmed": RegistrationFactory(event=event, name="Confirmed"),
    }
    cancelled = RegistrationFactory(event=event, name="Cancelled")
    registrations.cancel_registration(registration=cancelled)
    erased = RegistrationFactory(event=event, name="Erased")
    people["waiting"] = RegistrationFactory(event=event, name="Waiting")
    registrations.erase_personal_data(registration=erased)  # its seat goes to "Waiting"
    people["waiting"].refresh_from_db()
    people["late"] = RegistrationFactory(event=event, name="Late")  # waitlisted
    RegistrationFactory(event=EventFactory(), name="Elsewhere")
    return event, workshop, people


def send(event, audience, session=None, **fields) -> Message:
    return send_organizer_message(
        event=event, subject=fields.get("subject", "Practical details"),
        body=fields.get("body", "Doors open at 8:30."), audience=audience, session=session,
        sent_by=fields.get("sent_by"),
    )


def recipients(message: Message) -> list[str]:
    return sorted(Delivery.objects.filter(message=message)
                  .values_list("registration__name", flat=True))


def test_each_audience_reaches_its_attendees_only(crowd):
    event, workshop, _people = crowd

    reached = {audience: recipients(send(event, audience, workshop))
               for audience in Audience.values}

    assert reached == {
        Audience.CONFIRMED: ["Confirmed", "Seated", "Waiting"],
        Audience.WAITLISTED: ["Late"],
        Audience.ALL: ["Confirmed", "Late", "Seated", "Waiting"],
        Audience.SESSION: ["Seated"],
    }


def test_one_pending_delivery_per_recipient_recorded_with_the_message(crowd):
    event, _workshop, _people = crowd
    sender = UserFactory()

    message = send(event, Audience.ALL, sent_by=sender)

    deliveries = Delivery.objects.filter(message=message)
    assert (message.recipient_count, deliveries.count()) == (4, 4)
    assert {(d.kind, d.status, d.scheduled_for) for d in deliveries} == {
        (MessageKind.ORGANIZER_MESSAGE, DeliveryStatus.PENDING, message.created_at)
    }
    assert (message.created_by, message.subject, message.body) == (
        sender, "Practical details", "Doors open at 8:30.",
    )


def test_two_messages_to_the_same_people_are_two_deliveries_each(crowd):
    event, _workshop, people = crowd

    first = send(event, Audience.CONFIRMED)
    second = send(event, Audience.CONFIRMED, subject="Second")

    assert people["seated"].deliveries.filter(
        kind=MessageKind.ORGANIZER_MESSAGE).count() == 2
    assert (first.recipient_count, second.recipient_count) == (3, 3)


@pytest.mark.parametrize(("fields", "code"), [
    ({"subject": "  "}, "subject_required"),
    ({"subject": "Two\nlines"}, "subject_one_line"),
    ({"subject": "x" * 201}, "subject_too_long"),
    ({"body": "\n \n"}, "body_required"),
    ({"body": "x" * 20_001}, "body_too_long"),
])
def test_bad_input_is_refused_and_nothing_is_recorded(crowd, fields, code):
    event, _workshop, _people = crowd

    with pytest.raises(NotificationError) as refused:
        send(event, Audience.ALL, **fields)

    assert refused.value.code == code
    assert (Message.objects.count(), Delivery.objects.filter(message__isnull=False).count()) == (
        0, 0)


def test_a_message_nobody_would_get_is_refused(crowd):
    event, _workshop, _people = crowd
    empty = SessionFactory(event=event)

    with pytest.raises(NotificationError) as nobody:
        send(event, Audience.SESSION, empty)
    with pytest.raises(NotificationError) as no_session:
        send(event, Audience.SESSION, None)
    with pytest.raises(NotificationError) as foreign:
        send(event, Audience.SESSION, SessionFactory())

    assert (nobody.value.code, no_session.value.code, foreign.value.code) == (
        "no_recipients", "session_required", "session_not_in_event")
    assert Message.objects.count() == 0


def test_an_audit_entry_records_who_sent_what_to_whom(crowd):
    event, workshop, _people = crowd
    organizer = UserFactory()

    with acting_as(organizer, via=AuditVia.ORGA):
        message = send(event, Audience.SESSION, workshop, sent_by=organizer)

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.via, entry.action, entry.event_id, entry.object_id) == (
        organizer, "orga", "message_sent", event.pk, str(message.pk))
    assert entry.changes == {"subject": [None, "Practical details"],
                             "audience": [None, "session"], "session": [None, "Workshop"],
                             "recipients": [None, 1]}


def test_deliveries_are_published_only_after_commit_in_batches(
    crowd, published, django_capture_on_commit_callbacks
):
    event, _workshop, _people = crowd

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = send(event, Audience.ALL)
        assert published() == []

    assert published() == [sorted(Delivery.objects.filter(message=message)
                                  .values_list("pk", flat=True))]


def test_a_message_goes_once_to_each_through_a_real_smtp_server_in_their_language(
    smtp_settings
):
    event = EventFactory(title="Forum on supply chains")
    french = RegistrationFactory(event=event, name="Élise", email="elise@example.org",
                                 language="fr")
    english = RegistrationFactory(event=event, name="Ann", email="ann@example.org")
    message = send(event, Audience.CONFIRMED, subject="Badges & doors",
                   body="Bring your badge <b>please</b>.\nDoors open at 8:30.")
    ids = list(Delivery.objects.filter(message=message).values_list("pk", flat=True))

    first = send_deliveries(delivery_ids=ids)
    again = send_deliveries(delivery_ids=ids)

    received = {item.rcpt_tos[0]: item.email for item in smtp_settings.handler.received}
    texts = {address: email.text.replace("\r\n", "\n") for address, email in received.items()}
    assert (first, again, sorted(received)) == (2, 0, [english.email, french.email])
    assert {email.subject for email in received.values()} == {"Badges & doors"}
    assert texts[french.email].startswith("Bonjour Élise,\n\nBring your badge <b>please</b>.")
    assert texts[english.email].startswith("Hello Ann,\n\nBring your badge")
    assert "Bring your badge &lt;b&gt;please&lt;/b&gt;.<br>Doors open at 8:30." in (
        received[english.email].html)
    assert "because you registered for Forum on supply chains" in texts[english.email]
    assert set(Delivery.objects.filter(message=message).values_list("status", flat=True)) == {
        DeliveryStatus.SENT}


def test_someone_who_cancelled_since_is_not_sent_the_message(crowd):
    event, _workshop, people = crowd
    message = send(event, Audience.CONFIRMED)
    registrations.cancel_registration(registration=people["confirmed"])

    send_deliveries(delivery_ids=list(
        Delivery.objects.filter(message=message).values_list("pk", flat=True)))

    assert sorted(email.to[0] for email in mail.outbox
                  if email.extra_headers["X-Agenda-Kind"] == "organizer_message") == sorted(
        [people["seated"].email, people["waiting"].email])
    assert people["confirmed"].deliveries.get(message=message).status == DeliveryStatus.SKIPPED


def test_the_batch_rendering_gives_each_recipient_the_same_email_as_the_plain_path(crowd):
    event, _workshop, people = crowd
    message = send(event, Audience.ALL, body="Line one\nhttps://example.org/plan & <more>")
    batch = ProgrammeCache(check_state=False)
    loaded = batch.registrations([registration.pk for registration in people.values()])

    for delivery in Delivery.objects.filter(message=message).select_related("message"):
        plain = services.render_message(delivery)
        shared = services.render_message(delivery, registration=loaded[delivery.registration_id],
                                         programme=batch)
        assert (shared.subject, shared.body, shared.alternatives) == (
            plain.subject, plain.body, plain.alternatives)
        assert delivery.registration.name in shared.body


def test_preview_renders_the_chosen_recipients_email_and_records_nothing(crowd):
    event, _workshop, people = crowd
    Registration.objects.filter(pk=people["waiting"].pk).update(language="fr")

    recipient, email = preview_organizer_message(
        event=event, subject="Practical details", body="Doors open at 8:30.",
        audience=Audience.CONFIRMED, recipient_email=people["waiting"].email.upper(),
    )
    first, _email = preview_organizer_message(
        event=event, subject="Practical details", body="Doors open at 8:30.",
        audience=Audience.CONFIRMED,
    )

    assert (recipient.pk, first.pk) == (people["waiting"].pk, people["seated"].pk)
    received = as_received(email)
    assert received.subject == "Practical details"
    assert received.text.replace("\r\n", "\n").startswith(
        f"Bonjour {people['waiting'].name},\n\nDoors open at 8:30.")
    assert (Message.objects.count(), Delivery.objects.filter(message__isnull=False).count()) == (
        0, 0)
    with pytest.raises(NotificationError) as outsider:
        preview_organizer_message(event=event, subject="S", body="B", audience=Audience.WAITLISTED,
                                  recipient_email=people["seated"].email)
    assert outsider.value.code == "not_a_recipient"
    for not_an_address in ("nobody", "a@b@", "x@\u2028"):
        with pytest.raises(NotificationError) as nonsense:
            preview_organizer_message(event=event, subject="S", body="B",
                                      audience=Audience.CONFIRMED, recipient_email=not_an_address)
        assert nonsense.value.code == "not_a_recipient"


def test_previewing_as_an_address_spelt_with_an_idna_domain_finds_its_registration():
    event = EventFactory()
    registration = RegistrationFactory(event=event, email="lea@xn--bcher-kva.example")

    recipient, _email = preview_organizer_message(
        event=event, subject="S", body="B", audience=Audience.CONFIRMED,
        recipient_email="Lea@B\u00fccher.EXAMPLE",
    )

    assert recipient.pk == registration.pk
