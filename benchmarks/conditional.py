"""304: the conditional GET of an event feed with its ETag (``If-None-Match``), against a bare
view that answers 304 at once, requests/s from ``CLIENTS`` clients; on SQLite and on
PostgreSQL (``benchmarks.__main__`` runs this once on each), at two sizes."""

from . import compare, data
from .results import Row
from .support import Request, fetch, server, sizes

SIZES = sizes("CONDITIONAL", "200,2000", "200,1000")
TARGET = "≥ 0.7"


def measure(db: str) -> list[Row]:
    rows = []
    with server() as web:
        for size in SIZES:
            event = data.create_event(size, slug=f"conditional-{size}")
            path = f"/feeds/events/{event.slug}.ics"
            etag = fetch(web.port, Request(path)).headers["etag"]
            subject = Request(path, headers=(("If-None-Match", etag),))
            comparison = compare.throughput(
                web, subject, Request("/bench/not-modified/")
            )
            rows.append(compare.throughput_row(
                comparison, benchmark="304 of the event feed (If-None-Match)", size=size,
                db=db, baseline_name="bare 304 view", target=TARGET, expected=(304,),
                curve=f"304 ({db})",
            ))
    return rows
