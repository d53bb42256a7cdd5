"""``python -m benchmarks.run <benchmark> <db>``: one benchmark in a process of its own (Django
is set up once per process, each benchmark on its own database), in the environment
``benchmarks.__main__`` gives it; its rows go to ``bench-results/<benchmark>-<db>.json``."""

import importlib
import os
import sys
from pathlib import Path

from . import results


def main(name: str, db: str) -> int:
    import django

    django.setup()
    module = importlib.import_module(f"benchmarks.{name}")
    rows = module.measure(db=db)
    results.save(f"{name}-{db}", rows)
    if any(row.broken for row in rows):
        _show_server_errors(Path(os.environ["AGENDA_VAR_DIR"]) / "gunicorn.log")
    return 0


def _show_server_errors(log: Path) -> None:
    """The server's first traceback, so that a failed check says why (the log goes with the
    temporary directory)."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    start = next((n for n, line in enumerate(lines) if "Traceback" in line), None)
    if start is not None:
        print("\n".join(["gunicorn's first error:", *lines[start:start + 40]]))


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
