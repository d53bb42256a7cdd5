"""Input an attacker (or a sloppy client) sends: each is a 4xx with a message, never a 500,
never taken for something it is not."""

import pytest

from registrations.addresses import normalize_email
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory

from .test_api_register import payload, register, registrations_url

pytestmark = pytest.mark.django_db

KELVIN_SIGN = "\u212a"
DOTLESS_I = "\u0131"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def json_write_paths() -> dict[str, tuple[str, str]]:
    """Every JSON write endpoint of the API, with a live registration behind its token."""
    event = EventFactory()
    token = RegistrationFactory(event=event).manage_token
    return {
        "register": ("post", registrations_url(event)),
        "change sessions": ("patch", f"/api/v1/registrations/{token}/"),
        "cancel": ("post", f"/api/v1/registrations/{token}/cancel/"),
        "erase": ("post", f"/api/v1/registrations/{token}/erase/"),
        "rotate feed token": ("post", f"/api/v1/registrations/{token}/feed-token/"),
    }


DEEP_BODIES = {
    "array": nested(1000),
    "object": '{"a":' * 1000 + "1" + "}" * 1000,
    "in a field": '{"name": "A", "email": "a@example.org", "consent": true, "sessions": '
    + nested(1000) + "}",
}


@pytest.mark.parametrize("shape", DEEP_BODIES)
@pytest.mark.parametrize("endpoint", ["register", "change sessions"])
def test_json_nested_a_thousand_levels_deep_is_a_400_where_the_body_is_read(api_client, shape,
                                                                            endpoint):
    method, url = json_write_paths()[endpoint]

    response = getattr(api_client, method)(url, DEEP_BODIES[shape],
                                           content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - nested deeper than 32 levels.",
        "code": "parse_error",
    }


@pytest.mark.parametrize("endpoint", ["cancel", "erase", "rotate feed token"])
def test_json_nested_a_thousand_levels_deep_is_ignored_where_no_body_is_read(api_client,
                                                                             endpoint):
    method, url = json_write_paths()[endpoint]

    response = getattr(api_client, method)(url, DEEP_BODIES["array"],
                                           content_type="application/json")

    assert response.status_code in {200, 204}


def test_json_nested_just_under_the_limit_is_read_as_usual(api_client):
    event = EventFactory()
    body = '{"name": "A", "email": "a@example.org", "consent": true, "sessions": ' + (
        nested(30)
    ) + "}"

    response = api_client.post(registrations_url(event), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # the sessions are not numbers


# --- Email addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Amina.Diallo@Example.ORG", "Amina.Diallo@example.org"),
        (f"k1@{KELVIN_SIGN}example.org", "k1@kexample.org"),
        ("zoe@Bücher.example", "zoe@xn--bcher-kva.example"),
        (f"k1@k{DOTLESS_I}example.org", "k1@xn--kexample-tkb.org"),
    ],
)
def test_an_address_is_stored_with_its_domain_by_idna_and_its_local_part_as_given(
    api_client, given, stored
):
    event = EventFactory()

    response = register(api_client, event, email=given)

    assert response.status_code == 201, response.json()
    assert Registration.objects.get().email == stored == normalize_email(given)


def test_a_kelvin_sign_spelling_of_a_registered_address_is_a_409_not_a_500(api_client):
    event = EventFactory()
    assert register(api_client, event, email="k1@kexample.org").status_code == 201

    response = register(api_client, event, email=f"k1@{KELVIN_SIGN}example.org")

    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"
    assert Registration.objects.count() == 1


def test_a_dotless_i_look_alike_domain_is_another_address_not_a_squatter(api_client):
    event = EventFactory()
    look_alike = register(api_client, event, email=f"k1@k{DOTLESS_I}example.org")
    assert look_alike.status_code == 201

    response = register(api_client, event, email="k1@kiexample.org")

    assert response.status_code == 201, response.json()
    assert Registration.objects.count() == 2


@pytest.mark.parametrize("first", ["amina@example.org", "AMINA@EXAMPLE.ORG"])
def test_the_duplicate_check_and_the_unique_index_agree_on_every_spelling(api_client, first):
    """Each spelling is refused by the check (409), let in as another address (201), or
    refused as no address (400): never a 500 from the index refusing what the check let
    through, and never a refusal of a different address."""
    event = EventFactory()
    register(api_client, event, email=first)
    spellings = {
        "Amina@Example.org": 409,
        "amina@ＥＸＡＭＰＬＥ.ORG": 409,  # full-width letters, folded by IDNA
        f"amina@{KELVIN_SIGN}example.org": 201,  # kexample.org: another domain
        "amina@exampl\u0435.org": 201,  # a Cyrillic е: another domain
        # Letters Django's validator lets through because they fold to ASCII ones, which
        # PostgreSQL's LOWER folds and SQLite's does not: refused, so both agree.
        f"AM{DOTLESS_I}NA@example.org": 400,
        "amİna@example.org": 400,
        f"{KELVIN_SIGN}1@example.org": 400,
    }

    statuses = {email: register(api_client, event, email=email).status_code
                for email in spellings}

    assert statuses == spellings
    assert Registration.objects.count() == 3


def test_a_domain_idna_cannot_write_is_a_400_with_a_message(api_client):
    event = EventFactory()

    response = register(api_client, event, email="a@" + "ü" * 64 + ".example")

    assert response.status_code == 400
    assert "email" in response.json()["errors"]


# --- Consent and types ------------------------------------------------------------------------


@pytest.mark.parametrize("consent", ["yes", "true", 1, "1", "on", [True], {"a": True}, None])
def test_only_an_explicit_json_true_is_consent(api_client, consent):
    event = EventFactory()

    response = register(api_client, event, consent=consent)

    assert response.status_code == 400
    assert "consent" in response.json()["errors"]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("join_waitlist", ["yes", 1, "true"])
def test_join_waitlist_takes_only_a_json_boolean(api_client, join_waitlist):
    event = EventFactory()

    response = register(api_client, event, join_waitlist=join_waitlist)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "join_waitlist": ["Must be true or false (a JSON boolean)."]
    }


def test_a_registration_with_consent_true_still_goes_through(api_client):
    response = register(api_client, EventFactory(), **payload(consent=True))

    assert response.status_code == 201
