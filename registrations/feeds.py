"""The personal feed of a registration: ``/feeds/me/<feed token>.ics``.

It holds the event the attendee registered for and the sessions they chose (confirmed,
waitlisted or requested; a released choice leaves the feed), with the online join link for a
confirmed registration. Its token is not the management token: it is rotated by
``services.rotate_feed_token`` and dies with an erasure. A cancelled registration keeps its
items, marked cancelled, so subscribed calendars remove them rather than keep stale ones.

Items are those of the public feeds (``agenda.feeds.items``, same UIDs), adjusted to the
attendee: TENTATIVE while waiting for a seat or an approval, CANCELLED once the registration
is cancelled (its SEQUENCE one higher: a cancellation is final, so it never goes back down).
"""

import dataclasses

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agenda import ical
from agenda.enums import EventStatus
from agenda.feeds import items
from agenda.feeds import selectors as feed_selectors
from agenda.feeds.options import FeedQueryError, canonical_query, parse_feed_query
from agenda.feeds.responses import bad_request, calendar_response, not_found
from agenda.models import Event

from . import selectors, services
from .enums import RegistrationStatus, SessionChoiceStatus
from .models import Registration, SessionChoice


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_feed_token(token)
    # Malformed, revoked, unknown or erased: the same 404, so a token's past is not told.
    if registration is None or registration.erased_at is not None:
        return not_found()
    services.count_feed_fetch(event_id=registration.event_id)
    try:
        options, _filters = parse_feed_query(request.GET)
    except FeedQueryError as error:
        return bad_request(error.errors)
    event = registration.event
    event_state = feed_selectors.event_state_by_id(event.pk)
    state = feed_selectors.FeedState(
        found=True,
        event_id=event.pk,
        last_modified=max(
            moment
            for moment in (event_state.last_modified, registration.updated_at)
            if moment is not None
        ),
        parts=(
            *event_state.parts,
            registration.pk,
            registration.status,
            registration.updated_at.isoformat(),
            # Choices carry no timestamp: their statuses themselves are the state.
            tuple(
                (choice.pk, choice.session_id, choice.status)
                for choice in registration.active_choices
            ),
        ),
    )

    def build() -> bytes:
        feed_items = personal_items(registration, event, all_day=options.all_day)
        calendar = ical.build_calendar(
            ical.CalendarInfo(
                name=_("%(event)s: my agenda") % {"event": event.title},
                description=_(
                    "Your registration and the sessions you chose. This link is private: "
                    "whoever has it sees your agenda."
                ),
            ),
            feed_items,
            alarm_minutes=options.alarm_minutes,
        )
        return ical.serialize(calendar)

    return calendar_response(
        request,
        state=state,
        variant=("personal", canonical_query(request.GET)),
        build=build,
        filename=f"my-agenda-{event.slug}.ics",
        private=True,
        # A seat confirmed from the waitlist moves no timestamp: only the ETag can tell.
        use_dates=False,
    )


def personal_items(
    registration: Registration, event: Event, *, all_day: bool = False
) -> list[ical.FeedItem]:
    """The attendee's items: the event, then their sessions in order (none for a draft)."""
    if event.status == EventStatus.DRAFT:
        return []
    cancelled = registration.status == RegistrationStatus.CANCELLED
    if cancelled:
        # Cancelling released every choice; the sessions it held leave as cancelled items.
        choices = list(
            SessionChoice.objects.filter(registration=registration)
            .select_related("session__room", "session__track")
            .order_by("session__start", "pk")
        )
    else:
        choices = list(registration.active_choices)
    for choice in choices:
        choice.session.event = event  # a registration's sessions are all of its event
    feed_selectors.with_categories([event])
    feed_selectors.with_speakers(choice.session for choice in choices)

    join_line = ""
    if url := selectors.join_url(registration):
        join_line = _("Join online: %(url)s") % {"url": url}
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration_line = (
        ""
        if confirmed or cancelled
        else _("Your registration: %(status)s") % {"status": registration.get_status_display()}
    )
    personal = [
        _for_attendee(
            items.event_item(event, all_day=all_day),
            registration,
            tentative=not confirmed,
            lines=(registration_line, join_line),
        )
    ]
    session_items = items.session_items([choice.session for choice in choices])
    for choice, session_item in zip(choices, session_items, strict=True):
        seat_confirmed = choice.status == SessionChoiceStatus.CONFIRMED
        seat_line = (
            ""
            if not confirmed or seat_confirmed or cancelled
            else _("Your seat: %(status)s") % {"status": choice.get_status_display()}
        )
        personal.append(
            _for_attendee(
                session_item,
                registration,
                tentative=not (confirmed and seat_confirmed),
                lines=(registration_line or seat_line, join_line),
            )
        )
    return personal


def _for_attendee(
    item: ical.FeedItem, registration: Registration, *, tentative: bool, lines: tuple[str, ...]
) -> ical.FeedItem:
    cancelled = registration.status == RegistrationStatus.CANCELLED
    if cancelled or item.status == ical.ItemStatus.CANCELLED:
        status = ical.ItemStatus.CANCELLED
    elif tentative:
        status = ical.ItemStatus.TENTATIVE
    else:
        status = item.status
    description = "\n\n".join(line for line in (*lines, item.description) if line)
    return dataclasses.replace(
        item,
        status=status,
        sequence=item.sequence + (1 if cancelled else 0),
        last_modified=max(item.last_modified, registration.updated_at),
        description=description,
    )
