"""The audit log: organizers' changes through every interface, kept and never rewritten."""

import pytest
from django.urls import reverse

from agenda import audit, services
from agenda.enums import AuditVia
from agenda.models import AuditEntry
from registrations import services as registration_services
from registrations.enums import CancelledBy, RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def test_a_change_records_who_what_and_the_values_before_and_after():
    event, organizer = EventFactory(capacity=10), UserFactory(email="ana@example.org")
    event.capacity = 12

    with audit.acting_as(organizer, via=AuditVia.API):
        services.save_event(event=event)

    entry = AuditEntry.objects.get()
    assert (entry.event_id, entry.actor, entry.actor_label, entry.via, entry.action) == (
        event.pk, organizer, organizer.username, "api", "changed",
    )
    assert entry.changes == {"capacity": [10, 12]}


def test_nothing_is_logged_when_no_organizer_acts():
    event = EventFactory(capacity=10)
    event.capacity = 11

    services.save_event(event=event)
    RegistrationFactory(event=event)

    assert AuditEntry.objects.count() == 0


def test_an_organizers_cancellation_is_logged_with_its_reason():
    registration = RegistrationFactory(event=EventFactory(capacity=5))
    organizer = UserFactory()

    with audit.acting_as(organizer, via=AuditVia.ORGA):
        registration_services.cancel_registration(
            registration=registration, cancelled_by=CancelledBy.ORGANIZER,
            reason="Duplicate of another registration",
        )

    entry = AuditEntry.objects.get()
    assert entry.action == "registration_cancelled"
    assert entry.changes == {
        "status": [RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED],
        "reason": [None, "Duplicate of another registration"],
    }


def test_entries_outlive_the_session_they_describe():
    session = SessionFactory()
    with audit.acting_as(UserFactory(), via=AuditVia.ADMIN):
        services.delete_session(session=session)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.event_id) == (
        "deleted", "session", session.event_id,
    )


def test_an_entry_cannot_be_rewritten():
    with audit.acting_as(UserFactory(), via=AuditVia.ADMIN):
        services.delete_session(session=SessionFactory())
    entry = AuditEntry.objects.get()
    entry.action = "nothing happened"

    with pytest.raises(ValueError, match="never changed"):
        entry.save()


def test_changes_made_in_the_admin_are_logged_as_the_signed_in_user(admin_client, admin_user):
    event = EventFactory()
    admin_client.post(reverse("admin:agenda_event_changelist"),
                      {"action": "cancel_selected", "_selected_action": [event.pk]})

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.via, entry.changes["status"]) == (
        admin_user, "admin", ["published", "cancelled"],
    )


def test_the_admin_offers_no_way_to_edit_or_delete_entries(admin_client):
    with audit.acting_as(UserFactory(), via=AuditVia.ADMIN):
        services.delete_session(session=SessionFactory())
    entry = AuditEntry.objects.get()

    change = admin_client.post(reverse("admin:agenda_auditentry_change", args=[entry.pk]),
                               {"action": "edited"})
    delete = admin_client.post(reverse("admin:agenda_auditentry_delete", args=[entry.pk]),
                               {"post": "yes"})

    assert change.status_code == 403 and delete.status_code == 403
    assert AuditEntry.objects.get().action == "deleted"


def test_the_audit_page_lists_the_events_entries_only(client):
    mine, theirs, organizer = EventFactory(), EventFactory(), UserFactory()
    grant(mine, organizer)
    with audit.acting_as(organizer, via=AuditVia.ORGA):
        services.delete_session(session=SessionFactory(event=mine, title="Mine to delete"))
        services.delete_session(session=SessionFactory(event=theirs, title="Not mine"))
    client.force_login(organizer)

    page = client.get(f"/orga/events/{mine.slug}/audit/").content.decode()

    assert "Mine to delete" in page and "Not mine" not in page
