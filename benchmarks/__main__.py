"""`make bench`: every benchmark prints its figures and a ratio to a baseline from the same run
(the machine is shared and noisy, so absolute numbers mean little)."""

import sys

from . import feeds, registration_rush, reminder_fanout

BENCHMARKS = [registration_rush, feeds, reminder_fanout]


def main() -> int:
    failures = 0
    for benchmark in BENCHMARKS:
        rows = benchmark.run()
        # Every "(must be 0)" figure is a correctness check, not a performance one.
        if rows and any(value for key, value in rows.items() if key.endswith("(must be 0)")):
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
