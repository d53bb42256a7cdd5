"""List API: ``/api/v1/events/`` and ``/api/v1/sessions/?page_size=50`` against bare views
returning a ``.values()`` JSON of the same rows and fields (``benchmarks.baselines``), same
page size and ordering; requests/s from ``CLIENTS`` clients, with 200 and 2,000 sessions in
the database (events of 20 sessions). Queries per request are counted once through Django's
test client, outside the timed part."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import compare, data
from .results import Row
from .support import Request, server, sizes

SIZES = sizes("API", "200,2000", "200,1000")
TARGET = "≥ 0.5"
MAX_QUERIES = 3
ENDPOINTS = (
    ("/api/v1/events/", "/bench/api/events/"),
    ("/api/v1/sessions/?page_size=50", "/bench/api/sessions/?page_size=50"),
)


def queries_of(path: str) -> int:
    client = Client(HTTP_HOST="localhost")
    client.get(path)  # the first request of a process loads what later ones reuse
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries.captured_queries)


def measure(db: str) -> list[Row]:
    rows = []
    previous = 0
    with server() as web:
        for size in SIZES:
            data.create_agenda(size - previous)
            previous = size
            for path, floor in ENDPOINTS:
                queries = queries_of(path)
                comparison = compare.throughput(web, Request(path), Request(floor))
                rows.append(compare.throughput_row(
                    comparison, benchmark=f"list API {path}", size=size, db=db,
                    baseline_name=".values() JSON", target=TARGET,
                    subject_extra=f"{queries} queries",
                    conditions={f"≤ {MAX_QUERIES} queries": queries <= MAX_QUERIES},
                    notes="size: sessions in the database, in events of 20",
                ))
    return rows
