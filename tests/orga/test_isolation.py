"""Organizer A can neither read nor change anything of event B: organizer area and admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agenda.enums import Role
from agenda.models import Event, EventRole
from registrations.enums import RegistrationStatus
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    """Organizer A of event A (through the real grant path) and an event B of someone else."""
    from agenda import services

    event_a, event_b = EventFactory(title="Event A", capacity=5), EventFactory(
        title="Event B", capacity=5
    )
    organizer_a = UserFactory(email="a@example.org")
    services.grant_role(event=event_a, user=organizer_a, role=Role.ORGANIZER)
    services.grant_role(event=event_b, email="b@example.org", role=Role.ORGANIZER)
    client.force_login(organizer_a)
    return {
        "a": event_a, "b": event_b, "organizer": organizer_a,
        "registration_b": RegistrationFactory(event=event_b),
        "session_b": SessionFactory(event=event_b),
        "room_b": RoomFactory(event=event_b), "track_b": TrackFactory(event=event_b),
    }


ORGA_PAGES = ["/orga/events/{slug}/", "/orga/events/{slug}/team/", "/orga/events/{slug}/audit/",
              "/orga/events/{slug}/check-in/", "/orga/events/{slug}/check-in/counts/",
              "/orga/events/{slug}/check-in/list.pdf"]


@pytest.mark.parametrize("page", ORGA_PAGES)
def test_event_bs_organizer_pages_are_404_for_organizer_a(client, world, page):
    assert client.get(page.format(slug=world["a"].slug)).status_code == 200
    assert client.get(page.format(slug=world["b"].slug)).status_code == 404


def test_organizer_a_cannot_change_event_bs_team(client, world):
    add = client.post(f"/orga/events/{world['b'].slug}/team/",
                      {"email": "intruder@example.org", "role": "organizer"})
    remove = client.post(f"/orga/events/{world['b'].slug}/team/revoke/",
                         {"email": "b@example.org", "role": "organizer"})

    assert (add.status_code, remove.status_code) == (404, 404)
    assert list(EventRole.objects.filter(event=world["b"]).values_list("user__email", flat=True)
                ) == ["b@example.org"]


def test_the_index_lists_only_organizer_as_events(client, world):
    page = client.get("/orga/").content.decode()

    assert "Event A" in page and "Event B" not in page


def test_an_organizer_given_the_role_uses_the_admin_through_the_group(world):
    organizer = world["organizer"]

    assert organizer.is_staff
    assert organizer.groups.get() == Group.objects.get(name="Organizers")
    assert organizer.has_perm("agenda.change_event")


ADMIN_CHANGE_URLS = [
    ("admin:agenda_event_change", "b"),
    ("admin:agenda_session_change", "session_b"),
    ("admin:agenda_room_change", "room_b"),
    ("admin:agenda_track_change", "track_b"),
    ("admin:registrations_registration_change", "registration_b"),
]


@pytest.mark.parametrize(("url_name", "key"), ADMIN_CHANGE_URLS)
def test_admin_change_pages_of_event_b_are_closed_to_organizer_a(client, world, url_name, key):
    response = client.get(reverse(url_name, args=[world[key].pk]))

    # Django's admin redirects a missing object to the index, with a message.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_admin_lists_show_organizer_a_nothing_of_event_b(client, world):
    for url_name in ("admin:agenda_event_changelist", "admin:agenda_session_changelist",
                     "admin:registrations_registration_changelist",
                     "admin:agenda_auditentry_changelist"):
        response = client.get(reverse(url_name))
        assert response.status_code == 200, url_name
        assert "Event B" not in response.content.decode(), url_name


def test_admin_actions_with_event_bs_ids_change_nothing(client, world):
    client.post(reverse("admin:registrations_registration_changelist"),
                {"action": "cancel_selected", "_selected_action": [world["registration_b"].pk]})
    client.post(reverse("admin:agenda_event_changelist"),
                {"action": "cancel_selected", "_selected_action": [world["b"].pk]})

    world["registration_b"].refresh_from_db()
    assert world["registration_b"].status == RegistrationStatus.CONFIRMED
    assert Event.objects.get(pk=world["b"].pk).status == "published"


def test_admin_offers_no_registration_delete(client, world, admin_client):
    registration = RegistrationFactory(event=world["a"])

    response = admin_client.post(reverse("admin:registrations_registration_delete",
                                         args=[registration.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert registration.__class__.objects.filter(pk=registration.pk).exists()


def test_a_speaker_of_event_b_cannot_be_changed_by_organizer_a(client, world):
    shared = SpeakerFactory(name="Shared speaker")
    SessionFactory(event=world["a"], speakers=[shared])
    SessionFactory(event=world["b"], speakers=[shared])
    own = SpeakerFactory(name="Own speaker")
    SessionFactory(event=world["a"], speakers=[own])

    shared_page = client.post(reverse("admin:agenda_speaker_change", args=[shared.pk]),
                              {"name": "Renamed", "role": "", "organization": "", "bio": ""})
    own_page = client.get(reverse("admin:agenda_speaker_change", args=[own.pk]))

    shared.refresh_from_db()
    assert shared.name == "Shared speaker"
    assert shared_page.status_code == 403
    assert own_page.status_code == 200 and b'name="_save"' in own_page.content
