"""Loading the demo agenda into the database: creates what is missing, never touches the rest."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from agenda.enums import EventFormat, EventStatus, SessionStatus
from agenda.models import Event, Room, Session, Speaker, Tag, Track
from agenda.services import save_event

from . import archive_autumn, archive_spring, archive_summer, archive_winter
from .catalogue import SPEAKERS, TAGS, TRACKS, VENUES
from .profiles import PROFILES
from .specs import EventSpec, SessionSpec
from .upcoming import upcoming_events

ARCHIVE_2021: tuple[EventSpec, ...] = (
    *archive_spring.EVENTS,
    *archive_summer.EVENTS,
    *archive_autumn.EVENTS,
    *archive_winter.EVENTS,
)

ONLINE_URL = "https://meet.example.org/{slug}"


@dataclass(frozen=True)
class DemoLoadReport:
    """What one run of ``load_demo_agenda`` did."""

    events_created: int
    events_present: int  # skipped because an event with their slug already exists
    sessions_created: int
    speakers_created: int
    topics_created: int


def load_demo_agenda(*, today: dt.date | None = None) -> DemoLoadReport:
    """Create the demo agenda: the 2021 archive and a few events ahead of ``today``.

    ``today`` defaults to the current local date; the upcoming events are dated from it, and
    the upcoming webinar from the current time of day on it. An event whose slug already
    exists is skipped with all its sessions, so a rerun duplicates nothing and keeps edits;
    topics are matched by slug (or name) and speakers by role and organization.

    Side effects: inserts events with their tracks, rooms, sessions and topic links, plus any
    missing topics and speakers, all in one transaction; every row is validated with
    ``full_clean()`` before it is written (for sessions, leaving foreign keys, uniqueness and
    check constraints to the database at the bulk insert). Sends no signals and enqueues
    nothing: new events have no attendees to tell.
    """
    now = timezone.now()
    if today is None:
        today = timezone.localdate(now)
    else:
        # The same time of day, on the day asked for.
        now += today - timezone.localdate(now)
    specs = (*ARCHIVE_2021, *upcoming_events(today=today, now=now))
    with transaction.atomic():
        present = set(
            Event.objects.filter(slug__in=[spec.slug for spec in specs]).values_list(
                "slug", flat=True
            )
        )
        builder = _DemoBuilder()
        for spec in specs:
            if spec.slug not in present:
                builder.add_event(spec)
        builder.insert_sessions()
    return DemoLoadReport(
        events_created=builder.events_created,
        events_present=len(present),
        sessions_created=builder.sessions_created,
        speakers_created=builder.speakers_created,
        topics_created=builder.topics_created,
    )


def local_moment(day: dt.date, clock: str, zone: ZoneInfo) -> dt.datetime:
    """The aware moment of wall-clock time ``clock`` ("09:30") on ``day`` in ``zone``."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=zone)


class _DemoBuilder:
    """Creates events one by one and collects their sessions for a single bulk insert."""

    def __init__(self) -> None:
        self._topics: dict[str, Tag] = {}
        self._speakers: dict[str, Speaker] = {}
        self._sessions: list[tuple[Session, list[Speaker]]] = []
        self.events_created = 0
        self.sessions_created = 0
        self.speakers_created = 0
        self.topics_created = 0

    def add_event(self, spec: EventSpec) -> None:
        zone = ZoneInfo(spec.timezone)
        start = local_moment(spec.day, spec.starts, zone)
        end = local_moment(spec.day + dt.timedelta(days=spec.days - 1), spec.ends, zone)
        opens_on = spec.registration_opens_on or (
            spec.day - dt.timedelta(weeks=spec.registration_weeks)
        )
        venue_name, venue_address = VENUES[spec.venue] if spec.venue else ("", "")
        event = Event(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            description=spec.description,
            kind=spec.kind,
            format=spec.format,
            timezone=spec.timezone,
            start=start,
            end=end,
            venue_name=venue_name,
            venue_address=venue_address,
            online_url=(
                ONLINE_URL.format(slug=spec.slug)
                if spec.format != EventFormat.IN_PERSON
                else ""
            ),
            capacity=spec.capacity,
            registration_opens_at=local_moment(opens_on, "09:00", zone),
            registration_closes_at=(
                start - dt.timedelta(days=1) if spec.registration_closes_day_before else None
            ),
            requires_approval=spec.requires_approval,
            status=spec.status,
        )
        save_event(event=event)  # validates with full_clean()
        event.tags.set([self._topic(slug) for slug in spec.tags])
        self.events_created += 1

        tracks = {key: self._track(event, key) for key in spec.tracks}
        rooms = {name: self._room(event, name, seats) for name, seats in spec.rooms}
        for session_spec in spec.sessions:
            self._add_session(event, session_spec, spec, tracks, rooms)

    def insert_sessions(self) -> None:
        """Insert the collected (already validated) sessions and their speaker links."""
        sessions = Session.objects.bulk_create([session for session, _ in self._sessions])
        links = [
            Session.speakers.through(session_id=session.pk, speaker_id=speaker.pk)
            for session, (_, speakers) in zip(sessions, self._sessions, strict=True)
            for speaker in speakers
        ]
        Session.speakers.through.objects.bulk_create(links)
        self.sessions_created += len(sessions)
        self._sessions.clear()

    def _add_session(
        self,
        event: Event,
        spec: SessionSpec,
        event_spec: EventSpec,
        tracks: dict[str, Track],
        rooms: dict[str, Room],
    ) -> None:
        zone = event.tzinfo
        start = local_moment(event_spec.day + dt.timedelta(days=spec.day), spec.starts, zone)
        cancelled = spec.cancelled or event_spec.status == EventStatus.CANCELLED
        session = Session(
            event=event,
            title=spec.title,
            abstract=spec.abstract,
            start=start,
            end=start + dt.timedelta(minutes=spec.minutes),
            track=tracks[spec.track] if spec.track else None,
            room=self._session_room(spec, event_spec, rooms),
            capacity=spec.capacity,
            status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
        )
        # Creating a session has no side effects beyond validation (see
        # agenda.services.save_session), so validated rows can be inserted in bulk. The field
        # validators and the model's clean() (within the event's span, the event's own track
        # and room) run here; what the database enforces again at that insert, in this same
        # transaction (foreign keys, the unique uuid, the check constraints), is not queried
        # row by row: that was ~2,000 round trips, most of the loader's time on PostgreSQL.
        session.full_clean(
            exclude=["event", "track", "room"], validate_unique=False, validate_constraints=False
        )
        self._sessions.append((session, [self._speaker(key) for key in spec.speakers]))

    @staticmethod
    def _session_room(
        spec: SessionSpec, event_spec: EventSpec, rooms: dict[str, Room]
    ) -> Room | None:
        if spec.room:
            return rooms[spec.room]
        if not rooms:
            return None
        # Without an explicit room, a track keeps to one room; untracked sessions are plenary.
        ordered = list(rooms.values())
        if spec.track:
            return ordered[event_spec.tracks.index(spec.track) % len(ordered)]
        return ordered[0]

    @staticmethod
    def _track(event: Event, key: str) -> Track:
        name, color = TRACKS[key]
        track = Track(event=event, name=name, slug=key, color=color)
        track.full_clean()
        track.save()
        return track

    @staticmethod
    def _room(event: Event, name: str, seats: int | None) -> Room:
        room = Room(event=event, name=name, capacity=seats)
        room.full_clean()
        room.save()
        return room

    def _topic(self, slug: str) -> Tag:
        if slug not in self._topics:
            name = TAGS[slug]
            # Tag names are unique too: reuse a topic someone created under another slug.
            topic = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
            if topic is None:
                topic = Tag(slug=slug, name=name)
                topic.full_clean()
                topic.save()
                self.topics_created += 1
            self._topics[slug] = topic
        return self._topics[slug]

    def _speaker(self, key: str) -> Speaker:
        if key not in self._speakers:
            role, organization = SPEAKERS[key]
            name, bio = PROFILES.get(key, ("", ""))
            # Speakers have no unique key: name, role and organization stand for one.
            speaker = (
                Speaker.objects.filter(name=name, role=role, organization=organization)
                .order_by("pk")
                .first()
            )
            if speaker is None:
                speaker = Speaker(name=name, role=role, organization=organization, bio=bio)
                speaker.full_clean()
                speaker.save()
                self.speakers_created += 1
            self._speakers[key] = speaker
        return self._speakers[key]
