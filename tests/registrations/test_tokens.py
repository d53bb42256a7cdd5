"""Capability tokens: one spelling only, and the same work for an id that exists as for one
that does not (so timing tells nothing about which registrations exist)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import selectors
from registrations.tokens import new_secret
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

LOOKUPS = {
    "manage": (selectors.registration_by_manage_token, "manage_token"),
    "feed": (selectors.registration_by_feed_token, "feed_token"),
    "unsubscribe": (selectors.registration_by_unsubscribe_token, "unsubscribe_token"),
}


def other_spellings(token: str) -> dict[str, str]:
    """Spellings that decode to the same id and secret, or nearly, but are not the token."""
    public_id = uuid.UUID(hex=token[:32])
    return {
        "upper-case id": token[:32].upper() + token[32:],
        "braced id": "{" + token[:32] + "}" + token[32:],
        "hyphenated id": str(public_id) + token[32:],
        "urn id": f"urn:uuid:{public_id}" + token[32:],
        "padded secret": token + "=",
        "space before": " " + token,
        "newline after": token + "\n",
    }


@pytest.mark.parametrize("kind", LOOKUPS)
def test_a_token_opens_only_in_its_canonical_spelling(kind):
    lookup, attribute = LOOKUPS[kind]
    registration = RegistrationFactory()
    token = getattr(registration, attribute)
    assert lookup(token) == registration

    opened = {name: lookup(spelling) for name, spelling in other_spellings(token).items()}

    assert opened == dict.fromkeys(opened)


@pytest.mark.parametrize("kind", LOOKUPS)
def test_an_unknown_id_costs_the_same_queries_as_a_known_one(kind):
    lookup, attribute = LOOKUPS[kind]
    session = SessionFactory()
    registration = RegistrationFactory(event=session.event, session_ids=[session.pk])
    token = getattr(registration, attribute)
    tried = {
        "right": token,
        "known id, wrong secret": token[:32] + new_secret(),
        "unknown id": uuid.uuid4().hex + new_secret(),
    }

    queries = {}
    for name, attempt in tried.items():
        with CaptureQueriesContext(connection) as captured:
            lookup(attempt)
        queries[name] = len(captured)

    assert queries == dict.fromkeys(tried, 2)


def test_the_found_registration_carries_its_sessions_as_registration_with_details_does():
    session = SessionFactory()
    registration = RegistrationFactory(event=session.event, session_ids=[session.pk])

    found = selectors.registration_by_manage_token(registration.manage_token)

    expected = selectors.registration_with_details().get(pk=registration.pk)
    def shown(registration):
        return [(choice.pk, choice.session.title, choice.status)
                for choice in registration.active_choices]

    assert shown(found) == shown(expected) != []
    assert found.event == expected.event
