"""The scan page in Chromium, its camera a fake one that films a real ticket: the QR code segno
draws, as a Y4M video (Chromium's ``--use-file-for-fake-video-capture``), read by the vendored
jsQR in the page, answered by the server, under the site's CSP."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from agenda.enums import Role
from registrations import tickets
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory, grant
from tests.pages.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    BrowserProblems,
    require_browser,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "orga"


def write_y4m(path: Path, picture: Image.Image, *, frames: int = 5) -> None:
    """``picture``, centred on white, as a YUV 4:2:0 video of ``frames`` identical frames."""
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    picture = picture.convert("RGB")
    side = min(HEIGHT - 40, picture.height)
    picture = picture.resize((side, side), Image.NEAREST)
    frame.paste(picture, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma, blue, red = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = luma.tobytes() + blue.resize(half).tobytes() + red.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)


@pytest.fixture
def camera_filming(tmp_path, monkeypatch):
    """``camera_filming(code)``: a Chromium whose camera films the QR code of ``code``."""
    require_browser()
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    launched = []
    playwright = sync_playwright().start()

    def launch(code: str):
        video = tmp_path / "ticket.y4m"
        write_y4m(video, Image.open(io.BytesIO(tickets.qr_png(code, scale=6))))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ])
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()
    playwright.stop()
    from django.db import connections

    connections.close_all()


def serious_violations_in(page, selector: str) -> list[str]:
    """axe-core's serious and critical findings inside ``selector`` (the page's own part; the
    organizer area's header is checked with the rest of that area)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=selector)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def signed_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    context.grant_permissions(["camera"], origin=live_server.url)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    return context


def test_scanning_a_ticket_with_the_phones_camera(camera_filming, live_server, settings):
    settings.SITE_URL = live_server.url
    event = EventFactory(title="Living Wage Summit")
    session = SessionFactory(event=event, title="Opening plenary")
    registration = RegistrationFactory(event=event, name="Amina Diallo",
                                       session_ids=[session.pk])
    RegistrationFactory(event=event, name="Bram de Vries")
    helper = UserFactory(username="door", first_name="Dana", last_name="Door")
    grant(event, helper, role=Role.CHECKIN)
    browser = camera_filming(registration.ticket_code)
    context = signed_in_context(browser, live_server, helper)
    problems = BrowserProblems()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)

    page.goto(f"/orga/events/{event.slug}/check-in/")
    assert page.locator("#check-in-counts").inner_text() == "0 of 2 checked in"
    page.get_by_role("button", name="Start the camera").click()

    answer = page.locator('#check-in-answer[data-result="checked_in"]')
    answer.wait_for()
    assert "Checked in: Amina Diallo" in answer.inner_text()
    assert "Opening plenary" in answer.inner_text()
    assert page.locator("#check-in-counts").inner_text() == "1 of 2 checked in"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "check-in-scanned.png"), full_page=True)
    assert serious_violations_in(page, "#check-in") == []
    fresh = Registration.objects.get(pk=registration.pk)
    assert fresh.checked_in_by == helper and fresh.checked_in_at is not None

    # Held in front of the camera, the ticket stays one scan: the answer stays "checked in".
    page.wait_for_timeout(4000)
    assert page.locator("#check-in-answer").get_attribute("data-result") == "checked_in"

    # The second helper's phone films the same ticket: "already checked in", when, by whom.
    other_helper = UserFactory(username="door2")
    grant(event, other_helper, role=Role.CHECKIN)
    other_context = signed_in_context(browser, live_server, other_helper)
    other_page = other_context.new_page()
    other_page.set_default_timeout(20_000)
    other_page.on("console", problems.console)
    other_page.on("pageerror", problems.page_error)
    other_page.goto(f"/orga/events/{event.slug}/check-in/")
    other_page.get_by_role("button", name="Start the camera").click()
    already = other_page.locator('#check-in-answer[data-result="already_checked_in"]')
    already.wait_for()
    other_page.screenshot(path=str(ARTIFACTS / "check-in-already.png"), full_page=True)
    assert "Already checked in at" in already.inner_text()
    assert "by Dana Door: Amina Diallo" in already.inner_text()
    other_context.close()

    page.get_by_role("button", name="Stop the camera").click()
    page.get_by_role("button", name="Undo this check-in").click()
    page.locator('#check-in-answer[data-result="undone"]').wait_for()
    assert page.locator("#check-in-counts").inner_text() == "0 of 2 checked in"
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None

    # A ticket left at home: found by name, checked in from the list, without a reload.
    page.get_by_label("Name or email (two letters at least)").fill("bram")
    page.get_by_role("button", name="Find").click()
    page.locator("#found").get_by_role("button", name="Check in").click()
    page.locator('#check-in-answer[data-result="checked_in"]').wait_for()
    assert "Bram de Vries" in page.locator("#check-in-answer").inner_text()
    context.close()
    assert problems.messages == []
