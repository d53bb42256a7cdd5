"""Tickets: a code of its own for the door, which checks its holder in and does nothing else."""

import base64
import io

import pypdf
import pytest
from django.db import DatabaseError
from PIL import Image

from registrations import pdfs, selectors, services, tickets, tokens
from registrations.models import Registration, TicketImage
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def secret_bits(secret: str) -> int:
    padded = secret + "=" * (-len(secret) % 4)
    return len(base64.urlsafe_b64decode(padded)) * 8


def test_ticket_code_carries_at_least_128_random_bits_of_its_own():
    registrations = [RegistrationFactory() for _ in range(20)]

    for registration in registrations:
        public_id, secret = tokens.split_token(registration.ticket_code)
        assert public_id == registration.public_id
        assert secret == registration.ticket_secret
        assert secret_bits(secret) >= 128
    secrets = [registration.ticket_secret for registration in registrations]
    assert len(set(secrets)) == len(secrets)


def test_ticket_code_is_neither_the_management_nor_the_feed_token():
    registration = RegistrationFactory()

    assert registration.ticket_secret not in (registration.manage_secret,
                                              registration.feed_secret)
    assert registration.ticket_code not in (registration.manage_token, registration.feed_token)


def test_ticket_code_finds_its_registration_and_nothing_else_does():
    registration = RegistrationFactory()

    assert selectors.registration_by_ticket_code(registration.ticket_code) == registration
    assert selectors.registration_by_ticket_code(f"  {registration.ticket_code}\n") == \
        registration
    assert selectors.registration_by_ticket_code(registration.manage_token) is None
    assert selectors.registration_by_ticket_code(registration.feed_token) is None
    assert selectors.registration_by_ticket_code(registration.public_id.hex) is None
    assert selectors.registration_by_ticket_code("") is None
    assert selectors.registration_by_ticket_code("x" * 500) is None


def test_a_photo_of_the_ticket_manages_nothing(client, api_client):
    registration = RegistrationFactory()
    code = registration.ticket_code

    assert client.get(f"/manage/{code}/").status_code == 404
    assert client.post(f"/manage/{code}/cancel/").status_code == 404
    assert client.post(f"/manage/{code}/erase/").status_code == 404
    assert client.get(f"/manage/{code}/ticket.pdf").status_code == 404
    assert api_client.get(f"/api/v1/registrations/{code}/").status_code == 404
    assert api_client.post(f"/api/v1/registrations/{code}/cancel/").status_code == 404
    assert client.get(f"/feeds/me/{code}.ics").status_code == 404
    registration.refresh_from_db()
    assert registration.is_active


def test_a_ticket_with_one_wrong_character_is_unknown():
    registration = RegistrationFactory()
    code = registration.ticket_code
    last = "A" if code[-1] != "A" else "B"
    first_of_secret = "A" if code[32] != "A" else "B"

    assert selectors.registration_by_ticket_code(code[:-1] + last) is None
    assert selectors.registration_by_ticket_code(
        code[:32] + first_of_secret + code[33:]
    ) is None


def test_ticket_secrets_are_compared_in_constant_time(monkeypatch):
    """The comparison goes through ``hmac.compare_digest`` (as the other tokens' do)."""
    registration = RegistrationFactory()
    compared = []
    real = tokens.secrets_match

    def spying(given: str, stored: str) -> bool:
        compared.append((given, stored))
        return real(given, stored)

    monkeypatch.setattr(selectors, "secrets_match", spying)

    # A wrong secret of the canonical length (any other length is refused before comparing).
    last = "a" if registration.ticket_code[-1] != "a" else "b"
    assert selectors.registration_by_ticket_code(registration.ticket_code[:-1] + last) is None
    assert compared == [(registration.ticket_secret[:-1] + last, registration.ticket_secret)]
    assert real.__code__.co_names.count("compare_digest") == 1


def test_rotating_the_ticket_revokes_the_old_code_and_keeps_the_other_links():
    registration = RegistrationFactory()
    old_code, manage_token = registration.ticket_code, registration.manage_token

    services.rotate_ticket_code(registration=registration)

    assert selectors.registration_by_ticket_code(old_code) is None
    assert selectors.registration_by_ticket_code(registration.ticket_code) == registration
    assert selectors.registration_by_manage_token(manage_token) == registration


def test_erasure_revokes_the_ticket():
    registration = RegistrationFactory()
    code = registration.ticket_code

    services.erase_personal_data(registration=registration)

    assert selectors.registration_by_ticket_code(code) is None


def test_qr_code_png_is_a_square_image_with_a_quiet_zone():
    image = Image.open(io.BytesIO(tickets.qr_png("x" * 64, scale=8)))

    assert image.format == "PNG"
    assert image.width == image.height
    assert image.convert("L").getpixel((0, 0)) == 255  # the white border scanners need


@pytest.mark.parametrize("code", ["x", "x" * 64, "0123456789abcdef" * 4 + "AbC-_dEf" * 4, "é€"])
@pytest.mark.parametrize("scale", [1, 3, 8])
def test_qr_code_png_drawn_by_pillow_is_segnos_image_pixel_for_pixel(code, scale):
    ours = Image.open(io.BytesIO(tickets.qr_png(code, scale=scale))).convert("L")
    segnos = Image.open(io.BytesIO(tickets.qr_png_plain(code, scale=scale))).convert("L")

    assert ours.size == segnos.size
    assert ours.tobytes() == segnos.tobytes()


def test_ticket_image_is_drawn_once_then_taken_from_the_database(monkeypatch):
    first_person, second_person = RegistrationFactory.create_batch(2)
    drawn = []
    real = tickets.qr_png
    monkeypatch.setattr(tickets, "qr_png",
                        lambda code, **kw: drawn.append(code) or real(code, **kw))

    first = tickets.ticket_png(first_person)
    again = tickets.ticket_png(Registration.objects.get(pk=first_person.pk))
    other = tickets.ticket_png(second_person)

    assert first == again == real(first_person.ticket_code)
    assert other == real(second_person.ticket_code)
    assert drawn == [first_person.ticket_code, second_person.ticket_code]
    assert TicketImage.objects.count() == 2


def test_a_rotated_ticket_is_drawn_anew_and_the_old_image_is_gone():
    registration = RegistrationFactory()
    old = tickets.ticket_png(registration)

    services.rotate_ticket_code(registration=registration)

    assert not TicketImage.objects.filter(registration=registration).exists()
    new = tickets.ticket_png(registration)
    assert new != old
    assert new == tickets.qr_png(registration.ticket_code)


def test_an_image_of_another_code_is_never_used_even_if_left_behind():
    registration = RegistrationFactory()
    tickets.ticket_png(registration)
    # A code changed without going through rotate_ticket_code (say, an admin edit).
    Registration.objects.filter(pk=registration.pk).update(ticket_secret="b" * 32)
    registration.refresh_from_db()

    assert tickets.ticket_png(registration) == tickets.qr_png(registration.ticket_code)
    assert TicketImage.objects.get(registration=registration).code_digest == (
        tickets.code_digest(registration.ticket_code))


def test_an_image_that_cannot_be_stored_still_goes_out(monkeypatch, caplog):
    registration = RegistrationFactory()

    def refuse(*args, **kwargs):
        raise DatabaseError("the database refused the write")

    monkeypatch.setattr(TicketImage.objects, "bulk_create", refuse)

    assert tickets.ticket_png(registration) == tickets.qr_png(registration.ticket_code)
    assert "not stored" in caplog.text


def test_erasure_deletes_the_ticket_image():
    registration = RegistrationFactory()
    tickets.ticket_png(registration)

    services.erase_personal_data(registration=registration)

    assert not TicketImage.objects.filter(registration=registration).exists()


def test_qr_code_svg_has_no_style_the_csp_would_refuse():
    svg = tickets.qr_svg("x" * 64)

    assert svg.startswith("<svg ")
    assert "viewBox=" in svg
    assert "style" not in svg
    assert "<script" not in svg


# --- The manage page and the PDF ticket ---------------------------------------------------------


def test_manage_page_shows_the_ticket_of_a_confirmed_attendee(client):
    registration = RegistrationFactory()

    page = client.get(f"/manage/{registration.manage_token}/").content.decode()

    assert 'id="ticket"' in page
    assert '<svg viewBox=' in page and 'class="ticket-qr"' in page
    assert registration.ticket_code in page
    assert f"/manage/{registration.manage_token}/ticket.pdf" in page


def test_waitlisted_attendee_has_no_ticket(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    assert waiting.status == "waitlisted"

    page = client.get(f"/manage/{waiting.manage_token}/").content.decode()
    pdf = client.get(f"/manage/{waiting.manage_token}/ticket.pdf")

    assert 'id="ticket"' not in page
    assert waiting.ticket_code not in page
    assert pdf.status_code == 302


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_ticket_has_name_event_date_venue_and_code(client):
    event = EventFactory(title="Living Wage Summit", venue_name="Square Brussels")
    SessionFactory(event=event)
    registration = RegistrationFactory(event=event, name="Zoë Łukasiewicz")

    response = client.get(f"/manage/{registration.manage_token}/ticket.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert "Living Wage Summit" in text
    assert "Zoë Łukasiewicz" in text
    assert "Square Brussels" in text
    assert str(event.local_start.year) in text
    assert registration.ticket_code in text.replace("\n", "")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages[0].images) == 1  # the QR code


def test_pdf_ticket_is_in_the_attendees_language():
    registration = RegistrationFactory(language="fr")

    _pages, text = pdf_text(pdfs.ticket_pdf(registration))

    assert "Billet" in text


def test_rotating_the_ticket_from_the_manage_page(client):
    registration = RegistrationFactory()
    old_code = registration.ticket_code

    response = client.post(f"/manage/{registration.manage_token}/ticket/")

    assert response.status_code == 302
    fresh = Registration.objects.get(pk=registration.pk)
    assert fresh.ticket_code != old_code
    assert selectors.registration_by_ticket_code(old_code) is None
