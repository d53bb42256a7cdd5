import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with an empty rate-limit window (the cache is process-wide)."""
    cache.clear()
    yield
    cache.clear()
