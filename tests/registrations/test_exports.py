"""registrations.exports: the attendee list as CSV and XLSX, formula-safe, in the event's zone,
streamed in flat memory."""

import csv
import datetime as dt
import io
import tempfile
import tracemalloc

import openpyxl
import pytest
from django.utils import timezone

from registrations import exports, services
from registrations.enums import RegistrationStatus, SessionChoiceStatus
from registrations.models import Registration, SessionChoice
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+2", "+31 6", "-2", "@SUM(A1)", "\tTab", "\rReturn"]


def csv_rows(queryset, event=None) -> list[dict]:
    text = "".join(exports.write_csv(exports.header(queryset),
                                     exports.export_rows(queryset, event)))
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(queryset, event=None) -> list[list[str]]:
    with tempfile.TemporaryFile() as spool:
        exports.write_xlsx(exports.header(queryset), exports.export_rows(queryset, event), spool)
        spool.seek(0)
        sheet = openpyxl.load_workbook(spool, read_only=True).active
        # OOXML writes a carriage return as "_x000D_"; spreadsheet programs read it back as
        # one, openpyxl's read-only reader leaves it as written.
        return [["" if cell is None else cell.replace("_x000D_", "\r") for cell in row]
                for row in sheet.iter_rows(values_only=True)]


def test_formula_safe_prefixes_every_formula_start_and_nothing_else():
    assert [exports.formula_safe(value) for value in [*DANGEROUS, "Ana", "", "a=b"]] == [
        "'=1+2", "'+31 6", "'-2", "'@SUM(A1)", "'\tTab", "'\rReturn", "Ana", "", "a=b",
    ]


def test_export_gives_sessions_and_times_in_the_events_zone():
    start = dt.datetime(2040, 6, 1, 7, 0, tzinfo=dt.UTC)  # 15:00 in Shanghai
    event = EventFactory(timezone="Asia/Shanghai", start=start, end=start + dt.timedelta(hours=8),
                         capacity=1)
    plenary = SessionFactory(event=event, title="Plenary", capacity=1)
    workshop = SessionFactory(event=event, title="Workshop", capacity=1)
    seated = RegistrationFactory(event=event, name="Ana", session_ids=[plenary.pk, workshop.pk])
    RegistrationFactory(event=EventFactory(), name="Elsewhere")
    services.check_in(registration=seated)
    seated.refresh_from_db()
    waiting = RegistrationFactory(event=event, name="Bo")
    assert waiting.status == RegistrationStatus.WAITLISTED

    rows = csv_rows(Registration.objects.filter(event=event), event)

    def local(moment):
        return moment.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M:%S")

    assert [(row["name"], row["status"], row["sessions"], row["timezone"]) for row in rows] == [
        ("Ana", "confirmed", "Plenary; Workshop", "Asia/Shanghai"),
        ("Bo", "waitlisted", "", "Asia/Shanghai"),
    ]
    assert (rows[0]["registered_at"], rows[0]["checked_in_at"]) == (
        local(seated.created_at), local(seated.checked_in_at),
    )
    assert list(rows[0]) == exports.header()


def test_export_lists_waitlisted_sessions_apart():
    event = EventFactory()
    full = SessionFactory(event=event, title="Full", capacity=1)
    RegistrationFactory(event=event, session_ids=[full.pk])
    RegistrationFactory(event=event, name="Waiting", session_ids=[full.pk], join_waitlist=True)

    rows = csv_rows(Registration.objects.filter(event=event, name="Waiting"), event)

    assert [(row["sessions"], row["sessions_waitlisted"]) for row in rows] == [("", "Full")]


def test_export_lists_the_sessions_a_pending_registration_asked_for():
    event = EventFactory(requires_approval=True)
    session = SessionFactory(event=event, title="Workshop")
    RegistrationFactory(event=event, session_ids=[session.pk])

    (row,) = csv_rows(Registration.objects.filter(event=event), event)

    assert (row["status"], row["sessions"], row["sessions_requested"]) == (
        "pending_approval", "", "Workshop")


@pytest.mark.parametrize("writer", [csv_rows, xlsx_rows])
def test_export_neutralises_formulas_in_every_text_cell(writer):
    event = EventFactory()
    for value in DANGEROUS:
        RegistrationFactory(event=event, name=value, organization=value)

    rows = writer(Registration.objects.filter(event=event), event)

    if writer is csv_rows:
        values = [(row["name"], row["organization"]) for row in rows]
    else:
        name, organization = exports.header().index("name"), exports.header().index(
            "organization")
        values = [(row[name], row[organization]) for row in rows[1:]]
    assert values == [(f"'{value}", f"'{value}") for value in DANGEROUS]


def test_xlsx_opens_in_openpyxl_with_the_header_and_every_row_as_text():
    event = EventFactory()
    session = SessionFactory(event=event, title="Plenary")
    for index in range(3):
        RegistrationFactory(event=event, name=f"Person {index}", session_ids=[session.pk])

    rows = xlsx_rows(Registration.objects.filter(event=event), event)

    assert rows[0] == exports.header()
    assert rows[1:] == [list(row) for row in
                        exports.export_rows(Registration.objects.filter(event=event), event)]
    assert [row[1] for row in rows[1:]] == ["Person 0", "Person 1", "Person 2"]


def test_csv_and_xlsx_hold_the_same_rows():
    event = EventFactory()
    for value in ["Zoë", "=cmd", "Ünïcode ✓"]:
        RegistrationFactory(event=event, name=value)
    queryset = Registration.objects.filter(event=event)

    from_csv = [list(row.values()) for row in csv_rows(queryset, event)]

    assert from_csv == xlsx_rows(queryset, event)[1:]


def many_registrations(count: int):
    """``count`` registrations (rows written directly: the service would take minutes), each
    with a confirmed session choice."""
    event = EventFactory()
    session = SessionFactory(event=event, title="Plenary")
    now = timezone.now()
    Registration.objects.bulk_create(
        [Registration(event=event, name=f"Attendee {index}", email=f"a{index}@example.org",
                      organization="Cooperative", status=RegistrationStatus.CONFIRMED,
                      consent_version="1", consented_at=now)
         for index in range(count)],
        batch_size=1000,
    )
    ids = Registration.objects.filter(event=event).values_list("pk", flat=True)
    SessionChoice.objects.bulk_create(
        [SessionChoice(registration_id=pk, session=session,
                       status=SessionChoiceStatus.CONFIRMED) for pk in ids],
        batch_size=1000,
    )
    return event


def peak_memory(write) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def export_peaks(count: int) -> tuple[int, int, int]:
    event = many_registrations(count)
    queryset = Registration.objects.filter(event=event)

    def write_csv():
        lines = 0
        for _line in exports.write_csv(exports.header(), exports.export_rows(queryset, event)):
            lines += 1
        assert lines == count + 1

    def write_xlsx():
        with tempfile.TemporaryFile() as spool:
            exports.write_xlsx(exports.header(), exports.export_rows(queryset, event), spool)

    return peak_memory(write_csv), peak_memory(write_xlsx), count


def test_exports_of_ten_thousand_rows_take_no_more_memory_than_of_one_thousand():
    small_csv, small_xlsx, _ = export_peaks(1_000)
    Registration.objects.all().delete()
    large_csv, large_xlsx, _ = export_peaks(10_000)

    # Ten times the rows, about the same memory: one chunk of rows at a time. (Holding the
    # rows would take some ten times as much.)
    assert large_csv < 2 * small_csv, (small_csv, large_csv)
    assert large_xlsx < 2 * small_xlsx, (small_xlsx, large_xlsx)


def test_export_reads_a_constant_number_of_queries_per_chunk(django_assert_num_queries):
    event = many_registrations(25)
    queryset = Registration.objects.filter(event=event)

    # The questions, one read of the registrations, streamed, and one of the sessions of
    # each chunk of ten (no questions: no answers to read).
    with django_assert_num_queries(5):
        rows = list(exports.export_rows(queryset, event, chunk_size=10))

    assert len(rows) == 25


def test_exports_carry_each_questions_answers_formula_safe_in_both_formats():
    event = EventFactory()
    job = QuestionFactory(event=event, text_en="Job title")
    RegistrationFactory(event=event, name="Ana", answers={job.pk: "=cmd()"})
    RegistrationFactory(event=event, name="Bo")
    queryset = Registration.objects.filter(event=event)

    rows = csv_rows(queryset, event)

    assert [(row["name"], row["Job title"]) for row in rows] == [("Ana", "'=cmd()"), ("Bo", "")]
    assert xlsx_rows(queryset, event)[0][-1] == "Job title"
    assert [row[-1] for row in xlsx_rows(queryset, event)[1:]] == ["'=cmd()", ""]
