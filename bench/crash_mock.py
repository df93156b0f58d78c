"""Crash durability at scale: `python bench/crash_mock.py --rounds 20 [--seed N]`.

Each round starts `python -m mockserver` on a database, runs 4 CreateJob/UpdateJob loaders, SIGKILLs
the process after a random 0.3-2.5 s, restarts it on the same --db and checks that every job and every
update acknowledged with a 200 is there and whole (tests/reliability/crash.py). Prints per round and in
total: writes acknowledged, lost, half-written. Exit status 0 only when nothing was lost.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability.crash import crash_round


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="kill/restart rounds (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill moments (default: random, printed)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    started = time.monotonic()
    survived = jobs = updates = lost = half = 0
    for number in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory(prefix="crash-mock-") as scratch:
            result = crash_round(Path(scratch), rng)
        jobs += result.jobs_acknowledged
        updates += result.updates_acknowledged
        lost += len(result.lost)
        half += len(result.half_written)
        survived += not result.lost and not result.half_written
        print(f"round {number}: killed after {result.killed_after_s:.2f} s; acknowledged {result.jobs_acknowledged} "
              f"jobs, {result.updates_acknowledged} updates; lost {len(result.lost)}, "
              f"half-written {len(result.half_written)}", flush=True)
        for line in (result.lost + result.half_written)[:5]:
            print(f"  {line}")
    print(f"seed {seed}: {survived}/{args.rounds} kills survived; {jobs} jobs and {updates} updates acknowledged; "
          f"{lost} acknowledged writes lost, {half} half-written; {time.monotonic() - started:.1f} s")
    return 0 if lost == 0 and half == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
