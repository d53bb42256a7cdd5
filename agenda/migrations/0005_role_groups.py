"""The Django groups behind the roles (agenda.permissions.ROLE_GROUPS), with the model
permissions each needs in the admin. Made here, not by hand, so every deployment has them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANIZER_PERMISSIONS = {
    "agenda": [
        "add_event", "change_event", "view_event",
        "add_session", "change_session", "delete_session", "view_session",
        "add_speaker", "change_speaker", "view_speaker",
        "add_track", "change_track", "delete_track", "view_track",
        "add_room", "change_room", "delete_room", "view_room",
        "add_tag", "change_tag", "view_tag",
        "view_eventrole", "add_eventrole", "delete_eventrole",
        "view_auditentry",
    ],
    "registrations": ["view_registration", "change_registration", "export_attendees",
                      "view_sessionchoice"],
    "notifications": ["view_delivery", "change_delivery"],
}
CHECKIN_PERMISSIONS = {"registrations": ["view_registration"]}
GROUPS = {"Organizers": ORGANIZER_PERMISSIONS, "Check-in helpers": CHECKIN_PERMISSIONS}


def create_groups(apps, schema_editor):
    # Model permissions are made after all migrations by default; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codenames in wanted.items():
            group.permissions.add(*Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("agenda", "0004_roles_and_audit_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
