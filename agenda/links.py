"""Absolute addresses of public pages and feeds, built from SITE_URL (the canonical host)."""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def event_page_url(slug: str) -> str:
    return absolute(f"/events/{slug}/")


def event_feed_url(slug: str) -> str:
    return absolute(f"/feeds/events/{slug}.ics")


def event_api_url(slug: str) -> str:
    return absolute(reverse("api:event-detail", kwargs={"slug": slug}))
