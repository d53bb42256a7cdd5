"""agenda.permissions: what each role may do, for which events."""

import pytest

from agenda import permissions
from agenda.enums import Role
from agenda.models import Event
from agenda.permissions import Permission
from tests.factories import EventFactory, SessionFactory, SpeakerFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def test_an_organizer_may_do_everything_to_their_event_and_nothing_to_another():
    organizer, mine, theirs = UserFactory(), EventFactory(), EventFactory()
    grant(mine, organizer)

    assert permissions.permissions_for(organizer, mine) == frozenset(Permission)
    assert permissions.permissions_for(organizer, theirs) == frozenset()
    assert list(permissions.events_with_permission(organizer, Permission.CHANGE_EVENT)) == [mine]


def test_a_check_in_helper_sees_attendees_and_checks_in_only():
    helper, event = UserFactory(), EventFactory()
    grant(event, helper, role=Role.CHECKIN)

    assert permissions.permissions_for(helper, event) == {
        Permission.VIEW_ATTENDEES, Permission.CHECK_IN,
    }
    assert not permissions.has_event_permission(helper, event, Permission.CHANGE_EVENT)
    assert list(permissions.events_with_permission(helper, Permission.CHANGE_EVENT)) == []
    assert list(permissions.events_with_permission(helper, Permission.CHECK_IN)) == [event]


def test_a_superuser_may_do_everything_to_every_event():
    staff = UserFactory(is_staff=True, is_superuser=True)
    event = EventFactory()

    assert permissions.has_event_permission(staff, event, Permission.MANAGE_WEBHOOKS)
    assert permissions.event_filter(staff, Permission.CHANGE_EVENT) is None


def test_a_staff_flag_alone_grants_no_event():
    staff, event = UserFactory(is_staff=True), EventFactory()

    assert permissions.permissions_for(staff, event) == frozenset()
    assert list(permissions.events_with_permission(staff, Permission.VIEW_ATTENDEES)) == []


def test_a_deactivated_account_may_do_nothing_even_with_a_role():
    user, event = UserFactory(is_active=False), EventFactory()
    grant(event, user)

    assert permissions.permissions_for(user, event) == frozenset()


def test_scope_to_events_follows_a_foreign_key_path():
    organizer, mine, theirs = UserFactory(), EventFactory(), EventFactory()
    grant(mine, organizer)
    own_session, _other = SessionFactory(event=mine), SessionFactory(event=theirs)

    scoped = permissions.scope_to_events(
        own_session.__class__.objects.all(), organizer, Permission.CHANGE_EVENT
    )

    assert list(scoped) == [own_session]


def test_a_shared_speaker_may_be_changed_only_by_who_runs_every_event_using_it():
    organizer, mine, theirs = UserFactory(), EventFactory(), EventFactory()
    grant(mine, organizer)
    speaker = SpeakerFactory()
    SessionFactory(event=mine, speakers=[speaker])
    users_events = Event.objects.filter(sessions__speakers=speaker).distinct()

    assert permissions.may_change_shared(organizer, users_events)
    SessionFactory(event=theirs, speakers=[speaker])
    assert not permissions.may_change_shared(organizer, users_events.all())


def test_roles_by_event_reads_every_role_at_once(django_assert_num_queries):
    user, first, second = UserFactory(), EventFactory(), EventFactory()
    grant(first, user)
    grant(second, user, role=Role.CHECKIN)

    with django_assert_num_queries(1):
        roles = permissions.roles_by_event(user, [first.pk, second.pk])

    assert roles == {first.pk: {Role.ORGANIZER}, second.pk: {Role.CHECKIN}}
