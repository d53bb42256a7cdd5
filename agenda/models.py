"""The agenda: events and their sessions, speakers, tracks and rooms.

Times are stored in UTC and shown in the event's own IANA time zone.
"""

import uuid
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AuditVia, EventFormat, EventKind, EventStatus, Role, SessionStatus
from .validators import validate_link_lines, validate_reminder_offsets, validate_timezone

DEFAULT_REMINDER_OFFSETS = (7 * 24 * 60, 24 * 60, 60)  # minutes: 7 days, 1 day, 1 hour
# Ids are 64-bit (DEFAULT_AUTO_FIELD is BigAutoField): a larger number cannot be one, and the
# database cannot even compare it.
MAX_ID = 2**63 - 1


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class RevisionField(models.PositiveBigIntegerField):
    """A counter the database raises by one on every ``save()`` of an existing row.

    The UPDATE that saves the row writes ``column = column + 1`` rather than the value the
    instance holds, so a stale instance never writes an old revision back; ``QuerySet.update``
    writers raise it themselves (``agenda.revisions``). The instance's attribute is not
    refreshed: read the column when you need its value.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default", 0)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool):
        if add:
            return super().pre_save(model_instance, add)
        return F(self.attname) + 1


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SeatsMixin:
    """Reads of ``capacity`` (None: unlimited) and ``seats_taken``, shared by events and
    sessions."""

    @property
    def seats_left(self) -> int | None:
        """Free seats, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity


class Tag(models.Model):
    """A topic shared across events ("due diligence", "climate"), used to filter the agenda."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Event(SeatsMixin, TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    format = models.CharField(_("format"), max_length=20, choices=EventFormat.choices)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_timezone],
        help_text=_("IANA time zone the event's times are shown in, e.g. Europe/Brussels."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online join link"),
        max_length=500,
        blank=True,
        help_text=_("Private: shown to registered attendees only, never in public listings."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty means registration stays open until the event starts."),
    )
    seats_taken = models.PositiveIntegerField(
        _("seats taken"),
        default=0,
        editable=False,
        help_text=_("Confirmed registrations; kept by the registrations floor under a row lock."),
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("topics"), related_name="events", blank=True)
    reminder_offsets = models.JSONField(
        _("reminder offsets"),
        default=default_reminder_offsets,
        blank=True,  # an empty list sends no reminders
        validators=[validate_reminder_offsets],
        help_text=_("Minutes before the start at which registered attendees are reminded."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised whenever time, place or status changes (the iCal SEQUENCE)."),
    )
    contact_name = models.CharField(
        _("contact name"), max_length=150, blank=True,
        help_text=_("Who attendees can write to about this event; shown on its page and "
                    "in its emails."),
    )
    contact_email = models.EmailField(
        _("contact email"), max_length=254, blank=True,
        help_text=_("Public: shown on the event page; attendees' replies to emails go here."),
    )
    # The feeds' validators (agenda.revisions keeps them, agenda.feeds.selectors reads them).
    content_revision = models.PositiveBigIntegerField(
        _("content revision"),
        default=0,
        editable=False,
        help_text=_(
            "Raised whenever a session, track, room, speaker or topic the event's feeds show "
            "is saved or deleted; with updated_at, it moves the feeds' ETags."
        ),
    )
    link_checksum = models.BigIntegerField(
        _("link checksum"),
        default=0,
        editable=False,
        help_text=_(
            "Sum of a hash of each speaker and topic link of the event: adding a link and "
            "removing it again gives back the same value, and the feeds their old ETags."
        ),
    )
    content_changed_at = models.DateTimeField(
        _("content changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When content_revision or link_checksum last moved (Last-Modified)."),
    )

    class Meta:
        ordering = ["start", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="event_ends_after_start"
            ),
            # The last line of defence against overbooking, whatever the code above does.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.local_start:%d %b %Y})" if self.start else self.title

    def get_absolute_url(self) -> str:
        return f"/events/{self.slug}/"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def localize(self, moment: datetime) -> datetime:
        """The moment as wall-clock time in the event's zone."""
        return timezone.localtime(moment, self.tzinfo)

    @property
    def local_start(self) -> datetime:
        return self.localize(self.start)

    @property
    def local_end(self) -> datetime:
        return self.localize(self.end)

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def registration_closes(self) -> datetime:
        return self.registration_closes_at or self.start

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.start and self.end and self.end <= self.start:
            errors.setdefault("end", []).append(_("The event must end after it starts."))
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors.setdefault("registration_closes_at", []).append(
                _("Registration must close after it opens.")
            )
        if self.registration_closes_at and self.end and self.registration_closes_at > self.end:
            errors.setdefault("registration_closes_at", []).append(
                _("Registration cannot close after the event has ended.")
            )
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors.setdefault("capacity", []).append(
                _("%(taken)d attendees are confirmed; the capacity cannot go below that. "
                  "Cancel registrations first.") % {"taken": self.seats_taken}
            )
        if self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not self.venue_name:
            errors.setdefault("venue_name", []).append(
                _("An in-person or hybrid event needs a venue.")
            )
        # ``sessions_follow`` is set on an event whose save moves its sessions along
        # (agenda.services.save_event): they will be inside the new dates.
        if self.pk and self.start and self.end and not errors \
                and not getattr(self, "sessions_follow", False):
            outside = self.sessions.filter(Q(start__lt=self.start) | Q(end__gt=self.end))
            if outside.exists():
                errors.setdefault("start", []).append(
                    _("%(count)d session(s) would fall outside the event's new dates; "
                      "move them first.") % {"count": outside.count()}
                )
        if errors:
            raise ValidationError(errors)


class Track(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    color = models.CharField(_("colour"), max_length=7, blank=True, help_text="#RRGGBB")

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="track_slug_unique_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event.title}"


class Room(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_unique_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event.title}"


class Speaker(TimestampedModel):
    """A speaker; described by role and organization where no name is published."""

    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("title or role"), max_length=150, blank=True)
    organization = models.CharField(_("organization"), max_length=150, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    # Set only by agenda.services.set_speaker_photo: resized, under content-hashed names.
    photo = models.ImageField(
        _("photo"), upload_to="speakers/", blank=True, editable=False,
        width_field="photo_width", height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="speakers/", blank=True,
                                  editable=False)
    links = models.TextField(
        _("links"), blank=True, validators=[validate_link_lines],
        help_text=_("Web addresses (website, LinkedIn, Mastodon…), one a line."),
    )

    class Meta:
        ordering = ["organization", "role", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(role="") | ~Q(organization=""),
                name="speaker_has_a_description",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return f"/speakers/{self.pk}/"

    @property
    def display_name(self) -> str:
        described = ", ".join(part for part in (self.role, self.organization) if part)
        if self.name:
            return f"{self.name} ({described})" if described else self.name
        return described

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def clean(self) -> None:
        if not (self.name or self.role or self.organization):
            raise ValidationError(_("Give the speaker a name, a role or an organization."))


class Session(SeatsMixin, TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("track"),
    )
    speakers = models.ManyToManyField(
        Speaker, related_name="sessions", blank=True, verbose_name=_("speakers")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats for this session alone (workshops); empty means the event's limit."),
    )
    seats_taken = models.PositiveIntegerField(
        _("seats taken"),
        default=0,
        editable=False,
        help_text=_("Confirmed attendees who chose this session."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised whenever time, place or status changes (the iCal SEQUENCE)."),
    )
    # What its stored VEVENT (FeedVevent) was built from: raised by every save and, through
    # agenda.revisions, by every change of its speakers, room, track or event topics.
    feed_revision = RevisionField(
        _("feed revision"),
        help_text=_("Raised whenever anything the session's calendar item shows changes."),
    )

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["event", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="session_seats_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        if self.start and self.event_id:
            return f"{self.title} ({self.local_start:%d %b %Y %H:%M})"
        return self.title

    @property
    def local_start(self) -> datetime:
        return self.event.localize(self.start)

    @property
    def local_end(self) -> datetime:
        return self.event.localize(self.end)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.start and self.end and self.end <= self.start:
            errors.setdefault("end", []).append(_("The session must end after it starts."))
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors.setdefault("capacity", []).append(
                _("%(taken)d attendees hold a seat; the capacity cannot go below that.")
                % {"taken": self.seats_taken}
            )
        try:
            event = self.event
        except Event.DoesNotExist:
            event = None
        if (
            event is not None and self.start and self.end and event.start and event.end
            and (self.start < event.start or self.end > event.end)
        ):
            errors.setdefault("start", []).append(
                _("The session must take place within its event (%(start)s – %(end)s).")
                % {
                    "start": f"{event.local_start:%Y-%m-%d %H:%M}",
                    "end": f"{event.local_end:%Y-%m-%d %H:%M} {event.timezone}",
                }
            )
        if event is not None:
            if self.room_id and self.room.event_id != event.pk:
                errors.setdefault("room", []).append(_("The room belongs to another event."))
            if self.track_id and self.track.event_id != event.pk:
                errors.setdefault("track", []).append(_("The track belongs to another event."))
        if errors:
            raise ValidationError(errors)


class FeedVevent(models.Model):
    """The serialised VEVENT of a session in one language, as the event feed writes it.

    A cache the feed keeps (``agenda.feeds.store``), never the truth: a row counts only while
    its ``revision`` is the session's ``feed_revision`` and its ``event_key`` the key of the
    event's current state; otherwise the feed builds the VEVENT again and replaces the row.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=16)
    # The session's feed_revision, read before the data the body was built from.
    revision = models.PositiveBigIntegerField()
    # What the body depends on beyond the session (agenda.feeds.store.event_key).
    event_key = models.CharField(max_length=64)
    body = models.BinaryField()
    # The VALARM lines with a stand-in TRIGGER (empty for a cancelled item: no reminder).
    alarm = models.BinaryField(blank=True, default=b"")
    # The local years its zone's VTIMEZONE must cover (None when written in UTC).
    zone_first_year = models.IntegerField(null=True)
    zone_last_year = models.IntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="feed_vevent_once_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"VEVENT of session {self.session_id} ({self.language})"


class EventRole(models.Model):
    """One person's role for one event: organizer or check-in helper.

    What each role may do is ``agenda.permissions``'s to say; rows are written by
    ``agenda.services.grant_role`` and ``revoke_role`` only.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="roles", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        ordering = ["event", "role", "user__email"]
        verbose_name = _("event role")
        verbose_name_plural = _("event roles")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user", "role"], name="event_role_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.event.title}"


class AuditEntry(models.Model):
    """Who changed what, and when: one organizer's change to an event or what belongs to it.

    Append-only. The event is kept as a bare id (no foreign key constraint), so an entry
    outlives the event, session or registration it describes.
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="audit_entries",
        verbose_name=_("event"),
    )
    event_title = models.CharField(_("event title"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(
        _("by (as it was)"), max_length=254, blank=True,
        help_text=_("The account's email when the change was made; kept if it is deleted."),
    )
    via = models.CharField(_("via"), max_length=20, choices=AuditVia.choices)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["event", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} "\
               f"{self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        # The log is evidence: an entry, once written, is never rewritten.
        if self.pk is not None:
            raise ValueError("Audit entries are never changed once written.")
        super().save(*args, **kwargs)
