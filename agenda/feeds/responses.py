"""HTTP for calendars: content type, file name, caching headers and conditional requests.

Clients poll feeds for months, so a poll of an unchanged feed must cost next to nothing: the
ETag and Last-Modified come from the feed's database state (``FeedState``), read in one cheap
query, and a matching ``If-None-Match`` or ``If-Modified-Since`` is answered 304 before the
calendar is built.
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language

from .selectors import FeedState

CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 300  # seconds a client or cache may reuse a feed without asking
# Raise whenever the bytes written for the same data change (wording, properties, order), so
# that clients holding an old ETag are sent the new form.
FEED_FORMAT_VERSION = 1
# Last-Modified of a feed with nothing in it.
EMPTY_FEED_TIMESTAMP = 0


class CalendarResponse(HttpResponse):
    """An iCalendar body with its file name and its caching headers."""

    def __init__(
        self,
        body: bytes,
        *,
        filename: str,
        validators: "Validators",
        private: bool = False,
        attachment: bool = False,
    ) -> None:
        super().__init__(body, content_type=CONTENT_TYPE)
        disposition = "attachment" if attachment else "inline"
        self["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        validators.apply(self, private=private)


class Validators:
    """ETag and Last-Modified of one representation of a feed."""

    __slots__ = ("etag", "timestamp")

    def __init__(self, state: FeedState, variant: Iterable[Any]) -> None:
        self.etag = _etag(
            (
                FEED_FORMAT_VERSION, settings.SITE_URL, settings.SITE_DOMAIN, get_language(),
                tuple(variant), state.parts,
            )
        )
        self.timestamp = (
            int(state.last_modified.timestamp())
            if state.last_modified is not None
            else EMPTY_FEED_TIMESTAMP
        )

    def apply(self, response: HttpResponse, *, private: bool) -> None:
        response["ETag"] = self.etag
        response["Last-Modified"] = _http_date(self.timestamp)
        response["Cache-Control"] = _CACHE_CONTROL[private]
        if private:
            response["X-Robots-Tag"] = "noindex"

    def not_modified(self, request: HttpRequest, *, use_dates: bool = True) -> bool:
        """Whether the client's copy is current (RFC 9110 section 13.2.2, for GET and HEAD).

        If-None-Match wins when present. If-Modified-Since counts only when it is exactly our
        Last-Modified: a feed's Last-Modified can go back in time (its newest item deleted),
        and "not newer than the client's date" would then hide the deletion.
        """
        # META rather than request.headers, which copies every header on first use.
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            if if_none_match == self.etag:  # what a client sends back, nearly always
                return True
            etags = parse_etags(if_none_match)
            return "*" in etags or self.etag in {tag.removeprefix("W/") for tag in etags}
        if not use_dates:
            return False
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and since == self.timestamp


_CACHE_CONTROL = {
    False: f"public, max-age={MAX_AGE}",
    True: f"private, max-age={MAX_AGE}",
}


# Cached: a poll of an unchanged feed asks for the same ETag and date over and over.
@functools.lru_cache(maxsize=4096)
def _etag(fingerprint: tuple[Any, ...]) -> str:
    """The ETag of ``fingerprint`` (hashable values: the feed's state and variant)."""
    text = json.dumps(fingerprint, default=str, separators=(",", ":"))
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


@functools.lru_cache(maxsize=1024)
def _http_date(timestamp: int) -> str:
    return http_date(timestamp)


def calendar_response(
    request: HttpRequest,
    *,
    state: FeedState,
    variant: Iterable[Any],
    build: Callable[[], bytes | None],
    filename: str,
    private: bool = False,
    attachment: bool = False,
    use_dates: bool = True,
) -> HttpResponse:
    """304 when the client's copy is current, else the calendar ``build()`` makes (a 404
    when it returns None: what the state found was deleted in between).

    ``variant`` is whatever besides the state selects the bytes (the feed, its options and
    filters). ``use_dates=False`` answers only If-None-Match, for feeds whose content can
    change without any timestamp moving.
    """
    # The state is read before the calendar is built: should the data change in between, the
    # body is newer than its ETag and the next poll fetches it again, never the other way.
    validators = Validators(state, variant)
    if validators.not_modified(request, use_dates=use_dates):
        response = HttpResponseNotModified()
        validators.apply(response, private=private)
        return response
    body = build()
    if body is None:
        return not_found()
    return CalendarResponse(
        body, filename=filename, validators=validators, private=private, attachment=attachment
    )


def not_found() -> HttpResponse:
    """The one 404 of every feed: it says nothing about what was asked for."""
    return HttpResponse(
        b"Not found.\n", status=404, content_type="text/plain; charset=utf-8"
    )


def bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    """A 400 in the API's error shape, naming each refused parameter."""
    name, messages = next(iter(errors.items()))
    return JsonResponse(
        {"detail": f"{name}: {messages[0]}", "code": "invalid", "errors": errors}, status=400
    )
