"""The two ways a read is compared with its baseline, and the table rows they give:

* throughput (``CLIENTS`` concurrent clients): requests/s of the subject over the baseline's,
  higher is better;
* cost (one client, one request at a time): the subject's time per request as a fraction of
  the baseline's, lower is better.
"""

from collections.abc import Callable

from .results import Row
from .support import (
    CLIENTS,
    Comparison,
    Load,
    Request,
    Server,
    alternate,
    fetch,
    load,
    median,
    requests_per_slice,
)


def unexpected(loads: list[Load], expected: tuple[int, ...]) -> dict[str, int]:
    """The "must be 0" figures of a read: 5xx, and any other status than ``expected``."""
    statuses = [status for one in loads for status in one.statuses]
    return {
        "5xx": sum(1 for status in statuses if status >= 500),
        f"not {'/'.join(map(str, expected))}": sum(
            1 for status in statuses if status not in expected and status < 500
        ),
    }


def _slice_length(server: Server, subject: Request, baseline: Request, clients: int) -> int:
    seconds = max(fetch(server.port, subject).seconds, fetch(server.port, baseline).seconds)
    # A slow one-client slice (a big feed) is a few requests; many slices matter more.
    return requests_per_slice(seconds, clients=clients, low=3 if clients > 1 else 2)


def throughput(server: Server, subject: Request, baseline: Request, *,
               clients: int = CLIENTS) -> Comparison:
    count = _slice_length(server, subject, baseline, clients)
    return alternate(
        lambda: load(lambda: server.port, [subject] * count, clients=clients),
        lambda: load(lambda: server.port, [baseline] * count, clients=clients),
    )


def cost(server: Server, subject: Request, baseline: Request, *,
         before_subject: Callable[[], None] | None = None) -> Comparison:
    """One client; ``before_subject`` (untimed) runs before each of the subject's requests."""
    count = _slice_length(server, subject, baseline, 1)
    return alternate(
        lambda: load(lambda: server.port, [subject] * count, before_each=before_subject),
        lambda: load(lambda: server.port, [baseline] * count),
    )


def throughput_row(comparison: Comparison, *, benchmark: str, size: int, db: str,
                   baseline_name: str, target: str = "", expected: tuple[int, ...] = (200,),
                   subject_extra: str = "", **fields) -> Row:
    subject_rps = median([one.requests_per_second for one in comparison.subject])
    baseline_rps = median([one.requests_per_second for one in comparison.baseline])
    return Row(
        benchmark=benchmark, size=f"{size:,}", db=db,
        subject=f"{subject_rps:.0f} req/s, p50 {_p50(comparison.subject):.1f} ms"
        + (f", {subject_extra}" if subject_extra else ""),
        baseline=f"{baseline_name}: {baseline_rps:.0f} req/s, "
        f"p50 {_p50(comparison.baseline):.1f} ms",
        ratios=comparison.ratios(lambda one: one.requests_per_second),
        target=target, checks=unexpected(comparison.loads(), expected),
        curve=fields.pop("curve", benchmark), size_value=size,
        subject_ms=1000 / subject_rps if subject_rps else None,
        baseline_ms=1000 / baseline_rps if baseline_rps else None,
        **fields,
    )


def cost_row(comparison: Comparison, *, benchmark: str, size: int, db: str,
             baseline_name: str, target: str = "", subject_extra: str = "",
             **fields) -> Row:
    subject_ms, baseline_ms = _p50(comparison.subject), _p50(comparison.baseline)
    return Row(
        benchmark=benchmark, size=f"{size:,}", db=db,
        subject=f"{subject_ms:.1f} ms/req" + (f", {subject_extra}" if subject_extra else ""),
        baseline=f"{baseline_name}: {baseline_ms:.1f} ms/req",
        ratios=comparison.ratios(lambda one: one.median_ms),
        target=target, checks=unexpected(comparison.loads(), (200,)),
        curve=fields.pop("curve", benchmark), size_value=size,
        subject_ms=subject_ms, baseline_ms=baseline_ms, **fields,
    )


def _p50(loads: list[Load]) -> float:
    return median([one.median_ms for one in loads])
