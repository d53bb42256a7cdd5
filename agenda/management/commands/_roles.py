"""What grant_role and revoke_role share: their arguments, the event and the actor."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from agenda import audit
from agenda.enums import AuditVia, Role
from agenda.errors import DomainError
from agenda.models import Event


def command_actor() -> str:
    try:
        return f"manage.py ({getpass.getuser()})"
    except (KeyError, OSError):
        return "manage.py"


class RoleCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("--role", required=True, choices=Role.values)

    def change(self, event: Event, email: str, role: str) -> str:
        """Make the change through agenda.services; returns what to print."""
        raise NotImplementedError

    def handle(self, *args, email, event, role, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event has the slug {event!r}.")
        try:
            with audit.acting_as(None, via=AuditVia.COMMAND, label=command_actor()):
                self.stdout.write(self.change(found, email, role))
        except DomainError as error:
            raise CommandError(error.message) from error
