"""Speakers' photos: resized with Pillow to bounded sizes, re-encoded without their EXIF,
named by their content and served with a year-long cache; the speaker's own page."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agenda import images, services
from agenda.errors import AgendaError
from agenda.models import Speaker
from tests.factories import EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture(width=2400, height=1600, fmt="JPEG", mode="RGB", exif=False) -> bytes:
    image = Image.new(mode, (width, height), (200, 80, 40) if mode == "RGB" else None)
    buffer = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x8825] = {2: (50.0, 50.0, 50.0)}  # GPS latitude
        data[0x010F] = "Camera maker"
        extra["exif"] = data
    image.save(buffer, format=fmt, **extra)
    return buffer.getvalue()


def test_photo_and_thumbnail_are_bounded_and_named_by_content(media_root):
    speaker = SpeakerFactory()

    services.set_speaker_photo(speaker=speaker, upload=io.BytesIO(picture()))

    speaker.refresh_from_db()
    with Image.open(speaker.photo.path) as photo, Image.open(speaker.thumbnail.path) as thumb:
        assert photo.size == (800, 533)
        assert thumb.size == images.THUMBNAIL_SIZE
        assert photo.format == thumb.format == "JPEG"
    assert speaker.photo.name.startswith("speakers/") and speaker.photo.name.endswith(
        "-photo.jpg"
    )
    assert (speaker.photo_width, speaker.photo_height) == (800, 533)


def test_the_same_photo_gets_the_same_name_and_one_file(media_root):
    first, second = SpeakerFactory(), SpeakerFactory()

    services.set_speaker_photo(speaker=first, upload=picture())
    services.set_speaker_photo(speaker=second, upload=picture())

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.photo.name == second.photo.name
    assert len(list((media_root / "speakers").iterdir())) == 2  # one photo, one thumbnail


def test_exif_with_the_gps_position_is_dropped(media_root):
    speaker = SpeakerFactory()

    services.set_speaker_photo(speaker=speaker, upload=picture(exif=True))

    speaker.refresh_from_db()
    with Image.open(speaker.photo.path) as photo:
        assert dict(photo.getexif()) == {}


def test_a_png_with_transparency_becomes_a_jpeg(media_root):
    speaker = SpeakerFactory()

    services.set_speaker_photo(speaker=speaker, upload=picture(400, 400, "PNG", "RGBA"))

    speaker.refresh_from_db()
    with Image.open(speaker.photo.path) as photo:
        assert (photo.format, photo.mode, photo.size) == ("JPEG", "RGB", (400, 400))


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not an image at all", "bad_photo"),
        (picture(fmt="GIF", mode="P"), "bad_photo"),
        (picture()[:200], "bad_photo"),
        (picture(9000, 6000, "PNG", "1"), "photo_too_large"),
    ],
)
def test_files_that_are_not_usable_photos_are_refused(content, code):
    speaker = SpeakerFactory()

    with pytest.raises(AgendaError) as refused:
        services.set_speaker_photo(speaker=speaker, upload=content)

    assert refused.value.code == code
    speaker.refresh_from_db()
    assert not speaker.photo


def test_replacing_a_photo_deletes_the_files_nobody_uses(
    media_root, django_capture_on_commit_callbacks
):
    speaker = SpeakerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_speaker_photo(speaker=speaker, upload=picture())
        services.set_speaker_photo(speaker=speaker, upload=picture(600, 600))

    assert len(list((media_root / "speakers").iterdir())) == 2


def test_media_are_served_with_a_long_immutable_cache(client, media_root):
    speaker = SpeakerFactory()
    services.set_speaker_photo(speaker=speaker, upload=picture())
    speaker.refresh_from_db()

    response = client.get(speaker.photo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/media/speakers/nothing.jpg").status_code == 404
    assert client.get("/media/../config/settings/base.py").status_code in (400, 404)


def test_admin_uploads_a_photo_through_the_service(admin_client, media_root):
    speaker = SpeakerFactory(name="Ines Moreau")
    url = reverse("admin:agenda_speaker_change", args=[speaker.pk])
    data = {"name": "Ines Moreau", "role": speaker.role, "organization": speaker.organization,
            "bio": "", "links": "https://example.org/ines"}

    refused = admin_client.post(url, {**data, "photo_upload": SimpleUploadedFile(
        "cv.pdf", b"%PDF-1.4", content_type="application/pdf")})
    saved = admin_client.post(url, {**data, "photo_upload": SimpleUploadedFile(
        "me.jpg", picture(), content_type="image/jpeg")})

    assert refused.status_code == 200
    assert "This file is not a photo we can read" in refused.content.decode()
    assert saved.status_code == 302
    speaker.refresh_from_db()
    assert speaker.thumbnail.name.endswith("-thumb.jpg")
    assert speaker.link_list == ["https://example.org/ines"]


def test_links_must_be_web_addresses():
    speaker = SpeakerFactory.build(links="https://example.org\njavascript:alert(1)")

    with pytest.raises(Exception) as refused:
        speaker.full_clean()

    assert "javascript:alert(1)" in str(refused.value)


# --- The speaker's page ------------------------------------------------------------------------


def test_speaker_page_lists_sessions_across_public_events(client, media_root):
    speaker = SpeakerFactory(name="Ines Moreau", bio="Twenty years in cocoa supply chains.",
                             links="https://example.org/ines")
    services.set_speaker_photo(speaker=speaker, upload=picture())
    past = EventFactory(title="Cocoa Forum 2021",
                        start=dt.datetime(2021, 5, 4, 8, tzinfo=dt.UTC),
                        end=dt.datetime(2021, 5, 4, 16, tzinfo=dt.UTC))
    upcoming = EventFactory(title="Cocoa Forum 2040",
                            start=dt.datetime(2040, 5, 4, 8, tzinfo=dt.UTC),
                            end=dt.datetime(2040, 5, 4, 16, tzinfo=dt.UTC))
    draft = EventFactory(title="Secret Draft", status="draft")
    for event, title in ((past, "Old talk"), (upcoming, "New talk"), (draft, "Hidden talk")):
        SessionFactory(event=event, title=title, speakers=[speaker],
                       start=event.start, end=event.start + dt.timedelta(hours=1))

    response = client.get(f"/speakers/{speaker.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ines Moreau</h1>" in html
    assert "Twenty years in cocoa supply chains." in html
    assert 'href="https://example.org/ines"' in html
    assert html.index("Upcoming sessions") < html.index("New talk") < html.index("Past sessions")
    assert html.index("Past sessions") < html.index("Old talk")
    assert "Hidden talk" not in html and "Secret Draft" not in html
    assert "/media/speakers/" in html


def test_speaker_of_drafts_only_or_unknown_is_not_found(client):
    speaker = SpeakerFactory()
    SessionFactory(event=EventFactory(status="draft"), speakers=[speaker])

    assert client.get(f"/speakers/{speaker.pk}/").status_code == 404
    assert client.get("/speakers/99999999999999999999999/").status_code == 404
    assert Speaker.objects.count() == 1


def test_event_speaker_list_links_each_speaker_to_their_page(client):
    speaker = SpeakerFactory(name="Ines Moreau")
    event = EventFactory()
    SessionFactory(event=event, speakers=[speaker])

    html = client.get(f"/events/{event.slug}/speakers/").content.decode()

    assert f'href="/speakers/{speaker.pk}/"' in html


def test_speaker_page_queries_do_not_grow_with_sessions(client, django_assert_max_num_queries):
    speaker = SpeakerFactory()
    for _ in range(6):
        SessionFactory(speakers=[speaker])

    with django_assert_max_num_queries(2):
        assert client.get(f"/speakers/{speaker.pk}/").status_code == 200
