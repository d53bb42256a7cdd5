"""`make bench`: every benchmark prints its figures and a ratio to a baseline from the same run
(the machine is shared and noisy, so absolute numbers mean little)."""

import sys

from . import registration_rush

BENCHMARKS = [registration_rush]


def main() -> int:
    failures = 0
    for benchmark in BENCHMARKS:
        rows = benchmark.run()
        if rows and (rows.get("overbookings (must be 0)") or rows.get("5xx responses (must be 0)")):
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
