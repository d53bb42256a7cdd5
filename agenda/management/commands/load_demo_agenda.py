"""``manage.py load_demo_agenda``: load the demo agenda, adding only what is missing."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from agenda.demo import load_demo_agenda


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

    def handle(self, *args: object, today: dt.date | None = None, **options: object) -> None:
        report = load_demo_agenda(today=today)
        self.stdout.write(
            f"Demo agenda: {report.events_created} events created, "
            f"{report.events_present} already present; {report.sessions_created} sessions, "
            f"{report.speakers_created} speakers and {report.topics_created} topics created."
        )
