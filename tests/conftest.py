import pytest
from rest_framework.test import APIClient

from notifications.services import publisher


@pytest.fixture(autouse=True)
def _publish_what_the_test_committed():
    """Whatever a test's commits left to this process's publisher goes out before the next
    test, to the broker the test used (``notifications.publisher``)."""
    yield
    publisher.flush()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
