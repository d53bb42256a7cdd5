"""Tickets: the code a confirmed attendee shows at the door, and its QR code.

The ticket code is a capability of its own, in the form of the other tokens
(``registrations/tokens.py``): the registration's public id, then its ``ticket_secret`` (192
random bits), compared in constant time. It is neither the management token nor the feed
token, so a photo of a ticket lets its holder be checked in and nothing else: nobody can
manage, cancel or read the registration with it. Rotating the secret (``rotate_ticket_code``,
and erasure) revokes every printed or sent copy.

QR codes are drawn by segno: SVG for pages, PNG for emails and PDFs. (The code itself is
``Registration.ticket_code``.)
"""

import hashlib
import io
import logging
from collections.abc import Iterable

import segno
from django.db import DatabaseError, transaction
from PIL import Image

from .models import TicketImage

# Medium error correction: a phone still reads a ticket with a crease or a glare on it.
ERROR_CORRECTION = "m"
# The white margin around the code, in modules, that scanners need (the standard's four).
QUIET_ZONE = 4

logger = logging.getLogger(__name__)


def qr_code(code: str) -> segno.QRCode:
    return segno.make(code, error=ERROR_CORRECTION, boost_error=False)


def qr_svg(code: str, *, scale: int = 5) -> str:
    """The QR code of ``code`` as an inline ``<svg>`` element (no styles: the page's CSP)."""
    return qr_code(code).svg_inline(scale=scale, svgclass="ticket-qr", lineclass=None,
                                    omitsize=True, title=code)


def qr_png(code: str, *, scale: int = 8) -> bytes:
    """The QR code of ``code`` as a PNG, its quiet zone included: the image segno's own PNG
    writer draws (``qr_png_plain``; a test compares them pixel for pixel), drawn by Pillow,
    which does it in a fraction of the time (every confirmation and reminder carries one)."""
    qr = qr_code(code)
    width, height = qr.symbol_size(scale=1, border=QUIET_ZONE)
    image = Image.new("1", (width, height), 1)
    image.putdata([
        0 if dark else 1 for row in qr.matrix_iter(scale=1, border=QUIET_ZONE) for dark in row
    ])
    image = image.resize((width * scale, height * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_png_plain(code: str, *, scale: int = 8) -> bytes:
    """``qr_png`` as segno writes it."""
    buffer = io.BytesIO()
    qr_code(code).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def stored_images(registration_ids: Iterable[int]) -> dict[int, tuple[str, bytes]]:
    """The stored ticket images of these registrations: (code digest, PNG) by id, in one
    query (a batch of emails reads them so)."""
    return {
        registration_id: (digest, bytes(png))
        for registration_id, digest, png in TicketImage.objects.filter(
            registration_id__in=list(registration_ids)
        ).values_list("registration_id", "code_digest", "png")
    }


def store_images(images: Iterable[tuple[int, str, bytes]]) -> None:
    """Store (registration id, ticket code, PNG) rows, replacing an image of an older code.
    One statement per thousand: two workers storing one ticket both succeed."""
    TicketImage.objects.bulk_create(
        (TicketImage(registration_id=registration_id, code_digest=code_digest(code), png=png)
         for registration_id, code, png in images),
        update_conflicts=True, unique_fields=["registration"],
        update_fields=["code_digest", "png"], batch_size=1000,
    )


def ticket_png(registration, *, stored: dict[int, tuple[str, bytes]] | None = None) -> bytes:
    """``qr_png`` of the registration's ticket code, as stored when it was first drawn
    (usually for its confirmation); drawn and stored now otherwise (tests check the two
    agree). ``stored``: ``stored_images`` of a batch holding this registration, read
    beforehand."""
    code = registration.ticket_code
    digest = code_digest(code)
    found = stored.get(registration.pk) if stored is not None else None
    if found is None:  # not read with its batch (or not drawn yet): look for it alone
        found = stored_images([registration.pk]).get(registration.pk)
    if found is not None and found[0] == digest:
        return found[1]
    png = qr_png(code)
    try:
        with transaction.atomic():  # a savepoint, should a caller hold a transaction
            store_images([(registration.pk, code, png)])
    except DatabaseError:  # kept for next time if it can be; the email needs only the image
        logger.warning("ticket image of registration %s not stored", registration.pk,
                       exc_info=True)
    return png
