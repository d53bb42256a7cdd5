"""One row per figure of the final table, its JSON form, and the table itself (terminal and
Markdown), with the cost curves (how per-request time grows from the small size to the big)."""

import json
import math
import operator
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from .support import RESULTS, Spread

TABLE_HEADER = (
    "benchmark", "size", "db", "subject", "baseline", "ratio median [min–max]", "target",
    "result",
)
CONNECTIONS_NOTE = (
    "Every request is on a new TCP connection (`Connection: close`), to gunicorn started as "
    "the Procfile starts it (DEBUG off); subject and baseline on the same server and database, "
    "in alternating slices (A B A B …) after a warm-up slice of each; ratios are medians with "
    "min–max over slice pairs."
)


@dataclass
class Row:
    benchmark: str
    size: str
    db: str
    subject: str
    baseline: str
    ratios: list[float] = field(default_factory=list)  # one per pair of slices
    target: str = ""  # "≥ 0.5", "≤ 0.25", "" (no target: reported only)
    # Figures that must be 0 (overbookings, 5xx, lost messages...): the run fails otherwise.
    checks: dict[str, int] = field(default_factory=dict)
    # Further conditions of the target besides the ratio (p99 < 500 ms, ≤ 3 queries).
    conditions: dict[str, bool] = field(default_factory=dict)
    notes: str = ""
    # For the cost curve: rows with the same ``curve`` at different sizes.
    curve: str = ""
    size_value: int = 0
    subject_ms: float | None = None  # per-request time of the subject
    baseline_ms: float | None = None

    @property
    def ratio(self) -> Spread | None:
        finite = [value for value in self.ratios if math.isfinite(value)]
        return Spread.of(finite) if finite else None

    @property
    def broken(self) -> dict[str, int]:
        return {name: value for name, value in self.checks.items() if value}

    @property
    def meets_target(self) -> bool | None:
        """None when there is no target (a figure to report)."""
        if not self.target and not self.conditions:
            return None
        ok = all(self.conditions.values())
        if self.target:
            ratio = self.ratio
            compare, limit = _parse_target(self.target)
            ok = ok and ratio is not None and compare(ratio.median, limit)
        return ok

    @property
    def result(self) -> str:
        if self.broken:
            return "FAIL: " + ", ".join(f"{name} = {value}" for name, value in self.broken.items())
        verdict = self.meets_target
        if verdict is None:
            return "reported"
        if verdict:
            return "pass"
        missed = [name for name, ok in self.conditions.items() if not ok]
        return "missed" + (f" ({', '.join(missed)})" if missed else "")

    def cells(self) -> tuple[str, ...]:
        ratio = self.ratio
        target = " and ".join(
            part for part in (self.target, *self.conditions) if part
        ) or "(report)"
        return (
            self.benchmark, self.size, self.db, self.subject, self.baseline,
            ratio.format() if ratio else "—", target, self.result,
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": asdict(self.ratio) if self.ratio else None,
                "result": self.result}

    @classmethod
    def from_dict(cls, data: dict) -> "Row":
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in names})


def _parse_target(target: str):
    symbol, number = target.split()
    return {"≥": operator.ge, "≤": operator.le}[symbol], float(number)


def crashed(benchmark: str, db: str, detail: str) -> Row:
    """The row of a benchmark that did not finish: a failure, not a missed target."""
    return Row(benchmark=benchmark, size="—", db=db, subject=detail, baseline="—",
               checks={"benchmark crashed": 1})


def skipped(benchmark: str, db: str, reason: str) -> Row:
    return Row(benchmark=benchmark, size="—", db=db, subject=f"not run: {reason}", baseline="—")


def save(name: str, rows: list[Row]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(
        json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False)
    )


def load(name: str) -> list[Row]:
    return [Row.from_dict(data) for data in json.loads((RESULTS / f"{name}.json").read_text())]


def cost_curves(rows: list[Row]) -> list[str]:
    """For each figure measured at two sizes or more: how the per-request time grows from the
    smallest size to the largest, the subject's and the baseline's."""
    by_curve: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.curve and row.subject_ms:
            by_curve[row.curve].append(row)
    lines = []
    for curve, members in by_curve.items():
        if len({row.size_value for row in members}) < 2:
            continue
        small = min(members, key=lambda row: row.size_value)
        big = max(members, key=lambda row: row.size_value)
        line = (
            f"{curve}: per-request time ×{big.subject_ms / small.subject_ms:.2f} "
            f"from {small.size_value:,} to {big.size_value:,}"
        )
        if small.baseline_ms and big.baseline_ms:
            line += f" (baseline ×{big.baseline_ms / small.baseline_ms:.2f})"
        lines.append(line)
    return lines


def text_table(rows: list[Row]) -> str:
    cells = [TABLE_HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(TABLE_HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
             for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    def line(cells) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    body = [line(row.cells()) for row in rows]
    return "\n".join([line(TABLE_HEADER), line(["---"] * len(TABLE_HEADER)), *body])


def summary_markdown(rows: list[Row], *, header: str) -> str:
    curves = cost_curves(rows)
    parts = [header, "", CONNECTIONS_NOTE, "", markdown_table(rows)]
    if curves:
        parts += ["", "Cost curves (per-request time, big size against small):", ""]
        parts += [f"- {line}" for line in curves]
    return "\n".join(parts) + "\n"
