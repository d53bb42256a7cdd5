"""notifications.wire: our emails' bytes are Django's bytes, written faster.

Every message is built twice, as an ``OutgoingEmail`` and as Django's own
``EmailMultiAlternatives``, and their wire forms compared byte for byte; only the random MIME
boundaries and the Date (the clock) may differ.
"""

import builtins
import copy
import email
import email.policy
import importlib
import pickle
import re
from email.mime.image import MIMEImage

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.wire import OutgoingEmail, WireMessage, django_message
from registrations.tickets import qr_png

BOUNDARY = re.compile(rb"={15}\d{19}==")
DATE = re.compile(rb"^Date: .*$", re.MULTILINE)

# Text as templates and attendees produce it: any characters, line breaks of every kind,
# now and then a line longer than SMTP allows (Django then quote-prints the part).
text = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
    | st.sampled_from(["\n", "\r\n", "\r", " "]),
    max_size=12,
).map("".join) | st.builds(
    lambda line, rest: "x" * line + rest, st.integers(990, 1100), st.text(max_size=5)
)
header_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=160)
addresses = st.emails() | st.sampled_from(
    ["zoë@example.org", "attendee@exämple.org", "Zoë Dupont <zoe@example.org>"]
)
filenames = st.sampled_from(["forum-2026.ics", "programme.txt", "ünïcode.ics", "a b.ics", ""])
mimetypes = st.sampled_from(["text/calendar; method=PUBLISH", "text/plain", "text/csv"])


class DjangoEmail(EmailMultiAlternatives):
    """Django's serializer, with the Subject folded knowing its name (``django_message``)."""

    def message(self):
        return django_message(self)


def wire(written) -> bytes:
    raw = written.as_bytes(linesep="\r\n")
    return DATE.sub(b"Date: (now)", BOUNDARY.sub(b"(boundary)", raw))


def both(*, alternatives=(), attachments=(), **fields) -> tuple[object, bytes, bytes]:
    """Our message()'s result, and the wire forms of ours and of Django's."""
    built = []
    for cls in (OutgoingEmail, DjangoEmail):
        message = cls(**fields)
        for content, mimetype in alternatives:
            message.attach_alternative(content, mimetype)
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        built.append(message.message())
    return built[0], wire(built[0]), wire(built[1])


def has_overlong_line(*texts: str) -> bool:
    return any(len(line.encode()) > 998 for text in texts for line in text.splitlines())


@settings(max_examples=300, deadline=None)
@given(
    subject=header_text,
    body=text.filter(bool),
    html=st.none() | text,
    to=st.lists(addresses, min_size=1, max_size=3),
    attachments=st.lists(st.tuples(filenames, text, mimetypes), max_size=2),
    unsubscribe=st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=120),
    note=st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=130),
)
def test_composed_bytes_are_djangos_bytes(
    subject, body, html, to, attachments, unsubscribe, note
):
    written, ours, django = both(
        subject=subject,
        body=body,
        from_email="Agenda <noreply@agenda.example.org>",
        to=to,
        headers={
            "Message-ID": "<delivery-1-abc@agenda.example.org>",
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<https://agenda.example.org/reminders/off/{unsubscribe}/>",
            "X-Note": note,
        },
        alternatives=[] if html is None else [(html, "text/html")],
        attachments=attachments,
    )
    assert ours == django
    # The fast path is the one compared, whenever it applies.
    contents = [body, html or "", *(content for _name, content, _type in attachments)]
    plain_names = all(name.isascii() and " " not in name for name, _c, _t in attachments)
    if plain_names and not has_overlong_line(*contents):
        assert isinstance(written, WireMessage)


def qr_image(code: str) -> MIMEImage:
    """The ticket's image part, as notifications.emails.ticket_image makes it."""
    image = MIMEImage(qr_png(code), "png")
    image.add_header("Content-ID", "<ticket-qr@agenda.example.org>")
    image.add_header("Content-Disposition", "inline", filename="ticket.png")
    return image


@settings(max_examples=100, deadline=None)
@given(
    body=text.filter(bool),
    html=text,
    calendar=text,
    code=st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
                 min_size=1, max_size=80),
)
def test_a_message_with_the_tickets_image_is_djangos_bytes_too(body, html, calendar, code):
    built = []
    for cls in (OutgoingEmail, EmailMultiAlternatives):
        message = cls(subject="You are registered: Forum", body=body,
                      from_email="noreply@agenda.example.org", to=["zoe@example.org"],
                      headers={"Message-ID": "<delivery-1-abc@agenda.example.org>"})
        message.attach_alternative(html, "text/html")
        message.attach("forum.ics", calendar, "text/calendar; method=PUBLISH")
        message.attach(qr_image(code))
        built.append(message.message())

    assert wire(built[0]) == wire(built[1])
    if not has_overlong_line(body, html, calendar):
        assert isinstance(built[0], WireMessage)


def test_a_reminder_shaped_message_is_written_without_the_mime_tree():
    message = OutgoingEmail(
        subject="Reminder: Forum", body="Hello Zoë,\n", from_email="noreply@example.org",
        to=["zoe@example.org"],
    )
    message.attach_alternative("<p>Hello Zoë,</p>", "text/html")
    message.attach("forum.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                   "text/calendar; method=PUBLISH")

    written = message.message()

    assert isinstance(written, WireMessage)
    # What a mail client and the backends read of it.
    parsed = email.message_from_bytes(written.as_bytes(), policy=email.policy.default)
    assert parsed["To"] == "zoe@example.org"
    assert parsed.get_body(("plain",)).get_content() == "Hello Zoë,\n"
    (calendar,) = parsed.iter_attachments()
    assert calendar.get_filename() == "forum.ics"
    assert written["Subject"] == "Reminder: Forum"
    assert written.get_charset() is None
    assert written.as_string().startswith("Content-Type: multipart/mixed;")


def test_a_body_with_an_overlong_line_is_left_to_django():
    message = OutgoingEmail(subject="s", body="x" * 1000, to=["zoe@example.org"])

    assert isinstance(message.message(), SafeMIMEText)


@pytest.mark.parametrize("header", ["Subject", "To", "List-Unsubscribe"])
def test_a_header_with_a_line_break_is_refused_as_django_refuses_it(header):
    fields = {"subject": "Reminder", "body": "Hello", "to": ["zoe@example.org"], "headers": {}}
    injected = "x\r\nBcc: victim@example.org"
    if header == "Subject":
        fields["subject"] = injected
    elif header == "To":
        fields["to"] = [f"zoe@example.org{injected}"]
    else:
        fields["headers"] = {header: injected}

    for cls in (OutgoingEmail, DjangoEmail, EmailMultiAlternatives):
        with pytest.raises(BadHeaderError):
            cls(**fields).message()


@pytest.mark.parametrize("wire_format", ["fast", "django"])
def test_a_long_french_subject_starts_on_the_subject_line(settings, wire_format):
    settings.EMAIL_WIRE_FORMAT = wire_format
    subject = "Vous êtes inscrit·e\u00a0: Forum des salaires et des droits humains dans les chaînes"
    fields = {"subject": subject, "body": "Bonjour", "to": ["zoe@example.org"]}

    ours = OutgoingEmail(**fields).message().as_bytes(linesep="\r\n")
    plain_django = EmailMultiAlternatives(**fields).message().as_bytes(linesep="\r\n")

    def subject_line(raw: bytes) -> bytes:
        return next(line for line in raw.split(b"\r\n") if line.startswith(b"Subject:"))

    assert subject_line(plain_django) == b"Subject: "  # what Django alone writes
    assert subject_line(ours).startswith(b"Subject: =?utf-8?q?Vous_")
    parsed = email.message_from_bytes(ours, policy=email.policy.default)
    assert parsed["Subject"] == subject


def test_a_composed_message_survives_copying_and_pickling():
    message = OutgoingEmail(subject="Reminder", body="Hello", to=["zoe@example.org"])
    written = message.message()

    for copied in (copy.deepcopy(written), pickle.loads(pickle.dumps(written))):
        assert copied.as_bytes() == written.as_bytes()
        assert copied["To"] == "zoe@example.org"


@pytest.mark.parametrize("wire_format", ["fast", "django"])
def test_a_non_ascii_subject_with_a_line_break_is_refused_in_both_wire_formats(settings,
                                                                              wire_format):
    settings.EMAIL_WIRE_FORMAT = wire_format

    with pytest.raises(BadHeaderError):
        OutgoingEmail(subject="Réunion\r\nBcc: victim@example.org", body="Bonjour",
                      to=["zoe@example.org"]).message()


def test_mail_still_goes_out_if_a_django_upgrade_moves_what_the_fast_writer_follows(
    monkeypatch,
):
    from notifications import wire

    real_import = builtins.__import__

    def import_without_djangos_internals(name, globals=None, *args, **kwargs):
        if name == "django.core.mail.message" and (globals or {}).get("__name__") == wire.__name__:
            raise ImportError("moved by an imagined Django upgrade")
        return real_import(name, globals, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", import_without_djangos_internals)
    try:
        importlib.reload(wire)  # as a Django without it would import the module
        assert wire.FAST_WRITER is False
        subject = "Rappel\u00a0: Forum des salaires"
        written = wire.OutgoingEmail(subject=subject, body="Bonjour", to=["zoe@example.org"])
        written.attach_alternative("<p>Bonjour</p>", "text/html")
        raw = written.message().as_bytes(linesep="\r\n")
    finally:
        monkeypatch.undo()
        importlib.reload(wire)

    assert wire.FAST_WRITER is True
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == subject
    assert parsed.get_body(("plain",)).get_content().strip() == "Bonjour"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Bonjour</p>"
