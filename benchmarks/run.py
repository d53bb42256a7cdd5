"""``python -m benchmarks.run <benchmark> <db>``: one benchmark in a process of its own (Django
is set up once per process, each benchmark on its own database), in the environment
``benchmarks.__main__`` gives it; its rows go to ``bench-results/<benchmark>-<db>.json``."""

import importlib
import sys

from . import results


def main(name: str, db: str) -> int:
    import django

    django.setup()
    module = importlib.import_module(f"benchmarks.{name}")
    rows = module.measure(db=db)
    results.save(f"{name}-{db}", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
