"""Tickets: the code a confirmed attendee shows at the door, and its QR code.

The ticket code is a capability of its own, in the form of the other tokens
(``registrations/tokens.py``): the registration's public id, then its ``ticket_secret`` (192
random bits), compared in constant time. It is neither the management token nor the feed
token, so a photo of a ticket lets its holder be checked in and nothing else: nobody can
manage, cancel or read the registration with it. Rotating the secret (``rotate_ticket_code``,
and erasure) revokes every printed or sent copy.

QR codes are drawn by segno: SVG for pages, PNG for emails and PDFs.
"""

import io

import segno

from .models import Registration

# Medium error correction: a phone still reads a ticket with a crease or a glare on it.
ERROR_CORRECTION = "m"


def ticket_code(registration: Registration) -> str:
    return registration.ticket_code


def qr_code(code: str) -> segno.QRCode:
    return segno.make(code, error=ERROR_CORRECTION, boost_error=False)


def qr_svg(code: str, *, scale: int = 5) -> str:
    """The QR code of ``code`` as an inline ``<svg>`` element (no styles: the page's CSP)."""
    return qr_code(code).svg_inline(scale=scale, svgclass="ticket-qr", lineclass=None,
                                    omitsize=True, title=code)


def qr_png(code: str, *, scale: int = 8) -> bytes:
    """The QR code of ``code`` as a PNG, its quiet zone included."""
    buffer = io.BytesIO()
    qr_code(code).save(buffer, kind="png", scale=scale)
    return buffer.getvalue()
