import getpass

from django.core.management.base import BaseCommand, CommandError

from agenda import audit, services
from agenda.enums import AuditVia, Role
from agenda.errors import DomainError
from agenda.models import Event


def command_actor() -> str:
    try:
        return f"manage.py ({getpass.getuser()})"
    except (KeyError, OSError):
        return "manage.py"


class Command(BaseCommand):
    help = ("Give a person a role for an event: organizer or check-in helper. An account is made "
            "for a new address, and emailed a link to set its password.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("--role", required=True, choices=Role.values)

    def handle(self, *args, email, event, role, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event has the slug {event!r}.")
        try:
            with audit.acting_as(None, via=AuditVia.COMMAND, label=command_actor()):
                event_role = services.grant_role(event=found, email=email, role=role)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{event_role.user.email} is {event_role.get_role_display().lower()} "
                          f"of {found.slug}.")
