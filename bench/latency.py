"""The suite across a network: whole-suite time at 0, 50 and 150 ms round trip, serial and concurrent.

One mock is started by hand (`python -m mockserver --admin --jobs-per-day 1000000`, as a user's
shared endpoint would be) and kept for the whole measurement; the suite reaches it directly (0 ms)
or through `DelayProxy` (bench/delay_proxy.py, half the round trip each way), with
`--endpoint-url` and `--control-url` pointing at the proxy. At each round trip the serial run
(`--concurrency 1`) and the concurrent run (`--concurrency N`) alternate, the order swapped every
round, and every run's verdict (each node id's outcome in results.json) must equal the first serial
run's. The mock keeps the jobs of every run: later runs see earlier runs' jobs, as a shared staging
server would.

    python bench/latency.py [--round-trips 0,50,150] [--concurrency 16] [--rounds 1] [--select fixtures/ListJobs]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from delay_proxy import DelayProxy
from harness import REPO_ROOT, child_environment, start_mock, summary

DEFAULT_ROUND_TRIPS_MS = (0, 50, 150)
QUICK_SELECTION = ("fixtures/CancelJob", "fixtures/auth")
DEFAULT_CONCURRENCY = 16
TARGET_ROUND_TRIP_MS = 50
TARGET_S = 30.0


def run_suite(endpoint_url: str, concurrency: int, select: list[str]) -> tuple[float, dict[str, str], str]:
    """Wall seconds of one run, its verdict (node id -> outcome) and its summary line."""
    with tempfile.TemporaryDirectory() as report_dir:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                   f"--endpoint-url={endpoint_url}", f"--control-url={endpoint_url}/_mock",
                   f"--concurrency={concurrency}", f"--report-dir={report_dir}", *select]
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=REPO_ROOT, env=child_environment(), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        elapsed = time.perf_counter() - started
        results = Path(report_dir) / "results.json"
        if not results.is_file():
            raise SystemExit(f"suite run failed (exit {completed.returncode}): {' '.join(command)}\n"
                             f"{completed.stdout[-2000:]}")
        cases = json.loads(results.read_text())["cases"]
    last_line = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""
    return elapsed, {case["node_id"]: case["outcome"] for case in cases}, last_line


def verdict_difference(reference: dict[str, str], verdict: dict[str, str]) -> list[str]:
    """Node ids whose outcome differs (or that only one run has), at most 10, as `id: a -> b`."""
    differing = sorted(node for node in reference.keys() | verdict.keys() if reference.get(node) != verdict.get(node))
    return [f"{node}: {reference.get(node)} -> {verdict.get(node)}" for node in differing[:10]]


def measure(round_trips_ms: tuple[int, ...], concurrency: int, rounds: int, select: list[str]) -> dict:
    """Times per round trip and mode, the verdict comparison, and the target check."""
    modes = {"serial": 1, f"concurrency {concurrency}": concurrency}
    results: dict = {"concurrency": concurrency, "rounds": rounds, "selection": select or ["the whole suite"],
                     "round_trips": {}}
    reference: dict[str, str] | None = None
    differences: list[str] = []
    with start_mock("--admin", "--jobs-per-day", "1000000") as mock:
        port = int(mock.url.rsplit(":", 1)[1].split("/")[0])
        for round_trip in round_trips_ms:
            times: dict[str, list[float]] = {mode: [] for mode in modes}
            with DelayProxy(port, round_trip / 2) as proxy:
                url = mock.url if round_trip == 0 else proxy.url
                for round_number in range(rounds):
                    order = list(modes) if round_number % 2 == 0 else list(reversed(modes))
                    for mode in order:
                        elapsed, verdict, line = run_suite(url, modes[mode], select)
                        times[mode].append(elapsed)
                        print(f"  {round_trip:>3} ms  {mode:<16} {elapsed:6.1f} s  {line}", flush=True)
                        if reference is None:
                            reference = verdict
                        differences.extend(f"{round_trip} ms {mode}: {difference}"
                                           for difference in verdict_difference(reference, verdict))
            results["round_trips"][str(round_trip)] = {mode: summary(values) for mode, values in times.items()}
    results["items"] = len(reference or {})
    results["verdict_differences"] = differences
    results["verdicts_equal"] = not differences
    at_target = results["round_trips"].get(str(TARGET_ROUND_TRIP_MS), {}).get(f"concurrency {concurrency}")
    results["target"] = {"round_trip_ms": TARGET_ROUND_TRIP_MS, "limit_s": TARGET_S,
                         "met": None if at_target is None or select else at_target["median"] <= TARGET_S
                         and not differences}
    return results


def markdown(results: dict) -> str:
    """The table: one row per round trip, serial and concurrent medians and their ratio."""
    concurrency = results["concurrency"]
    lines = [f"| round trip | serial | --concurrency {concurrency} | speed-up |", "|---|---|---|---|"]
    for round_trip, modes in results["round_trips"].items():
        serial, concurrent = modes["serial"]["median"], modes[f"concurrency {concurrency}"]["median"]
        lines.append(f"| {round_trip} ms | {serial:.1f} s | {concurrent:.1f} s | {serial / concurrent:.1f}x |")
    verdict = ("every run's verdict equals the first serial run's" if results["verdicts_equal"]
               else "VERDICTS DIFFER: " + "; ".join(results["verdict_differences"]))
    lines.append(f"\n{results['items']} items, {results['rounds']} round(s) per cell; {verdict}.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--round-trips", default=",".join(map(str, DEFAULT_ROUND_TRIPS_MS)),
                        help="round trips in ms, comma-separated (default 0,50,150)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--select", action="append", default=[], help="suite paths (default: the whole suite)")
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    arguments = parser.parse_args()
    round_trips = tuple(int(value) for value in arguments.round_trips.split(","))
    results = measure(round_trips, arguments.concurrency, arguments.rounds, arguments.select)
    print(markdown(results))
    if arguments.output:
        arguments.output.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if results["verdicts_equal"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
