"""The slow lane: every test here is marked ``slow`` and runs once per CI run (`make test-slow`),
not in the two database passes of `make test`. The schema fuzzing (``test_api_schema.py``) is
marked ``fuzz`` too, so that it can also run on its own (`make test-schema`)."""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.fspath)
        if "tests/slow/" in path:
            item.add_marker(pytest.mark.slow)
        if path.endswith("tests/slow/test_api_schema.py"):
            item.add_marker(pytest.mark.fuzz)
