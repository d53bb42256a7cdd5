"""The attendee's event page (``/events/<slug>/``, pages/urls.py) with 200 and 2,000
sessions, requests/s from ``CLIENTS`` clients, against a bare view rendering a minimal
template through Django's template engine (no database). Reported, no target."""

from . import compare, data
from .results import Row
from .support import Request, server, sizes

SIZES = sizes("PAGE", "200,2000", "200,1000")


def measure(db: str) -> list[Row]:
    rows = []
    with server() as web:
        for size in SIZES:
            event = data.create_event(size, slug=f"page-{size}")
            comparison = compare.throughput(
                web, Request(f"/events/{event.slug}/"), Request("/bench/template/")
            )
            rows.append(compare.throughput_row(
                comparison, benchmark="event page /events/<slug>/", size=size, db=db,
                baseline_name="minimal template",
            ))
    return rows
