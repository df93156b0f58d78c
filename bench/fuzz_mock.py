"""Fuzz the mock at scale: `python bench/fuzz_mock.py --count 100000 --seed N`.

Starts `python -m mockserver` as a real process on a fresh database, sends `--count` random requests
(tests/reliability/fuzzing.py) and checks each answer: a 2xx or 4xx, within the client timeout, with a
body valid against xsd/. Then the mock must still answer signed ListJobs/GetStatus calls, and its RSS
must not have grown by 256 MiB or more over the run, nor by 64 MiB or more over the run's second half
(the leak check; tests/reliability/fuzzrun.py says why). Prints the figures; a failure prints its seed, the request and
the command that replays it. Exit status 0 only when every check held.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from tests.reliability.fuzzrun import run_fuzz, still_answers
from tests.reliability.mockprocess import MockProcess

REPLAY = "PYTHONPATH=. python bench/fuzz_mock.py --seed {seed} --only {index}"
SHOWN_FAILURES = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="requests to send (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the draw (default: random, printed)")
    parser.add_argument("--only", type=int, metavar="INDEX", help="send just request INDEX of the seed (replay)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    with tempfile.TemporaryDirectory(prefix="fuzz-mock-") as scratch:
        mock = MockProcess(Path(scratch) / "jobs.db", Path(scratch) / "mock.log").start()
        try:
            report = run_fuzz(mock, seed, args.count, only=args.only,
                              progress=lambda sent: print(f"  {sent} sent, RSS {mock.rss_bytes() / 2**20:.1f} MiB",
                                                          file=sys.stderr, flush=True)
                              if sent % 10_000 == 0 else None)
            aftermath = still_answers(mock.url) if mock.alive() else "the mock process died"
        finally:
            mock.stop()
    print(report.summary())
    for failure in report.failures[:SHOWN_FAILURES]:
        print(failure.describe(seed, REPLAY))
    if len(report.failures) > SHOWN_FAILURES:
        print(f"... and {len(report.failures) - SHOWN_FAILURES} more failures")
    if aftermath is not None:
        print(f"after the run: {aftermath}")
    rss_problem = None if args.only is not None else report.rss_problem()
    rss_ok = rss_problem is None
    if rss_problem is not None:
        print(f"{rss_problem}, over the bound")
    ok = not report.failures and aftermath is None and rss_ok
    print("OK" if ok else f"FAILED (seed {seed})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
