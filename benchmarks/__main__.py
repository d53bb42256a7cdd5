"""`make bench`: every benchmark against its baseline on the same server and database, then
ONE table (printed, and written to bench-results/summary.md), with every row's JSON in
bench-results/. Exits non-zero when a "must be 0" figure is not 0 (or a benchmark crashed);
a missed speed target is printed, not an error.

``BENCH_ONLY=rush,feeds`` runs some of them; ``BENCH_QUICK=1`` fewer slices, smaller sizes.
"""

import datetime as dt
import os
import subprocess
import sys
import time

from . import environment, load_mix, reminder_fanout, results
from .environment import POSTGRESQL, SQLITE
from .support import QUICK, RESULTS, ROOT, SLICES

# (benchmark module, database), in the order of the table.
PLAN = [
    ("rush", POSTGRESQL),
    ("feeds", POSTGRESQL),
    ("conditional", SQLITE),
    ("conditional", POSTGRESQL),
    ("api", POSTGRESQL),
    ("page", POSTGRESQL),
]
NAMES = {
    "rush": "registration rush", "feeds": "event feed", "conditional": "304",
    "api": "list API", "page": "event page", "reminders": "reminder fan-out",
    "load_mix": "load mix",
}


def _selected() -> set[str]:
    only = os.environ.get("BENCH_ONLY", "").strip()
    chosen = {name.strip() for name in only.split(",") if name.strip()} if only else set(NAMES)
    unknown = chosen - set(NAMES)
    if unknown:
        raise SystemExit(f"BENCH_ONLY: unknown {sorted(unknown)}; choose from {sorted(NAMES)}")
    return chosen


def _run_one(name: str, db: str, databases: environment.Databases, broker: str | None,
             work_dir) -> list[results.Row]:
    if db == POSTGRESQL and not environment.postgresql_available():
        return [results.skipped(NAMES[name], db, "PostgreSQL is not reachable")]
    var_dir = work_dir / f"{name}-{db}"
    var_dir.mkdir()
    environment.link_static(var_dir, work_dir)
    output = RESULTS / f"{name}-{db}.json"
    output.unlink(missing_ok=True)
    began = time.monotonic()
    print(f"--- {NAMES[name]} on {db}", flush=True)
    try:
        with databases.fresh(db, name, var_dir) as database_url:
            environment.empty_broker(broker)
            env = environment.base_env(database_url, var_dir, broker=broker)
            completed = subprocess.run(
                [sys.executable, "-m", "benchmarks.run", name, db], cwd=ROOT, check=False,
                env={**os.environ, **env},
            )
    finally:
        environment.empty_broker(broker)
    print(f"    ({time.monotonic() - began:.0f} s)", flush=True)
    if completed.returncode != 0 or not output.exists():
        return [results.crashed(NAMES[name], db, f"exit code {completed.returncode}")]
    return results.load(f"{name}-{db}")


def main() -> int:
    chosen = _selected()
    began = time.monotonic()
    RESULTS.mkdir(exist_ok=True)
    rows: list[results.Row] = []
    broker = environment.broker_url()
    with environment.work_dir() as work_dir:
        databases = environment.Databases(work_dir)
        try:
            for name, db in PLAN:
                if name in chosen:
                    rows += _run_one(name, db, databases, broker, work_dir)
        finally:
            if environment.postgresql_available():
                databases.drop_templates()
    if "reminders" in chosen:
        print("--- reminder fan-out", flush=True)
        rows += reminder_fanout.table_rows(reminder_fanout.run())
    if "load_mix" in chosen:
        rows += load_mix.table_rows()

    minutes = (time.monotonic() - began) / 60
    header = (
        f"`make bench`{' (BENCH_QUICK=1)' if QUICK else ''}, {dt.date.today():%Y-%m-%d}, "
        f"{os.cpu_count()} cores, {SLICES} slices a side, {minutes:.1f} min"
    )
    results.save("all", rows)
    (RESULTS / "summary.md").write_text(results.summary_markdown(rows, header=header))
    print("\n" + header + "\n" + results.CONNECTIONS_NOTE + "\n")
    print(results.text_table(rows))
    curves = results.cost_curves(rows)
    if curves:
        print("\nCost curves (per-request time, big size against small):")
        for line in curves:
            print(f"  {line}")
    broken = [row for row in rows if row.broken]
    missed = [row for row in rows if row.meets_target is False]
    print(f"\nWritten: {RESULTS / 'summary.md'} and {RESULTS}/*.json")
    if missed:
        print(f"Speed targets missed: {len(missed)} row(s) (reported, not an error).")
    if broken:
        print(f"CORRECTNESS FAILURES (must be 0): {len(broken)} row(s); see the table.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
