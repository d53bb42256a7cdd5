"""Links out of an event page that load nothing from other sites: the venue on OpenStreetMap
(a plain link, no embedded map or script) and share links for email, LinkedIn and X."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from agenda import links
from agenda.models import Event

OPENSTREETMAP_SEARCH = "https://www.openstreetmap.org/search"
LINKEDIN_SHARE = "https://www.linkedin.com/sharing/share-offsite/"
X_SHARE = "https://x.com/intent/post"


def map_url(event: Event) -> str:
    """The venue found on OpenStreetMap by its name and address; empty for an online event
    or one without a venue."""
    if event.format == "online" or not (event.venue_name or event.venue_address):
        return ""
    place = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return f"{OPENSTREETMAP_SEARCH}?{urlencode({'query': place}, quote_via=quote)}"


@dataclass(frozen=True)
class ShareLinks:
    email: str
    linkedin: str
    x: str


def share_links(event: Event) -> ShareLinks:
    page = links.event_page_url(event.slug)
    return ShareLinks(
        email="mailto:?" + urlencode(
            {"subject": event.title, "body": f"{event.title}\n{page}"}, quote_via=quote
        ),
        linkedin=f"{LINKEDIN_SHARE}?{urlencode({'url': page}, quote_via=quote)}",
        x=f"{X_SHARE}?{urlencode({'text': event.title, 'url': page}, quote_via=quote)}",
    )
