"""The timetable in Chromium: a room × time grid on a desktop, a list in time order on a
phone; the session page; and the manage page saying which ticked sessions overlap before
anything is saved."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def forum():
    start = (timezone.now() + dt.timedelta(days=30)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    event = EventFactory(title="Supply Chain Forum", start=start,
                         end=start + dt.timedelta(hours=8), capacity=80)
    hall = RoomFactory(event=event, name="Hall")
    annex = RoomFactory(event=event, name="Annex")

    def session(title, room, begin, hours, **fields):
        return SessionFactory(event=event, title=title, room=room,
                              start=start + dt.timedelta(hours=begin),
                              end=start + dt.timedelta(hours=begin + hours), **fields)

    sessions = {
        "lunch": session("Networking lunch", None, 5, 1),
        "opening": session("Opening plenary", None, 0, 1),
        "audits": session("Audit results", hall, 1, 2),
        "costing": session("Costing commitments", annex, 1.5, 1, capacity=20),
    }
    return event, sessions


def box(page, locator):
    return page.locator(locator).bounding_box()


def test_programme_is_a_grid_on_desktop_and_a_time_ordered_list_on_a_phone(
    open_page, device, snap, assert_accessible
):
    event, sessions = forum()
    page = open_page(device)

    page.goto(f"/events/{event.slug}/")
    snap(page, "timetable")
    assert_accessible(page)

    titles = page.locator(".timetable .session-title").all_inner_texts()
    assert titles == ["Opening plenary", "Audit results", "Costing commitments",
                      "Networking lunch"]
    audits = box(page, f'li:has(a[href$="/sessions/{sessions["audits"].pk}/"])')
    costing = box(page, f'li:has(a[href$="/sessions/{sessions["costing"].pk}/"])')
    if device == "desktop":
        assert page.locator(".tt-head").first.is_visible()
        # Side by side in their rooms' columns (Annex before Hall), overlapping in time.
        assert costing["x"] + costing["width"] <= audits["x"]
        assert costing["y"] < audits["y"] + audits["height"]
    else:
        assert not page.locator(".tt-head").first.is_visible()
        assert audits["y"] + audits["height"] <= costing["y"]  # one under the other

    page.get_by_role("link", name="Costing commitments", exact=True).click()
    page.wait_for_load_state()
    snap(page, "session")
    assert page.get_by_role("heading", name="Costing commitments", level=1).is_visible()
    assert page.get_by_text("20 seats left").is_visible()
    assert_accessible(page)


def test_manage_page_warns_of_overlapping_sessions_before_saving(
    open_page, device, snap, assert_accessible
):
    event, sessions = forum()
    registration = RegistrationFactory(event=event, session_ids=[sessions["audits"].pk])
    page = open_page(device)

    page.goto(f"/manage/{registration.manage_token}/")
    warning = page.locator("#overlap-warning")
    assert not warning.is_visible()

    page.get_by_label("Costing commitments").check()
    snap(page, "overlap-warning")

    assert warning.is_visible()
    assert "“Audit results” and “Costing commitments” overlap in time." in warning.inner_text()
    assert_accessible(page)
    page.get_by_label("Costing commitments").uncheck()
    assert not warning.is_visible()

    # From the schedule to the session's own page, and back with the session added.
    page.get_by_label("Costing commitments").check()
    page.get_by_role("link", name="About this session · Networking lunch").click()
    page.get_by_role("button", name="Add to my registration").click()
    page.wait_for_load_state()
    assert page.get_by_text("The session is in your registration.").is_visible()
    assert registration.session_choices.filter(session=sessions["lunch"]).exists()


def test_speaker_page_with_photo_is_accessible(open_page, device, snap, assert_accessible,
                                               settings, tmp_path):
    import io

    from PIL import Image

    from agenda import services
    from tests.factories import SpeakerFactory

    settings.MEDIA_ROOT = tmp_path
    event, sessions = forum()
    speaker = SpeakerFactory(name="Ines Moreau", bio="Twenty years in cocoa supply chains.",
                             links="https://example.org/ines")
    sessions["audits"].speakers.add(speaker)
    buffer = io.BytesIO()
    Image.new("RGB", (900, 1200), (90, 120, 160)).save(buffer, format="JPEG")
    services.set_speaker_photo(speaker=speaker, upload=buffer.getvalue())
    page = open_page(device)

    page.goto(f"/events/{event.slug}/speakers/")
    page.get_by_role("link", name="Ines Moreau").click()
    page.wait_for_load_state()
    snap(page, "speaker")

    assert page.get_by_role("heading", name="Ines Moreau", level=1).is_visible()
    assert page.get_by_role("img", name="Photo of Ines Moreau").evaluate(
        "img => img.complete && img.naturalWidth"
    ) == 600
    assert page.get_by_role("link", name="Audit results").is_visible()
    assert_accessible(page)
