"""The organizer admin: every model is browsable, organizers see only their events, and
status changes go through the registration services."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from agenda.models import AuditEntry, Event
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.factories import (
    EventFactory,
    OrganizerFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    grant,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:agenda_event_changelist",
    "admin:agenda_session_changelist",
    "admin:agenda_speaker_changelist",
    "admin:agenda_track_changelist",
    "admin:agenda_room_changelist",
    "admin:agenda_tag_changelist",
    "admin:registrations_registration_changelist",
    "admin:notifications_delivery_changelist",
]


@pytest.fixture
def organizer(client):
    user = OrganizerFactory()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["agenda", "registrations"])
    )
    client.force_login(user)
    return user


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_every_changelist_renders_for_a_superuser(admin_client, url_name):
    event = EventFactory(capacity=5)
    SessionFactory(event=event, speakers=[SpeakerFactory()])
    RegistrationFactory(event=event)

    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("event_id", ["abc", "\u00b2", "9" * 30])
def test_the_registrations_list_filtered_by_a_nonsense_event_id_is_no_error(admin_client,
                                                                          event_id):
    RegistrationFactory()

    response = admin_client.get(reverse("admin:registrations_registration_changelist"),
                                {"event__id__exact": event_id})

    assert response.status_code in (200, 302)  # Django's admin redirects with ?e=1


def test_event_change_page_shows_times_in_the_events_own_zone(admin_client):
    event = EventFactory(timezone="Asia/Shanghai")
    SessionFactory(event=event)

    response = admin_client.get(reverse("admin:agenda_event_change", args=[event.pk]))

    local = event.local_start.strftime("%H:%M")
    assert response.status_code == 200
    assert local.encode() in response.content


def test_event_list_shows_registration_counts(admin_client):
    event = EventFactory(capacity=1, title="Counted forum")
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)

    response = admin_client.get(reverse("admin:agenda_event_changelist"))

    row = next(e for e in response.context["cl"].result_list if e.pk == event.pk)
    assert (row.confirmed_count, row.waitlisted_count, row.pending_count) == (1, 1, 0)


def test_organizers_see_only_the_events_they_organize(client, organizer):
    mine = EventFactory(title="Mine")
    grant(mine, organizer)
    EventFactory(title="Someone else's")

    response = client.get(reverse("admin:agenda_event_changelist"))

    assert [event.title for event in response.context["cl"].result_list] == ["Mine"]


def test_organizers_cannot_open_another_organizers_registrations(client, organizer):
    theirs = RegistrationFactory(event=EventFactory())

    listing = client.get(reverse("admin:registrations_registration_changelist"))
    detail = client.get(
        reverse("admin:registrations_registration_change", args=[theirs.pk])
    )

    assert list(listing.context["cl"].result_list) == []
    assert detail.status_code == 302  # Django's admin redirects a missing object to the index


def test_cancel_action_promotes_the_first_waitlisted_person(admin_client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    first_waiting = RegistrationFactory(event=event)
    RegistrationFactory(event=event)

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "cancel_selected", "_selected_action": [holder.pk]},
    )

    assert response.status_code == 302
    first_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert Event.objects.get(pk=event.pk).seats_taken == 1


def test_check_in_action_checks_in_through_the_service_once_and_can_be_undone(admin_client,
                                                                            admin_user):
    event = EventFactory(capacity=1)
    attendee = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    changelist = reverse("admin:registrations_registration_changelist")

    admin_client.post(changelist, {"action": "check_in_selected",
                                   "_selected_action": [attendee.pk, waiting.pk]})
    admin_client.post(changelist, {"action": "check_in_selected",
                                   "_selected_action": [attendee.pk]})

    attendee.refresh_from_db()
    assert attendee.checked_in_by == admin_user
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None  # refused: waitlisted
    assert list(AuditEntry.objects.values_list("action", "via")) == [("checked_in", "admin")]

    admin_client.post(changelist, {"action": "undo_check_in_selected",
                                   "_selected_action": [attendee.pk]})

    assert Registration.objects.get(pk=attendee.pk).checked_in_at is None
    assert AuditEntry.objects.filter(action="check_in_undone").count() == 1


def test_raising_capacity_in_the_admin_promotes_from_the_waitlist(admin_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    url = reverse("admin:agenda_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value for name, value in form.initial.items()
        if value is not None and name != "tags"
    }
    data.update(_inline_management_data())
    data.update(_datetime_fields(form))
    data["capacity"] = 2
    data["reminder_offsets"] = "7d, 1d, 1h"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_lowering_capacity_below_confirmed_seats_is_refused_in_the_admin(admin_client):
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    url = reverse("admin:agenda_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value for name, value in form.initial.items()
        if value is not None and name != "tags"
    }
    data.update(_inline_management_data())
    data.update(_datetime_fields(form))
    data["capacity"] = 1
    data["reminder_offsets"] = "7d, 1d, 1h"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "cannot go below" in str(response.context["adminform"].form.errors)
    assert Event.objects.get(pk=event.pk).capacity == 3


def test_csv_export_lists_attendees_and_neutralises_formulas(admin_client):
    event = EventFactory()
    RegistrationFactory(event=event, name="=HYPERLINK(\"http://evil\")")
    RegistrationFactory(event=event, name="Plain Name")

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv",
         "_selected_action": list(Registration.objects.values_list("pk", flat=True))},
    )

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert response["Content-Type"].startswith("text/csv")
    assert sorted(row["name"] for row in rows) == ["'=HYPERLINK(\"http://evil\")", "Plain Name"]


def _inline_management_data() -> dict:
    data = {}
    for prefix in ("tracks", "rooms", "sessions", "roles", "questions"):
        data.update({
            f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000,
        })
    return data


def _datetime_fields(form) -> dict:
    data = {}
    for name in ("start", "end", "registration_opens_at", "registration_closes_at"):
        value = form.initial.get(name)
        data.pop(name, None)
        if value is not None:
            local = value.astimezone(form.instance.tzinfo)
            data[f"{name}_0"] = local.strftime("%Y-%m-%d")
            data[f"{name}_1"] = local.strftime("%H:%M:%S")
    return data
