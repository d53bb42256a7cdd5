"""Speakers' photos: an upload checked and resized with Pillow to bounded sizes, re-encoded
(which drops EXIF, GPS position included) and named by a hash of its bytes, so a name
never changes content and browsers and proxies may cache it for a year.

Pure: bytes in, bytes and names out; ``agenda.services.set_speaker_photo`` stores them.
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import AgendaError

PHOTO_SIZE = (800, 800)  # the speaker page: at most this, proportions kept
THUMBNAIL_SIZE = (240, 240)  # lists: a square, cropped from the centre
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a larger image is refused before it is decoded (decompression bombs)
FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class ResizedPhoto:
    name: str  # "speakers/<hash>.jpg"
    content: bytes


def _encode(image: Image.Image, label: str) -> ResizedPhoto:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()[:24]
    return ResizedPhoto(name=f"speakers/{digest}-{label}.jpg", content=content)


def resize_photo(upload: io.BufferedIOBase | bytes) -> tuple[ResizedPhoto, ResizedPhoto]:
    """The photo and its thumbnail, as JPEG; ``AgendaError("bad_photo")`` for anything that
    is not a JPEG, PNG or WebP image of reasonable size."""
    data = upload if isinstance(upload, bytes) else upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise AgendaError("photo_too_large", field="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise AgendaError("bad_photo", field="photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise AgendaError("photo_too_large", field="photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as error:
        raise AgendaError("bad_photo", field="photo") from error
    photo = image.copy()
    photo.thumbnail(PHOTO_SIZE, Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    return _encode(photo, "photo"), _encode(thumbnail, "thumb")

