"""Granting and revoking roles: services, commands and the team page."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command

from agenda import services
from agenda.enums import Role
from agenda.errors import AgendaError
from agenda.models import AuditEntry, EventRole
from notifications.accounts import send_account_email
from tests.factories import EventFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_granting_a_role_to_a_new_address_makes_an_account_and_emails_a_password_link(
    django_capture_on_commit_callbacks, client,
):
    event = EventFactory(title="Forum on due diligence")

    with django_capture_on_commit_callbacks() as callbacks:
        event_role = services.grant_role(event=event, email="New.Person@Example.org",
                                         role=Role.ORGANIZER)

    user = event_role.user
    assert (user.email, user.has_usable_password(), user.is_staff) == (
        "New.Person@example.org", False, True,
    )
    assert list(user.groups.values_list("name", flat=True)) == ["Organizers"]
    assert len(callbacks) == 1  # the invitation, sent by a worker after commit
    send_account_email(user.pk, "invitation", event.pk)  # what that worker runs
    [message] = mail.outbox
    assert message.to == ["New.Person@example.org"]
    assert "Forum on due diligence" in message.subject
    link = next(line for line in message.body.splitlines() if "/orga/password/set/" in line)
    path = link.strip().removeprefix("http://testserver").split("://", 1)[-1]
    path = path[path.index("/orga/"):]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "a long passphrase for the forum", "new_password2":
        "a long passphrase for the forum",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long passphrase for the forum")


def test_granting_a_role_to_an_existing_account_sends_no_invitation(
    django_capture_on_commit_callbacks,
):
    event, user = EventFactory(), UserFactory(email="known@example.org")

    with django_capture_on_commit_callbacks() as callbacks:
        services.grant_role(event=event, email="KNOWN@example.org", role=Role.CHECKIN)

    assert EventRole.objects.get().user == user
    assert callbacks == []
    user.refresh_from_db()
    assert user.is_staff is False  # check-in helpers do not use the admin


def test_granting_twice_keeps_one_role_and_one_audit_entry():
    event = EventFactory()
    from agenda import audit
    with audit.acting_as(None, via="command", label="test"):
        services.grant_role(event=event, email="twice@example.org", role=Role.ORGANIZER)
        services.grant_role(event=event, email="twice@example.org", role=Role.ORGANIZER)

    assert EventRole.objects.count() == 1
    assert AuditEntry.objects.filter(action="role_granted").count() == 1


def test_the_last_organizer_cannot_be_removed():
    event, user = EventFactory(), UserFactory()
    grant(event, user)

    with pytest.raises(AgendaError) as refused:
        services.revoke_role(event=event, user=user, role=Role.ORGANIZER)

    assert refused.value.code == "last_organizer"
    assert EventRole.objects.filter(event=event).count() == 1


def test_revoking_the_only_organizer_role_takes_the_admin_away():
    event, first, second = EventFactory(), UserFactory(), UserFactory()
    services.grant_role(event=event, user=first, role=Role.ORGANIZER)
    services.grant_role(event=event, user=second, role=Role.ORGANIZER)

    assert services.revoke_role(event=event, email=second.email, role=Role.ORGANIZER) is True

    second.refresh_from_db()
    assert (second.is_staff, list(second.groups.all())) == (False, [])
    assert Group.objects.get(name="Organizers").user_set.get() == first


def test_grant_role_and_revoke_role_commands(capsys):
    event = EventFactory(slug="door-forum")

    call_command("grant_role", "helper@example.org", event="door-forum", role="checkin")
    call_command("grant_role", "second@example.org", event="door-forum", role="checkin")
    call_command("revoke_role", "helper@example.org", event="door-forum", role="checkin")

    assert list(EventRole.objects.values_list("user__email", "role")) == [
        ("second@example.org", "checkin"),
    ]
    entries = AuditEntry.objects.filter(event_id=event.pk).order_by("pk")
    assert [(entry.action, entry.via) for entry in entries] == [
        ("role_granted", "command"), ("role_granted", "command"), ("role_revoked", "command"),
    ]
    assert entries[0].actor_label.startswith("manage.py")


def test_commands_refuse_an_unknown_event_and_an_unknown_role_holder():
    EventFactory(slug="real")

    with pytest.raises(CommandError, match="No event"):
        call_command("grant_role", "a@example.org", event="missing", role="organizer")
    with pytest.raises(CommandError, match="no checkin role"):
        call_command("revoke_role", "a@example.org", event="real", role="checkin")


def test_the_team_page_adds_and_removes_people(client):
    event, organizer = EventFactory(), UserFactory()
    grant(event, organizer)
    client.force_login(organizer)
    url = f"/orga/events/{event.slug}/team/"

    added = client.post(url, {"email": "colleague@example.org", "role": "checkin"})
    removed = client.post(f"{url}revoke/", {"email": "colleague@example.org", "role": "checkin"})
    invalid = client.post(url, {"email": "not an address", "role": "checkin"})

    assert added.status_code == 302 and removed.status_code == 302
    assert not EventRole.objects.filter(user__email="colleague@example.org").exists()
    assert invalid.status_code == 400
    assert "Enter a valid email address." in invalid.content.decode()
    entries = AuditEntry.objects.filter(event_id=event.pk).values_list("action", "via")
    assert sorted(entries) == [("role_granted", "orga"), ("role_revoked", "orga")]
