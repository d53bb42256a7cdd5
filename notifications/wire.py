"""Attendee emails in their wire form, written without Python's MIME tree.

Django turns an ``EmailMultiAlternatives`` into bytes by building a tree of ``email``
package objects and flattening it: about half of a worker's time per reminder went there
(header folding, and a regular expression compiled for each boundary). Our emails always
have the same shape (a text body, an HTML alternative, text attachments such as the
``.ics``, parts made beforehand such as the ticket's QR image), so ``OutgoingEmail.message()``
writes that shape's bytes directly: the same headers, in the same order, folded and encoded
by the same functions, with the same transfer encodings, as Django would write them
(``tests/notifications/test_wire.py`` compares the two byte for byte), but for a non-ASCII
Subject, folded as Django should (``django_message``). Any other shape, or a body Django
would quote-print (a line longer than 998 octets), goes through Django's own ``message()``.

The result is a ``WireMessage``: what the mail backends use of a message (``as_bytes``,
``as_string``, ``get_charset``) comes from the bytes; anything else is read from the parsed
bytes, as a mail client reads them.
"""

import email
import email.policy
import functools
import io
import re
import secrets
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

try:
    # What Django writes with, which the fast writer follows. Should an upgrade move any of
    # it, every message goes Django's own way (its public API only), as with
    # EMAIL_WIRE_FORMAT = "django", rather than mail stopping at an ImportError.
    from django.core.mail.message import (
        DNS_NAME,
        RFC5322_EMAIL_LINE_LENGTH_LIMIT,
        SafeMIMEText,
        forbid_multi_line_headers,
        make_msgid,
    )
except ImportError:
    FAST_WRITER = False
else:
    FAST_WRITER = True

_CRLF = "\r\n"
# Line breaks as the email package's generator recognises them in a payload.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_POLICY = email.policy.compat32.clone(linesep=_CRLF)
_MAX_HEADER_LINE = 78
_PLAIN_FILENAME = re.compile(r"[A-Za-z0-9._-]+")
# A header value without a place where the folding may break it.
_ONE_WORD = re.compile(r"[^\s,;]+")


class OutgoingEmail(EmailMultiAlternatives):
    """An ``EmailMultiAlternatives`` whose wire form is written directly when it has the
    shape of our emails, and by Django otherwise, or always by Django with
    ``EMAIL_WIRE_FORMAT = "django"`` (the fallback should a Django upgrade change what its
    serializer writes before this module follows)."""

    def message(self):
        fast = FAST_WRITER and settings.EMAIL_WIRE_FORMAT != "django"
        raw = _compose(self) if fast else None
        if raw is None:
            return django_message(self)
        return WireMessage(raw)


def django_message(message: EmailMultiAlternatives):
    """Django's own ``message()``, but for a non-ASCII Subject, which Django encodes before
    folding: its first encoded word, too long to follow ``Subject:``, goes to the next
    line, and some parsers then read the subject with a leading space. Encoded knowing the
    header's name, the first word fits on the ``Subject:`` line."""
    written = EmailMultiAlternatives.message(message)
    subject = str(message.subject)
    if not subject.isascii():
        encoding = message.encoding or settings.DEFAULT_CHARSET
        # Message.replace_header, not SafeMIME's __setitem__, which would encode it again.
        # (Django's message() has refused a Subject with a line break already.)
        Message.replace_header(written, "Subject", _subject_header(subject, encoding))
    return written


def _subject_header(subject: str, encoding: str) -> Header:
    return Header(subject, encoding, header_name="Subject")


class WireMessage:
    """A composed message: its bytes, and, read from them on demand, the parsed message."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw  # CRLF line endings

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if linesep == _CRLF:
            return self._raw
        return self._raw.replace(b"\r\n", linesep.encode("ascii"))

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", "surrogateescape")

    def __bytes__(self) -> bytes:
        return self.as_bytes()

    def __str__(self) -> str:
        return self.as_string()

    def get_charset(self):
        return None  # a multipart message has none of its own; its parts say theirs

    @functools.cached_property
    def parsed(self) -> Message:
        return email.message_from_bytes(self._raw, policy=email.policy.compat32)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            # Its own private state, or a protocol probe (copy, pickle): never the parse.
            raise AttributeError(name)
        return getattr(self.parsed, name)

    def __getitem__(self, name: str):
        return self.parsed[name]

    def __contains__(self, name: str) -> bool:
        return name in self.parsed

    def __len__(self) -> int:
        return len(self.parsed)

    def __iter__(self):
        return iter(self.parsed)


def _compose(message: EmailMultiAlternatives) -> bytes | None:
    """``message``'s bytes as Django would write them, or None for a shape not handled
    here (Django's ``message()`` then writes it)."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    if encoding.lower() != "utf-8" or message.content_subtype != "plain" or not message.body:
        return None
    if message.alternative_subtype != "alternative" or message.mixed_subtype != "mixed":
        return None
    parts = [_text_part(message.body, "plain")]
    for alternative in message.alternatives:
        content, mimetype = alternative
        if not isinstance(content, str) or not mimetype.startswith("text/"):
            return None
        parts.append(_text_part(content, mimetype.split("/", 1)[1]))
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase) and not attachment.is_multipart():
            parts.append(_ready_part(attachment))  # the ticket's QR code
            continue
        if not isinstance(attachment, tuple):
            return None  # a multipart MIMEBase instance
        filename, content, mimetype = attachment
        if (
            not isinstance(content, str)
            or not (mimetype or "").startswith("text/")
            or (filename and not _PLAIN_FILENAME.fullmatch(filename))
        ):
            return None
        parts.append(_text_part(content, mimetype.split("/", 1)[1], filename=filename))
    if None in parts:
        return None

    split = len(message.alternatives) + 1
    alternatives, attachments = parts[:split], parts[split:]
    part = alternatives[0] if len(alternatives) == 1 else _multipart("alternative", alternatives)
    if attachments:
        part = _multipart("mixed", [part, *attachments])
    head, body = part
    return head + _headers(message, encoding) + b"\r\n" + body


# A part: its headers (each ending in CRLF), and its body after the blank line.
Part = tuple[bytes, bytes]


def _text_part(content: str, subtype: str, *, filename: str = "") -> Part | None:
    """A UTF-8 text part as ``SafeMIMEText`` writes it (7bit or 8bit); None for a body
    with a line over 998 octets (Django quote-prints those)."""
    lines = content.splitlines()
    # Four octets a character at most: only a long line needs counting in octets.
    if max(map(len, lines), default=0) * 4 > RFC5322_EMAIL_LINE_LENGTH_LIMIT and any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in lines
    ):
        return None
    # CRLF line breaks (the regular expression only where a CR is already in).
    crlf = _LINE_BREAK.sub(_CRLF, content) if "\r" in content else content.replace("\n", _CRLF)
    payload = crlf.encode("utf-8", "surrogateescape")
    head = _text_head(subtype, "7bit" if payload.isascii() else "8bit")
    if filename:
        head += f'Content-Disposition: attachment; filename="{filename}"{_CRLF}'.encode()
    return head, payload


def _ready_part(part: MIMEBase) -> Part:
    """A part made by the caller (an inline image), as the generator writes it inside the
    tree: the same generator, on that part alone, is a small fraction of the whole tree's."""
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False).flatten(part, linesep=_CRLF)
    head, _blank, body = buffer.getvalue().partition(b"\r\n\r\n")
    return head + b"\r\n", body


@functools.lru_cache(maxsize=64)
def _text_head(subtype: str, transfer_encoding: str) -> bytes:
    """The headers ``SafeMIMEText`` gives a UTF-8 part of ``subtype`` (which may carry
    parameters: the email package then rewrites Content-Type after MIME-Version)."""
    part = SafeMIMEText("-", subtype, "utf-8")
    del part["Content-Transfer-Encoding"]
    part["Content-Transfer-Encoding"] = transfer_encoding
    return b"".join(_POLICY.fold_binary(name, value) for name, value in part.raw_items())


def _multipart(subtype: str, parts: list[Part]) -> Part:
    """The parts in a multipart whose boundary is in none of them, as the email
    package's generator writes it."""
    flat = [head + b"\r\n" + body for head, body in parts]
    while True:
        # The generator's own form: fifteen '=', nineteen random digits, '=='.
        boundary = f"{'=' * 15}{secrets.randbelow(10**19):019d}=="
        marker = boundary.encode()
        if not any(marker in part for part in flat):
            break
    content_type = f'Content-Type: multipart/{subtype}; boundary="{boundary}"'
    if len(content_type) > _MAX_HEADER_LINE:
        # Folded where the generator folds it: after the semicolon.
        content_type = f'Content-Type: multipart/{subtype};{_CRLF} boundary="{boundary}"'
    head = f"{content_type}{_CRLF}MIME-Version: 1.0{_CRLF}".encode("ascii")
    body = (
        b"--" + marker + b"\r\n"
        + (b"\r\n--" + marker + b"\r\n").join(flat)
        + b"\r\n--" + marker + b"--\r\n"
    )
    return head, body


def _headers(message: EmailMultiAlternatives, encoding: str) -> bytes:
    """The headers Django's ``message()`` sets, in its order (the multipart's own
    Content-Type and MIME-Version come with the body, first, as in Django's)."""
    headers = [
        ("Subject", message.subject),
        ("From", message.extra_headers.get("From", message.from_email)),
    ]
    for name, addresses in (("To", message.to), ("Cc", message.cc),
                            ("Reply-To", message.reply_to)):
        if addresses and name not in message.extra_headers:
            headers.append((name, ", ".join(str(address) for address in addresses)))
    names = {name.lower() for name in message.extra_headers}
    if "date" not in names:
        headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    headers += [
        (name, value) for name, value in message.extra_headers.items() if name.lower() != "from"
    ]
    return b"".join(_header(name, value, encoding) for name, value in headers)


def _header(name: str, value, encoding: str) -> bytes:
    value = str(value)
    if name == "Subject" and not value.isascii():
        forbid_multi_line_headers(name, value, encoding)  # BadHeaderError on line breaks
        return _POLICY.fold_binary(name, _subject_header(value, encoding))
    if value.isascii() and _ONE_WORD.fullmatch(value) and name.lower() != "subject":
        # A value the folding cannot split (no space, comma or semicolon) stays whole: on
        # the header's line if it fits, else alone on the next one.
        if len(name) + len(value) + 2 <= _MAX_HEADER_LINE:
            return f"{name}: {value}{_CRLF}".encode("ascii")
        return f"{name}: {_CRLF} {value}{_CRLF}".encode("ascii")
    return _encoded_header(name, value, encoding)


@functools.lru_cache(maxsize=1024)
def _encoded_header(name: str, value: str, encoding: str) -> bytes:
    """Encoded, checked for line breaks (``BadHeaderError``) and folded as Django does."""
    return _POLICY.fold_binary(*forbid_multi_line_headers(name, value, encoding))
