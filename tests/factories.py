"""factory_boy factories shared by the whole suite."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda.enums import EventFormat, EventKind, EventStatus, Role
from agenda.models import Event, EventRole, Room, Session, Speaker, Tag, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganizerFactory(UserFactory):
    is_staff = True


def grant(event: Event, *users, role: str = Role.ORGANIZER) -> None:
    """Give each of ``users`` ``role`` for ``event`` (as agenda.services.grant_role stores it)."""
    for user in users:
        EventRole.objects.get_or_create(event=event, user=user, role=role)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Responsible Business Forum {n}")
    summary = "Due diligence in global supply chains."
    description = "Practitioners compare what works."
    kind = EventKind.FORUM
    format = EventFormat.HYBRID
    timezone = "Europe/Brussels"
    start = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    )
    end = factory.LazyAttribute(lambda event: event.start + dt.timedelta(hours=8))
    venue_name = "Square Brussels Meeting Centre"
    venue_address = "Mont des Arts, 1000 Brussels, Belgium"
    online_url = factory.Sequence(lambda n: f"https://meet.example.org/secret-room-{n}")
    status = EventStatus.PUBLISHED

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    role = "Head of Sustainability"
    organization = factory.Sequence(lambda n: f"Textile manufacturer {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Panel {n}")
    abstract = "How buyers and suppliers share the cost of compliance."
    start = factory.LazyAttribute(lambda session: session.event.start + dt.timedelta(hours=1))
    end = factory.LazyAttribute(lambda session: session.start + dt.timedelta(hours=1))

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            self.speakers.set(extracted)


def create_event_with_programme(
    *, sessions: int = 2, speakers_per_session: int = 2, tags: int = 2, **event_fields
) -> Event:
    """An event with topics, one track, one room and ``sessions`` ten-minute sessions in them,
    each with its own speakers: everything the public API shows of an event."""
    event = EventFactory(tags=TagFactory.create_batch(tags), **event_fields)
    track = TrackFactory(event=event)
    room = RoomFactory(event=event)
    for index in range(sessions):
        start = event.start + dt.timedelta(minutes=10 * index)
        SessionFactory(
            event=event,
            track=track,
            room=room,
            start=start,
            end=start + dt.timedelta(minutes=10),
            speakers=SpeakerFactory.create_batch(speakers_per_session),
        )
    return event


class QuestionFactory(factory.django.DjangoModelFactory):
    """A registration question; ``kind`` and ``options`` as ``registrations.models.Question``
    describes them (options: ``{"value", "en", "fr"}`` each)."""

    class Meta:
        model = "registrations.Question"

    event = factory.SubFactory(EventFactory)
    kind = "short_text"
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    text_fr = factory.Sequence(lambda n: f"Question {n} ?")
    required = False
    position = 0
    options = factory.LazyAttribute(
        lambda question: [
            {"value": "vegetarian", "en": "Vegetarian", "fr": "Végétarien"},
            {"value": "vegan", "en": "Vegan", "fr": "Végétalien"},
            {"value": "none", "en": "No special diet", "fr": "Pas de régime particulier"},
        ] if question.kind in ("one_choice", "several_choices") else []
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration made through ``registrations.services.register``, so seats, waitlist
    and outbox rows are exactly what a real registration leaves behind."""

    class Meta:
        model = "registrations.Registration"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Attendee {n}")
    email = factory.Sequence(lambda n: f"attendee{n}@example.org")
    organization = "Fair Trade Cooperative"
    session_ids = ()
    join_waitlist = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from registrations.services import register

        return register(consent=True, **kwargs).registration
