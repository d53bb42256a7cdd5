from agenda import services

from ._roles import RoleCommand


class Command(RoleCommand):
    help = ("Give a person a role for an event: organizer or check-in helper. An account is made "
            "for a new address, and emailed a link to set its password.")

    def change(self, event, email, role) -> str:
        event_role = services.grant_role(event=event, email=email, role=role)
        return (f"{event_role.user.email} is {event_role.get_role_display().lower()} "
                f"of {event.slug}.")
