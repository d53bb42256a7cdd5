"""``manage.py load_demo_agenda``: load the demo agenda, adding only what is missing."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from agenda.demo import load_demo_agenda
from agenda.demo.organizer import (
    DEMO_ORGANIZER_EMAIL,
    DEMO_ORGANIZER_PASSWORD,
    ensure_demo_organizer,
)


class Command(BaseCommand):
    help = (
        "Load the demo agenda: the 2021 programme of a responsible-business network and a few "
        "upcoming events. Safe to rerun: events that already exist (by slug) are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the upcoming events are planned from (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--demo-organizer",
            action="store_true",
            help=f"Also make {DEMO_ORGANIZER_EMAIL} (password {DEMO_ORGANIZER_PASSWORD!r}) an "
                 "organizer of the demo forum. Never on a real deployment: the password is public.",
        )

    def handle(self, *args: object, today: dt.date | None = None, demo_organizer: bool = False,
               **options: object) -> None:
        report = load_demo_agenda(today=today)
        self.stdout.write(
            f"Demo agenda: {report.events_created} events created, "
            f"{report.events_present} already present; {report.sessions_created} sessions, "
            f"{report.speakers_created} speakers and {report.topics_created} topics created."
        )
        if demo_organizer:
            event_role = ensure_demo_organizer()
            if event_role is not None:
                self.stdout.write(
                    f"Organizer area: sign in at /orga/ as {DEMO_ORGANIZER_EMAIL}, password "
                    f"{DEMO_ORGANIZER_PASSWORD} (organizer of {event_role.event.title})."
                )
