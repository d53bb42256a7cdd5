"""The rows path of the public list endpoints: the JSON of ``EventSerializer`` and
``SessionListSerializer``, shaped from ``agenda.selectors`` rows by plain functions.

Why: a page of sessions through the nested serializers runs DRF's field machinery (a
``to_representation`` per field, per room, track and speaker) and builds a model instance per
row; that was most of the time of a list request. The serializers stay the reference (they
serve the details and the schema): ``tests/agenda/test_api_list_paths.py`` checks that both
give the same bytes on varied data, so a field added to a serializer must be added here too.
"""

import re
import zoneinfo
from collections.abc import Callable, Iterable

from agenda import links, selectors
from agenda.enums import EventFormat
from agenda.models import Speaker

# The slugs the API's router can reverse (``EventViewSet.lookup_value_regex``): for those,
# one reversed address serves as a template; any other goes through ``reverse`` as before.
_ROUTABLE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARKER = "event-slug-marker"


def _event_api_urls() -> Callable[[str], str]:
    before, _, after = links.event_api_url(_MARKER).rpartition(_MARKER)

    def url(slug: str) -> str:
        if _ROUTABLE_SLUG.fullmatch(slug):
            return f"{before}{slug}{after}"
        return links.event_api_url(slug)

    return url


def _zone(name: str) -> zoneinfo.ZoneInfo:
    # As ``Event.tzinfo`` (ZoneInfo keeps its own cache of zones).
    return zoneinfo.ZoneInfo(name)


def event_items(rows: Iterable[dict]) -> list[dict]:
    """``EventSerializer``'s output for events given as ``selectors.event_rows`` (one query
    for their topics)."""
    rows = list(rows)
    tags = selectors.tags_by_event(row["id"] for row in rows)
    api_url = _event_api_urls()
    items = []
    for row in rows:
        slug, zone = row["slug"], _zone(row["timezone"])
        # An online event has no venue, even if one was left over (``get_venue``).
        if row["format"] == EventFormat.ONLINE or not row["venue_name"]:
            venue = None
        else:
            venue = {"name": row["venue_name"], "address": row["venue_address"]}
        items.append({
            "slug": slug,
            "title": row["title"],
            "summary": row["summary"],
            "kind": row["kind"],
            "format": row["format"],
            "timezone": row["timezone"],
            "start": row["start"].astimezone(zone).isoformat(),
            "end": row["end"].astimezone(zone).isoformat(),
            "venue": venue,
            "capacity": row["capacity"],
            "status": row["status"],
            "tags": tags.get(row["id"], []),
            "links": {
                "self": api_url(slug),
                "page": links.event_page_url(slug),
                "ical": links.event_feed_url(slug),
            },
        })
    return items


class _SpeakerNames:
    """Just what ``Speaker.display_name`` reads, so the rule stays the model's alone."""

    __slots__ = ("name", "organization", "role")

    def __init__(self, name: str, role: str, organization: str) -> None:
        self.name, self.role, self.organization = name, role, organization


_display_name = Speaker.display_name.fget


def _speaker(speaker_id: int, name: str, role: str, organization: str, bio: str) -> dict:
    return {
        "id": speaker_id,
        "name": name,
        "role": role,
        "organization": organization,
        "display_name": _display_name(_SpeakerNames(name, role, organization)),
        "bio": bio,
    }


def session_items(rows: Iterable[dict]) -> list[dict]:
    """``SessionListSerializer``'s output for sessions given as ``selectors.session_rows``
    (one query for their speakers)."""
    rows = list(rows)
    speakers = selectors.speakers_by_session(row["id"] for row in rows)
    items = []
    for row in rows:
        zone = _zone(row["event__timezone"])
        room = row["room_id"]
        track = row["track_id"]
        items.append({
            "id": row["id"],
            "uuid": str(row["uuid"]),
            "event": row["event__slug"],
            "title": row["title"],
            "abstract": row["abstract"],
            "start": row["start"].astimezone(zone).isoformat(),
            "end": row["end"].astimezone(zone).isoformat(),
            "status": row["status"],
            "room": None if room is None else {"id": room, "name": row["room__name"]},
            "track": None if track is None else {
                "slug": row["track__slug"], "name": row["track__name"],
                "color": row["track__color"],
            },
            "speakers": [_speaker(*speaker) for speaker in speakers.get(row["id"], ())],
            "capacity": row["capacity"],
        })
    return items
