"""factory_boy factories shared by the whole suite."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda.enums import EventFormat, EventKind, EventStatus
from agenda.models import Event, Room, Session, Speaker, Tag, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganizerFactory(UserFactory):
    is_staff = True


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
