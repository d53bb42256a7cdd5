"""English and French: every page, email and refusal, with a switcher that needs no script."""

import email
import email.policy
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

from .support import form_data, send_pending_emails

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def test_pages_follow_the_browsers_language(client):
    EventFactory()

    english = client.get("/").content.decode()
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()

    assert '<html lang="en">' in english and "Upcoming events" in english
    assert '<html lang="fr">' in french
    assert "Événements à venir" in french
    assert "Aller au contenu principal" in french
    assert "Upcoming events" not in french


def test_the_language_cookie_wins(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Politique de confidentialité" in html


def test_the_language_switcher_is_a_plain_form(client):
    html = client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/privacy/"})

    assert '<form class="language" action="/i18n/setlang/" method="post">' in html
    assert '<option value="fr" lang="fr">Français</option>' in html
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Politique de confidentialité" in client.get("/privacy/").content.decode()


def test_event_page_and_dates_in_french(client):
    event = EventFactory(title="Forum des salaires")
    SessionFactory(event=event)

    html = client.get(f"/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "S’inscrire" in html
    assert "Ajouter au calendrier" in html
    assert "J’ai lu la politique de confidentialité" in html
    month = event.local_start.month
    french_months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                     "septembre", "octobre", "novembre", "décembre"]
    assert french_months[month - 1] in html


@pytest.mark.parametrize(
    ("zone", "english", "french"),
    [
        ("Europe/Brussels", "(Brussels time)", "(heure de Bruxelles)"),
        ("Europe/London", "(London time)", "(heure de Londres)"),
        ("America/New_York", "(New York time)", "(heure de New York)"),
    ],
)
def test_zone_labels_name_the_city_in_the_visitors_language(client, zone, english, french):
    event = EventFactory(timezone=zone)

    in_english = client.get(f"/events/{event.slug}/").content.decode()
    in_french = client.get(f"/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert english in in_english
    assert french in in_french
    assert "heure de Brussels" not in in_french


def test_a_french_subject_is_not_folded_before_its_first_word(mailoutbox):
    """Folded right after ``Subject:``, a subject reads with a leading space in some
    parsers: the first encoded word stays on the header's own line."""
    event = EventFactory(title="Forum des salaires et des droits humains dans les chaînes")
    RegistrationFactory(event=event, language="fr")

    send_pending_emails()

    raw = mail.outbox[0].message().as_bytes(linesep="\r\n")
    (subject_line,) = [line for line in raw.split(b"\r\n") if line.startswith(b"Subject:")]
    assert subject_line.strip() != b"Subject:"
    received = email.message_from_bytes(raw, policy=email.policy.default)
    assert received["Subject"] == (
        "Vous êtes inscrit·e\u00a0: Forum des salaires et des droits humains dans les chaînes"
    )


def test_form_errors_and_service_refusals_in_french(client):
    event = EventFactory()
    RegistrationFactory(event=event, email="amina@example.org")

    invalid = client.post(f"/events/{event.slug}/", form_data(name="", consent=None),
                          HTTP_ACCEPT_LANGUAGE="fr")
    duplicate = client.post(f"/events/{event.slug}/", form_data(), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Ce champ est obligatoire." in invalid.content.decode()
    assert "Veuillez accepter la politique de confidentialité" in invalid.content.decode()
    assert "Cette adresse e-mail est déjà inscrite à cet événement." in (
        duplicate.content.decode()
    )


def test_manage_page_and_conflicts_in_french(client):
    event = EventFactory()
    first = SessionFactory(event=event, title="Atelier A")
    second = SessionFactory(event=event, title="Atelier B", start=first.start, end=first.end)
    registration = RegistrationFactory(event=event, session_ids=[first.pk, second.pk])

    html = client.get(f"/manage/{registration.manage_token}/",
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Votre inscription" in html
    assert "Annuler mon inscription" in html
    assert "«\u00a0Atelier A\u00a0» et «\u00a0Atelier B\u00a0» se chevauchent." in html


def test_a_french_registration_gets_french_emails(client, mailoutbox):
    event = EventFactory(title="Forum des salaires")

    client.post(f"/events/{event.slug}/", form_data(), HTTP_ACCEPT_LANGUAGE="fr")
    send_pending_emails()

    message = mail.outbox[0]
    assert Registration.objects.get().language == "fr"
    assert message.subject == "Vous êtes inscrit·e\u00a0: Forum des salaires"
    assert "Votre inscription est confirmée." in message.body
    assert "Gérer mon inscription" in message.alternatives[0][0]


def test_404_page_in_french(client):
    response = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def _po_entries(text: str) -> list[tuple[str, list[str]]]:
    """(msgid, msgstrs) of a .po file, enough to check that nothing is left untranslated."""
    def unquote(lines: list[str]) -> str:
        return "".join(
            line.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
            for line in lines
        )

    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" in fields:
            msgstrs = [unquote(value) for key, value in fields.items() if key.startswith("msgstr")]
            entries.append((unquote(fields["msgid"]), msgstrs))
    return entries


def test_every_string_has_a_french_translation_compiled_in_the_repository():
    po_text = (LOCALE / "django.po").read_text(encoding="utf-8")
    with open(LOCALE / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    entries = [(msgid, msgstrs) for msgid, msgstrs in _po_entries(po_text) if msgid]

    untranslated = [msgid for msgid, msgstrs in entries if not all(msgstrs)]
    not_compiled = [msgid for msgid, _ in entries if msgid not in catalog._catalog
                    and (msgid, 0) not in catalog._catalog]

    assert len(entries) > 300
    assert "#, fuzzy" not in po_text
    assert untranslated == []
    assert not_compiled == []
