"""Events and sessions as calendar items: the words and values a subscriber's calendar shows.

No queries: callers load topics, tracks, rooms and speakers first (``agenda.feeds.selectors``).
Never the online join link: that is for registered attendees (``registrations.feeds``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from agenda import ical, links
from agenda.enums import EventFormat, EventStatus, SessionStatus
from agenda.models import Event, Session


@dataclass(frozen=True, slots=True)
class _EventContext:
    """What every item of one event shares, worked out once per event."""

    domain: str
    page_url: str
    kind: str
    topics: tuple[str, ...]
    cancelled: bool

    @classmethod
    def of(cls, event: Event, topics: tuple[str, ...] | None = None) -> "_EventContext":
        return cls(
            domain=settings.SITE_DOMAIN,
            page_url=links.event_page_url(event.slug),
            kind=str(event.get_kind_display()),
            topics=tuple(tag.name for tag in event.tags.all()) if topics is None else topics,
            cancelled=event.status == EventStatus.CANCELLED,
        )


def event_item(event: Event, *, all_day: bool = False) -> ical.FeedItem:
    """The whole event as one item; with ``all_day``, a multi-day event covers whole days.

    Needs ``event.tags`` and ``event.tracks`` loaded.
    """
    context = _EventContext.of(event)
    return ical.FeedItem(
        uid=ical.event_uid(event.uuid, context.domain),
        summary=event.title,
        start=event.start,
        end=event.end,
        timezone=event.timezone,
        created=event.created_at,
        last_modified=event.updated_at,
        sequence=event.sequence,
        status=ical.ItemStatus.CANCELLED if context.cancelled else ical.ItemStatus.CONFIRMED,
        description=_paragraphs(event.summary, event.description, context.page_url),
        location=event_location(event),
        url=context.page_url,
        categories=_categories(context, [track.name for track in event.tracks.all()]),
        all_day=all_day and ical.spans_several_days(event.start, event.end, event.timezone),
    )


def session_item(session: Session) -> ical.FeedItem:
    """One session as an item; see ``session_items``."""
    return session_items([session])[0]


def session_items(
    sessions: list[Session], *, topics: tuple[str, ...] | None = None
) -> list[ical.FeedItem]:
    """Sessions as items, in the given order. Needs ``session.event`` (with its ``tags``,
    unless ``topics`` gives the names of the topics of every session's event),
    ``session.room``, ``session.track`` and ``session.speakers`` loaded.

    A session's SEQUENCE is its own plus its event's: both only ever rise, and the event's
    rises when a change of the event (cancelled, moved to another venue) changes the session
    too. Its last change is the latest of the session's, the event's and its speakers'.
    """
    contexts: dict[int, _EventContext] = {}
    speakers_label = _("Speakers: %(names)s")
    result = []
    for session in sessions:
        event = session.event
        context = contexts.get(event.pk)
        if context is None:
            context = contexts[event.pk] = _EventContext.of(event, topics)
        speakers = list(session.speakers.all())
        changed = max(session.updated_at, event.updated_at)
        for speaker in speakers:
            changed = max(changed, speaker.updated_at)
        cancelled = context.cancelled or session.status == SessionStatus.CANCELLED
        speaker_line = (
            speakers_label % {"names": "; ".join(s.display_name for s in speakers)}
            if speakers
            else ""
        )
        room = session.room.name if session.room_id is not None else ""
        result.append(
            ical.FeedItem(
                uid=ical.session_uid(session.uuid, context.domain),
                summary=session.title,
                start=session.start,
                end=session.end,
                timezone=event.timezone,
                created=session.created_at,
                last_modified=changed,
                sequence=session.sequence + event.sequence,
                status=ical.ItemStatus.CANCELLED if cancelled else ical.ItemStatus.CONFIRMED,
                description=_paragraphs(
                    session.abstract, speaker_line, f"{event.title}\n{context.page_url}"
                ),
                location=event_location(event, room=room),
                url=context.page_url,
                categories=_categories(
                    context, [session.track.name] if session.track_id is not None else []
                ),
            )
        )
    return result


def event_location(event: Event, *, room: str = "") -> str:
    """Where it happens: room, venue and address; "Online" for an online event."""
    if event.format == EventFormat.ONLINE:
        return _("Online")
    return ", ".join(part for part in (room, event.venue_name, event.venue_address) if part)


def _categories(context: _EventContext, tracks: list[str]) -> tuple[str, ...]:
    # Once each, in order: a track and a topic may share a name.
    names = (context.kind, *tracks, *context.topics)
    return tuple(dict.fromkeys(name for name in names if name))


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())
