"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium the browser tests are skipped with the reason, except in CI
(``CI=true``), where they fail: CI installs Chromium in ``.ci/run``.
"""

import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "pages"

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


def _missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    for module in ("playwright", "axe_playwright_python"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is missing (pip install -e '.[dev]')"
    return None


def require_browser() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests cannot run in CI: {reason}.", pytrace=False)
    pytest.skip(f"Browser tests skipped: {reason}.")


@pytest.fixture
def browser(monkeypatch):
    require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which Django takes
    # for an async context; the test's own ORM calls (factories, the outbox) are plain sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While that loop runs, Django keeps this thread's connections apart from the ones
        # it uses once the loop is gone: close them now, or they outlive the test database.
        connections.close_all()


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@dataclass
class BrowserProblems:
    """Console errors that mean something is broken: CSP violations, script errors, missing
    static files. (A form answered with 400 is logged by Chromium too, and is expected.)"""

    messages: list[str] = field(default_factory=list)

    def console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        url = (message.location or {}).get("url", "")
        if "Content Security Policy" in text or "/static/" in url or "favicon" in url:
            self.messages.append(f"{text} ({url})")

    def page_error(self, error) -> None:
        self.messages.append(f"script error: {error}")


@pytest.fixture
def open_page(browser, live_server, settings, request):
    """``open_page(device, timezone_id=..., locale=...)``: a new tab on the live server, its
    links (emails, calendar) built on the live server's address. Fails the test on any CSP
    violation or script error seen in it."""
    settings.SITE_URL = live_server.url
    contexts = []
    problems = BrowserProblems()

    def open_(device: str = "desktop", *, timezone_id: str = "America/New_York",
              locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server.url, timezone_id=timezone_id, locale=locale, **DEVICES[device]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", problems.console)
        page.on("pageerror", problems.page_error)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert problems.messages == []


@pytest.fixture
def snap(request):
    """``snap(page, "step")``: a full-page screenshot under test-artifacts/pages/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    counter = iter(range(1, 1000))

    def take(page, step: str) -> Path:
        path = ARTIFACTS / f"{test_name}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def assert_accessible():
    def check(page) -> None:
        assert serious_violations(page) == [], page.url

    return check
