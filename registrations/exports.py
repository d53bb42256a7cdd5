"""Attendee lists as spreadsheets: one definition of the rows, written as CSV or XLSX.

The organizer area and the admin both export through here. Rows are read with
``.iterator(chunk_size=...)`` (each chunk's session choices prefetched with it) and written
as they come, so a list of 10,000 attendees costs the memory of one chunk: the CSV streams
straight to the client, the XLSX is written row by row in XlsxWriter's constant-memory mode to
a temporary file that is then streamed out.

Every cell a spreadsheet would take for a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with an apostrophe, in both formats, so an
attendee's name can never run as a formula on an organizer's machine (CSV injection).
"""

import csv
import datetime as dt
import itertools
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from agenda.models import Event

from . import selectors
from .enums import SessionChoiceStatus
from .models import Registration, SessionChoice

# Rows read (and their choices prefetched) per database round trip.
CHUNK_SIZE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def formula_safe(value: str) -> str:
    """``value``, made inert for spreadsheets: one that starts like a formula gets an
    apostrophe in front (OWASP's advice for CSV injection)."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Registration, dt.tzinfo], str]


def _moment(moment: dt.datetime | None, zone: dt.tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _sessions(registration: Registration, status: str) -> str:
    return "; ".join(registration.export_sessions.get(status, ()))


#: The columns of an export, in order; times are in the event's zone (the ``timezone`` column).
COLUMNS: tuple[Column, ...] = (
    Column("event", lambda r, zone: r.event.slug),
    Column("name", lambda r, zone: r.name),
    Column("email", lambda r, zone: r.email),
    Column("organization", lambda r, zone: r.organization),
    Column("status", lambda r, zone: r.status),
    Column("language", lambda r, zone: r.language),
    Column("registered_at", lambda r, zone: _moment(r.created_at, zone)),
    Column("confirmed_at", lambda r, zone: _moment(r.confirmed_at, zone)),
    Column("cancelled_at", lambda r, zone: _moment(r.cancelled_at, zone)),
    Column("checked_in_at", lambda r, zone: _moment(r.checked_in_at, zone)),
    Column("timezone", lambda r, zone: str(zone)),
    Column("sessions", lambda r, zone: _sessions(r, SessionChoiceStatus.CONFIRMED)),
    Column("sessions_waitlisted", lambda r, zone: _sessions(r, SessionChoiceStatus.WAITLISTED)),
    # A registration awaiting approval holds no seat yet: its sessions are wishes.
    Column("sessions_requested", lambda r, zone: _sessions(r, SessionChoiceStatus.REQUESTED)),
)


def header(queryset: QuerySet[Registration] | None = None) -> list[str]:
    """The export's column names: the fixed ones, then one per registration question of
    ``queryset``'s events."""
    questions = [] if queryset is None else selectors.export_questions(queryset)[1]
    return [column.name for column in COLUMNS] + questions


def export_rows(
    queryset: QuerySet[Registration], event: Event | None = None, *,
    chunk_size: int = CHUNK_SIZE, safe: bool = True,
) -> Iterator[list[str]]:
    """The rows of ``queryset``'s registrations, formula-safe, in the queryset's order (by
    registration when it has none). Times are in ``event``'s zone, or each registration's
    own event's when ``event`` is None (an admin export spanning events).

    Reads the questions of the events once, then ``chunk_size`` registrations at a time and
    those registrations' sessions and answers: three queries a chunk (two without
    questions), and nothing kept from one chunk to the next.
    """
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    questions, _headers = selectors.export_questions(queryset)
    registrations = queryset.select_related("event").iterator(chunk_size=chunk_size)
    while True:
        chunk = list(itertools.islice(registrations, chunk_size))
        if not chunk:
            return
        ids = [registration.pk for registration in chunk]
        sessions = _session_titles(ids)
        answers = selectors.export_answers(ids, questions)
        for registration in chunk:
            registration.export_sessions = sessions.get(registration.pk, {})
            zone = event.tzinfo if event is not None else registration.event.tzinfo
            cells = [str(column.value(registration, zone)) for column in COLUMNS] + list(
                selectors.answer_row(registration, questions, answers)
            )
            yield [formula_safe(cell) for cell in cells] if safe else cells
        # Let this chunk go before the next is read, or two would be held at the peak.
        del chunk, sessions, answers


def _session_titles(registration_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """For each registration, the titles of the sessions it holds a seat in, waits for or
    asked for (awaiting approval), by choice status, in the order of the programme."""
    titles: dict[int, dict[str, list[str]]] = {}
    choices = (
        SessionChoice.objects.filter(
            registration_id__in=registration_ids,
            status__in=(SessionChoiceStatus.CONFIRMED, SessionChoiceStatus.WAITLISTED,
                        SessionChoiceStatus.REQUESTED),
        )
        .order_by("session__start", "pk")
        .values_list("registration_id", "status", "session__title")
    )
    for registration_id, status, title in choices:
        titles.setdefault(registration_id, {}).setdefault(status, []).append(title)
    return titles


class _Line:
    """A file-like object whose ``write`` hands back what was written: ``csv.writer`` then
    turns one row into one string (the recipe of Django's streaming CSV how-to)."""

    def write(self, value: str) -> str:
        return value


def write_csv(columns: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text of the ``columns`` header and ``rows``, one line at a time, opened by a
    byte order mark so spreadsheet programs read it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow(row)


def write_xlsx(columns: list[str], rows: Iterable[list[str]], file) -> None:
    """Write the ``columns`` header and ``rows`` as one XLSX worksheet to ``file`` (a path
    or a binary file object), row by row: XlsxWriter's constant-memory mode keeps one row in
    memory.

    Every cell is written as a string, never a formula, number or link."""
    workbook = xlsxwriter.Workbook(file, {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "in_memory": False,
    })
    sheet = workbook.add_worksheet("Attendees")
    bold = workbook.add_format({"bold": True})
    for index, name in enumerate(columns):
        sheet.write_string(0, index, name, bold)
    sheet.freeze_panes(1, 0)
    for row_number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            sheet.write_string(row_number, index, value)
    workbook.close()


def filename(event: Event | None, extension: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    prefix = f"{event.slug}-attendees" if event is not None else "attendees"
    return f"{prefix}-{stamp}.{extension}"


def csv_response(queryset: QuerySet[Registration], event: Event | None = None
                 ) -> StreamingHttpResponse:
    """The export as a CSV download, streamed as it is read."""
    response = StreamingHttpResponse(
        write_csv(header(queryset), export_rows(queryset, event)),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(event, "csv")}"'
    return response


def xlsx_response(queryset: QuerySet[Registration], event: Event | None = None) -> FileResponse:
    """The export as an XLSX download: written to a temporary file (deleted when the
    response closes it), then streamed from there."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    try:
        write_xlsx(header(queryset), export_rows(queryset, event), spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return FileResponse(spool, as_attachment=True, filename=filename(event, "xlsx"),
                        content_type=XLSX_CONTENT_TYPE)


def stream_csv(queryset: QuerySet[Registration], event: Event | None = None
               ) -> Iterator[bytes]:
    """The CSV export as bytes, for a streaming response."""
    for line in write_csv(header(queryset), export_rows(queryset, event)):
        yield line.encode()


def stream_json(queryset: QuerySet[Registration], event: Event | None = None
                ) -> Iterator[bytes]:
    """The export as a JSON array of objects (the CSV's columns as keys), streamed."""
    columns = header(queryset)
    yield b"["
    for index, row in enumerate(export_rows(queryset, event, safe=False)):
        record = json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)
        yield (b"," if index else b"") + record.encode()
    yield b"]"
