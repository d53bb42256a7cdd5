"""The locust load mix's rows: written by the load-mix run (``tests/slow``, ``make test-slow``)
into ``bench-results/load_mix.json``, one p99 per endpoint; this module only reads it.

Accepted shapes: ``{"endpoints": {"GET /api/v1/events/": {"p99_ms": 120}, ...}}``, the same
without ``"endpoints"``, values as plain numbers, or a list of
``{"name": ..., "p99_ms": ...}``; an optional ``"target_p99_ms"`` beside them."""

import json

from .results import Row
from .support import RESULTS

LOAD_MIX = RESULTS / "load_mix.json"


def _p99(value) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        for key in ("p99_ms", "p99", "99%", "response_time_percentile_0.99"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
    return None


def _endpoints(figures) -> dict[str, float | None]:
    if isinstance(figures, dict) and "endpoints" in figures:
        figures = figures["endpoints"]
    if isinstance(figures, list):
        return {str(item.get("name") or item.get("endpoint")): _p99(item) for item in figures}
    return {name: _p99(value) for name, value in figures.items() if name != "target_p99_ms"}


def table_rows() -> list[Row]:
    if not LOAD_MIX.exists():
        return [Row(benchmark="load mix (locust)", size="—", db="—",
                    subject="not run (no bench-results/load_mix.json)", baseline="—")]
    figures = json.loads(LOAD_MIX.read_text())
    target = figures.get("target_p99_ms") if isinstance(figures, dict) else None
    rows = []
    for name, p99 in _endpoints(figures).items():
        row = Row(benchmark=f"load mix (locust): {name}", size="—", db="—",
                  subject="p99 unreadable" if p99 is None else f"p99 {p99:.0f} ms",
                  baseline="—")
        if target is not None and p99 is not None:
            row.conditions = {f"p99 ≤ {target} ms": p99 <= target}
        rows.append(row)
    return rows
