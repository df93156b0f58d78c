"""The whole default conformance run against each hostile endpoint: wall time and whether it ended cleanly.

For every misbehaviour of `tests/hostile/hostile_servers.py` (entity bomb, XXE, 100 MB body, hang,
1 byte/s drip, 301/307 redirects to another port, garbage status line, body cut off, wrong
Content-Length) the script starts the endpoint, runs
`pytest -p no:randomly --endpoint-url URL --timeout 1 -q` over the whole suite, and prints the exit
code, wall seconds, pytest's counts, requests the endpoint saw, hits on the redirect target and the
problems `hostile_run.problems` finds (a clean run has exit code 1 and none).

    python bench/hostile_suite.py [--behaviour hang --behaviour drip ...] [--auth sigv4]

Hang and drip cost a full timeout per request: about 1 s per case, 15-20 minutes each for both schemes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))

from hostile_run import problems, run_suite
from hostile_servers import BEHAVIOURS

DEADLINE_S = 3600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--behaviour", action="append", choices=BEHAVIOURS,
                        help="run only this misbehaviour (repeatable; default: all)")
    parser.add_argument("--auth", choices=["sigv2", "sigv4", "both"], default="both",
                        help="the schemes every signed case runs under (default: %(default)s)")
    args = parser.parse_args()
    unclean = 0
    print(f"{'behaviour':<12} {'exit':>4} {'wall s':>8} {'requests':>8} {'foreign':>7} {'problems':>8}  pytest")
    for behaviour in args.behaviour or BEHAVIOURS:
        run = run_suite(behaviour, ["--auth", args.auth], DEADLINE_S)
        found = problems(run)
        unclean += bool(found)
        print(f"{behaviour:<12} {run.returncode:>4} {run.wall_s:>8.1f} {run.endpoint_requests:>8} "
              f"{run.foreign_hits:>7} {len(found):>8}  {run.summary}", flush=True)
        for problem in found[:3]:
            print("    " + problem.replace("\n", "\n    ")[:1500], flush=True)
    print(f"command: pytest -p no:randomly -p no:cacheprovider --endpoint-url URL --timeout 1 -q --auth {args.auth}")
    return 1 if unclean else 0


if __name__ == "__main__":
    sys.exit(main())
