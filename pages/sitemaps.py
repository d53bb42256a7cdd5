"""``/sitemap.xml``: the agenda and every published event, at their canonical SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class CanonicalSitemap(Sitemap):
    """Addresses on SITE_URL's host and scheme, whatever host the request came to."""

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class AgendaSitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["pages:agenda"]

    def location(self, item: str) -> str:
        return reverse(item)


class EventSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return selectors.sitemap_events()

    def lastmod(self, event):
        return event.updated_at


SITEMAPS = {"agenda": AgendaSitemap, "events": EventSitemap}
