from django.core.management.base import BaseCommand, CommandError

from agenda import audit, services
from agenda.enums import AuditVia, Role
from agenda.errors import DomainError
from agenda.models import Event

from .grant_role import command_actor


class Command(BaseCommand):
    help = "Take a role for an event away from a person (the account itself stays)."

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
                revoked = services.revoke_role(event=found, email=email, role=role)
        except DomainError as error:
            raise CommandError(error.message) from error
        if not revoked:
            raise CommandError(f"{email} has no {role} role for {event}.")
        self.stdout.write(f"{email} is no longer {role} of {found.slug}.")
