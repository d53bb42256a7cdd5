"""The personal feed, mounted under /feeds/ beside the public ones (``links.feed_url``)."""

from django.urls import re_path

from . import feeds

urlpatterns = [
    # Anything up to ".ics": a malformed token gets the feed's own 404, like a wrong one.
    re_path(r"^me/(?P<token>.+)\.ics$", feeds.personal_feed, name="feed-personal"),
]
