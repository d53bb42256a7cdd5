"""Attendee lists as CSV and JSON: one implementation for the admin, the organizer area and
the API.

Rows are read in chunks (``iterator(chunk_size=...)``, with each chunk's session choices
prefetched) and written one at a time, so a stream of 10,000 registrations holds one chunk
in memory, never the whole list. Times are given in the event's own time zone. Every CSV cell
is made safe for spreadsheets (``csv_safe``).
"""

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from .enums import SessionChoiceStatus
from .models import Registration, SessionChoice
from .selectors import answer_export_columns

CHUNK_SIZE = 500
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """The cell as text a spreadsheet shows, never runs: an attendee's name must not."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def _local(registration: Registration, moment: dt.datetime | None) -> str:
    return moment.astimezone(registration.event.tzinfo).isoformat() if moment else ""


def _confirmed_sessions(registration: Registration) -> list[str]:
    return [choice.session.title for choice in registration.session_choices.all()
            if choice.status == SessionChoiceStatus.CONFIRMED]


COLUMNS: tuple[tuple[str, Callable[[Registration], object]], ...] = (
    ("id", lambda r: str(r.public_id)),
    ("event", lambda r: r.event.slug),
    ("name", lambda r: r.name),
    ("email", lambda r: r.email),
    ("organization", lambda r: r.organization),
    ("status", lambda r: r.status),
    ("registered_at", lambda r: _local(r, r.created_at)),
    ("confirmed_at", lambda r: _local(r, r.confirmed_at)),
    ("cancelled_at", lambda r: _local(r, r.cancelled_at)),
    ("checked_in_at", lambda r: _local(r, r.checked_in_at)),
    ("language", lambda r: r.language),
    ("sessions", _confirmed_sessions),
)


def for_export(registrations: QuerySet[Registration]) -> Iterator[Registration]:
    """``registrations`` in arrival order, read a chunk at a time with what the columns use."""
    choices = SessionChoice.objects.select_related("session").order_by("session__start", "pk")
    return (
        registrations.select_related("event")
        .prefetch_related(Prefetch("session_choices", queryset=choices))
        .order_by("pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def csv_rows(registrations: QuerySet[Registration]) -> Iterator[list[str]]:
    """The header, then one row of safe cells per registration; the answers to the events'
    registration questions come last, a column per question."""
    answers = answer_export_columns(registrations)
    yield [name for name, _value in COLUMNS] + [csv_safe(h) for h in answers.headers]
    for registration in for_export(registrations):
        row = []
        for _name, value in COLUMNS:
            cell = value(registration)
            row.append(csv_safe("; ".join(cell) if isinstance(cell, list) else str(cell)))
        yield row + [csv_safe(str(cell)) for cell in answers.row(registration)]


class _Line:
    """A file-like that hands back what the csv writer writes to it."""

    def write(self, value: str) -> str:
        return value


def stream_csv(registrations: QuerySet[Registration]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    # A byte order mark: spreadsheets then read the names as UTF-8.
    yield "\ufeff".encode()
    for row in csv_rows(registrations):
        yield writer.writerow(row).encode()


def json_record(registration: Registration, answers=None) -> dict:
    record = {name: value(registration) for name, value in COLUMNS}
    if answers is not None:
        record["answers"] = dict(zip(answers.headers, answers.row(registration), strict=True))
    return record


def stream_json(registrations: QuerySet[Registration]) -> Iterable[bytes]:
    """A JSON array, one registration object after another (``answers``: question -> answer)."""
    answers = answer_export_columns(registrations)
    yield b"["
    for index, registration in enumerate(for_export(registrations)):
        prefix = b"," if index else b""
        record = json_record(registration, answers)
        yield prefix + json.dumps(record, ensure_ascii=False, default=str).encode()
    yield b"]"
