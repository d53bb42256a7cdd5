"""Public calendar feeds and one-item downloads. Anonymous: calendar clients send no cookies.

* ``/feeds/agenda.ics``: every published (and cancelled) event, one VEVENT each, with the
  events API's filters; past events stay for ``AGENDA_FEED_PAST`` after they end.
* ``/feeds/events/<slug>.ics``: an event's sessions, one VEVENT each (the event itself when
  it has none).
* ``/feeds/events/<slug>/event.ics`` and ``/feeds/sessions/<uuid>.ics``: one item to add.

Every feed takes ``all_day=1`` (a multi-day event as whole days) and ``alarm=<minutes>``.
"""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agenda import ical
from agenda.models import Event

from . import items, selectors, store
from .options import FeedOptions, FeedQueryError, canonical_query, parse_feed_query
from .responses import bad_request, calendar_response, not_found


@require_safe
def agenda_feed(request: HttpRequest) -> HttpResponse:
    try:
        options, filters = parse_feed_query(request.GET, filter_names=selectors.AGENDA_FILTERS)
        events = selectors.agenda_feed_events(filters, now=timezone.now())
    except FeedQueryError as error:
        return bad_request(error.errors)

    def build() -> bytes | None:
        rows = selectors.agenda_feed_rows(events)
        info = ical.CalendarInfo(
            name=_("Agenda"),
            description=_("Published events; a cancelled one stays, marked cancelled."),
        )
        feed_items = [items.event_item(event, all_day=options.all_day) for event in rows]
        return _serialize(info, feed_items, options)

    return calendar_response(
        request,
        state=selectors.agenda_state(events),
        variant=("agenda", canonical_query(request.GET)),
        build=build,
        filename="agenda.ics",
    )


@require_safe
def event_feed(request: HttpRequest, slug: str) -> HttpResponse:
    def body(options: FeedOptions) -> bytes | None:
        return event_feed_body(state, options, use_store=store.enabled())

    state = selectors.event_state_by_slug(slug)
    return _one_event_feed(request, state, body, variant=("event-feed",), filename=f"{slug}.ics")


def event_feed_body(
    state: selectors.FeedState, options: FeedOptions, *, use_store: bool
) -> bytes | None:
    """The event feed's bytes (None when the event is gone): its sessions, or the event
    itself when it has none. ``use_store`` joins the sessions' stored VEVENTs
    (``agenda.feeds.store``); without it, everything is built from the database. Both give
    the same bytes."""
    if use_store:
        made = store.session_pieces(state)
        if made is not None:
            event, pieces = made
            return ical.assemble(
                _event_info(event), pieces, alarm_minutes=options.alarm_minutes
            )
    event = selectors.event_by_id(state.event_id)
    if event is None:
        return None
    info = _event_info(event)
    if not use_store:
        session_items = store.build_plainly(event)
        if session_items:
            return _serialize(info, session_items, options)
    selectors.with_categories([event])
    return _serialize(info, [items.event_item(event, all_day=options.all_day)], options)


@require_safe
def event_download(request: HttpRequest, slug: str) -> HttpResponse:
    def feed_items(options: FeedOptions):
        event = selectors.event_by_id(state.event_id)
        if event is None:
            return None
        selectors.with_categories([event])
        return _event_info(event), [items.event_item(event, all_day=options.all_day)]

    state = selectors.event_state_by_slug(slug)
    return _one_event_feed(
        request, state, _serialized(feed_items), variant=("event-download",),
        filename=f"{slug}.ics", attachment=True,
    )


@require_safe
def session_download(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    def feed_items(options: FeedOptions):
        session = selectors.session_with_event(session_uuid)
        if session is None:
            return None
        selectors.with_categories([session.event], tracks=False)
        selectors.with_speakers([session])
        return _event_info(session.event), [items.session_item(session)]

    return _one_event_feed(
        request,
        selectors.session_state(session_uuid),
        _serialized(feed_items),
        variant=("session-download", str(session_uuid)),
        filename=f"session-{session_uuid}.ics",
        attachment=True,
    )


def _one_event_feed(
    request: HttpRequest,
    state: selectors.FeedState,
    body: Callable[[FeedOptions], bytes | None],
    *,
    variant: tuple,
    filename: str,
    attachment: bool = False,
) -> HttpResponse:
    """A feed about one event: 404 unless its state found it, 400 for bad options, else
    the conditional response whose bytes ``body`` gives for the options (None: gone since)."""
    if not state.found:
        return not_found()
    try:
        options, _filters = parse_feed_query(request.GET)
    except FeedQueryError as error:
        return bad_request(error.errors)
    return calendar_response(
        request,
        state=state,
        variant=(*variant, canonical_query(request.GET)),
        build=lambda: body(options),
        filename=filename,
        attachment=attachment,
    )


def _serialized(
    feed_items: Callable[[FeedOptions], tuple[ical.CalendarInfo, list[ical.FeedItem]] | None],
) -> Callable[[FeedOptions], bytes | None]:
    """The body of a feed whose calendar ``feed_items`` supplies (None: gone since)."""

    def body(options: FeedOptions) -> bytes | None:
        made = feed_items(options)
        return None if made is None else _serialize(*made, options)

    return body


def _event_info(event: Event) -> ical.CalendarInfo:
    return ical.CalendarInfo(name=event.title, description=event.summary)


def _serialize(
    info: ical.CalendarInfo, feed_items: list[ical.FeedItem], options: FeedOptions
) -> bytes:
    calendar = ical.build_calendar(info, feed_items, alarm_minutes=options.alarm_minutes)
    return ical.serialize(calendar)
