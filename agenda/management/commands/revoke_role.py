from django.core.management.base import CommandError

from agenda import services

from ._roles import RoleCommand


class Command(RoleCommand):
    help = "Take a role for an event away from a person (the account itself stays)."

    def change(self, event, email, role) -> str:
        if not services.revoke_role(event=event, email=email, role=role):
            raise CommandError(f"{email} has no {role} role for {event.slug}.")
        return f"{email} is no longer {role} of {event.slug}."
