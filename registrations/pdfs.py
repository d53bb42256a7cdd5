"""PDFs of the door: an attendee's one-page ticket, and the printable check-in list for when
the network is down. Drawn with fpdf2; text in a Unicode font (DejaVu Sans, where the system
has it; else the PDF core font, with what it cannot show replaced), so any name prints.
"""

import datetime as dt
import functools
import io
from collections.abc import Sequence
from pathlib import Path

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from agenda.models import Event

from .enums import SessionChoiceStatus
from .models import Registration
from .tickets import qr_png

# Where Debian (fonts-dejavu-core), Fedora, Alpine and macOS (with it installed) keep it.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
     "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/DejaVuSans.ttf", "/Library/Fonts/DejaVuSans-Bold.ttf"),
)


@functools.cache
def _unicode_font() -> tuple[str, str] | None:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 18, 18)
        font = _unicode_font()
        if font is not None:
            self.add_font("body", "", font[0])
            self.add_font("body", "B", font[1])
            self.family = "body"
            self.unicode = True
        else:
            self.family = "helvetica"
            self.unicode = False
        self.set_creator("Agenda")

    def text_of(self, value: str) -> str:
        """``value`` as the font can show it (the core font knows Latin-1 only)."""
        if self.unicode:
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def use(self, size: float, *, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def line_of_text(self, value: str, size: float, *, bold: bool = False,
                     height: float | None = None) -> None:
        self.use(size, bold=bold)
        self.multi_cell(0, height or size * 0.5, self.text_of(value),
                        new_x="LMARGIN", new_y="NEXT")


def _moment(event: Event, moment: dt.datetime, format_name: str = "DATETIME_FORMAT") -> str:
    return formats.date_format(event.localize(moment), format_name)


def event_when(event: Event) -> str:
    """The event's dates and times in its own zone, in the active language."""
    start, end = event.local_start, event.local_end
    if start.date() == end.date():
        return (f"{formats.date_format(start, 'DATE_FORMAT')}, "
                f"{formats.time_format(start, 'TIME_FORMAT')}–"
                f"{formats.time_format(end, 'TIME_FORMAT')} ({event.timezone})")
    return f"{_moment(event, event.start)} – {_moment(event, event.end)} ({event.timezone})"


def event_where(event: Event) -> str:
    parts = [part for part in (event.venue_name, event.venue_address) if part]
    if event.is_online and not parts:
        return _("Online")
    return ", ".join(parts)


def ticket_pdf(registration: Registration) -> bytes:
    """The one-page ticket of a confirmed registration: name, event, date, venue, QR code and
    code, in the attendee's language."""
    event = registration.event
    code = registration.ticket_code
    with translation.override(registration.language or None), \
            timezone.override(event.tzinfo):
        pdf = _Document()
        pdf.set_title(pdf.text_of(_("Ticket: %(event)s") % {"event": event.title}))
        pdf.add_page()
        pdf.line_of_text(_("Ticket"), 12)
        pdf.ln(2)
        pdf.line_of_text(event.title, 20, bold=True, height=9)
        pdf.ln(2)
        pdf.line_of_text(event_when(event), 12)
        where = event_where(event)
        if where:
            pdf.line_of_text(where, 12)
        pdf.ln(6)
        pdf.line_of_text(registration.name, 18, bold=True, height=8)
        if registration.organization:
            pdf.line_of_text(registration.organization, 12)
        pdf.ln(4)
        size = 80
        pdf.image(io.BytesIO(qr_png(code, scale=10)), x=(pdf.w - size) / 2, w=size, h=size)
        pdf.ln(4)
        pdf.use(9)
        pdf.multi_cell(0, 5, code, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.line_of_text(
            _("Show this code at the entrance. It checks you in and does nothing else: "
              "keep your management link to yourself."), 10,
        )
        return bytes(pdf.output())


def check_in_list_pdf(event: Event, registrations: Sequence[Registration], *,
                      printed_at: dt.datetime | None = None) -> bytes:
    """The confirmed attendees of ``event``, in the order given (alphabetical), each with an
    empty box to tick (or a ticked one, for whoever is already checked in), their
    organization and confirmed sessions."""
    printed_at = printed_at or timezone.now()
    with timezone.override(event.tzinfo):
        pdf = _Document()
        pdf.set_title(pdf.text_of(_("Check-in list: %(event)s") % {"event": event.title}))
        pdf.add_page()
        pdf.line_of_text(event.title, 16, bold=True, height=8)
        pdf.line_of_text(event_when(event), 10)
        pdf.line_of_text(
            _("Check-in list, printed %(moment)s: %(count)d confirmed, %(checked)d already "
              "checked in.") % {
                "moment": _moment(event, printed_at),
                "count": len(registrations),
                "checked": sum(1 for r in registrations if r.checked_in_at is not None),
            }, 9,
        )
        pdf.ln(3)
        box = 5
        for registration in registrations:
            if pdf.will_page_break(11):
                pdf.add_page()
            top = pdf.get_y()
            pdf.rect(pdf.l_margin, top + 0.5, box, box)
            if registration.checked_in_at is not None:
                # Already in when the list was printed: ticked, so nobody ticks them twice.
                pdf.line(pdf.l_margin + 1, top + 3, pdf.l_margin + 2.2, top + 4.7)
                pdf.line(pdf.l_margin + 2.2, top + 4.7, pdf.l_margin + 4.2, top + 1.3)
            pdf.set_xy(pdf.l_margin + box + 3, top)
            pdf.use(11, bold=True)
            pdf.multi_cell(0, 6, pdf.text_of(
                f"{registration.name}"
                + (f" · {registration.organization}" if registration.organization else "")
            ), new_x="LMARGIN", new_y="NEXT")
            sessions = [
                choice.session.title for choice in registration.active_choices
                if choice.status == SessionChoiceStatus.CONFIRMED
            ]
            pdf.set_x(pdf.l_margin + box + 3)
            pdf.use(8)
            pdf.multi_cell(0, 4, pdf.text_of(
                registration.email + (f" — {'; '.join(sessions)}" if sessions else "")
            ), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        if not registrations:
            pdf.line_of_text(_("Nobody is confirmed yet."), 11)
        return bytes(pdf.output())
