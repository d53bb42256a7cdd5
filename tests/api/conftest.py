"""Organizer API tests: accounts with roles, and API clients authenticated by their tokens."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agenda.enums import Role
from tests.factories import EventFactory, UserFactory, grant


def client_for(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def event_a(db):
    return EventFactory(slug="event-a", capacity=10)


@pytest.fixture
def event_b(db):
    return EventFactory(slug="event-b", capacity=10)


@pytest.fixture
def organizer_a(event_a):
    user = UserFactory(username="alice", is_staff=True)
    grant(event_a, user)
    return user


@pytest.fixture
def organizer_b(event_b):
    user = UserFactory(username="bob", is_staff=True)
    grant(event_b, user)
    return user


@pytest.fixture
def helper_a(event_a):
    user = UserFactory(username="carol")
    grant(event_a, user, role=Role.CHECKIN)
    return user


@pytest.fixture
def client_a(organizer_a):
    return client_for(organizer_a)


@pytest.fixture
def client_b(organizer_b):
    return client_for(organizer_b)


@pytest.fixture
def helper_client(helper_a):
    return client_for(helper_a)
