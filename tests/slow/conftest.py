"""The slow lane: every test here is marked ``slow`` and runs once per CI run (`make test-slow`),
not in the two database passes of `make test`."""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/slow/" in str(item.fspath):
            item.add_marker(pytest.mark.slow)
