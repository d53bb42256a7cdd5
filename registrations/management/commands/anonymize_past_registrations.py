import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agenda.durations import parse_duration_list
from registrations import services


class Command(BaseCommand):
    help = (
        "Erase the personal data of registrations for events that ended longer ago than "
        "--older-than (e.g. 365d, 26w). The rows stay, anonymized, so counts are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", required=True, help='How long after an event ends, e.g. "365d".'
        )

    def handle(self, *args, older_than: str, **options):
        try:
            minutes = parse_duration_list(older_than)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if len(minutes) != 1:
            raise CommandError("Give one duration, e.g. --older-than 365d.")
        count = services.anonymize_past_registrations(older_than=dt.timedelta(minutes=minutes[0]))
        self.stdout.write(f"Anonymized {count} registration(s).")
