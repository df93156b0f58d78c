"""How long the default conformance run takes: `pytest` (serial) and `pytest -p xdist -n 2`, side by side.

Each round runs both commands once, in alternating order, from the repository root with the bundled
mock (each run starts its own), and reads the item count from `results.json`. The script prints the
median wall time of each command over the rounds, items per second, and the serial/parallel ratio.

    python bench/bench_suite.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "serial": ["-p", "no:randomly"],
    "xdist -n 2": ["-p", "xdist", "-n", "2", "-p", "no:randomly"],
}


def run_once(extra: list[str]) -> tuple[float, int]:
    """Wall seconds of one suite run and the number of items it reported."""
    with tempfile.TemporaryDirectory() as report_dir:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--report-dir={report_dir}", *extra]
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            raise SystemExit(f"suite run failed (exit {completed.returncode}): {' '.join(command)}")
        counts = json.loads((Path(report_dir) / "results.json").read_text())["run"]["counts"]
    return elapsed, sum(counts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each command (default 3)")
    rounds = parser.parse_args().rounds
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    items = 0
    for round_number in range(rounds):
        order = list(COMMANDS) if round_number % 2 == 0 else list(reversed(COMMANDS))
        for name in order:
            elapsed, items = run_once(COMMANDS[name])
            times[name].append(elapsed)
            print(f"round {round_number + 1} {name}: {elapsed:.1f} s ({items} items)", flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name}: median {median:.1f} s over {rounds} rounds, {items / median:.0f} items/s")
    print(f"ratio serial / xdist -n 2: {medians['serial'] / medians['xdist -n 2']:.2f}")


if __name__ == "__main__":
    main()
