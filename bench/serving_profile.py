"""Why the mock slowed down under concurrent clients: its CPU and context switches per request, by serving model.

For the mock serving on its I/O thread (as it does) and with `--worker-threads 16` (waitress's pool,
as it served before), wrk replays one signed request at 1, 4, 8 and 16 connections while this reads
the server process's CPU time and the voluntary context switches of all its threads from /proc
(Linux). A hand-over of the interpreter lock between threads shows up as context switches and as CPU
spent per request; wrk's throughput is printed beside them.

    python bench/serving_profile.py [--action GetStatus] [--seconds 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import start_mock
from wrk_capacity import POOL_THREADS, create_mock_job, requests_for, run_wrk

CONNECTIONS = (1, 4, 8, 16)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def voluntary_switches(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches"):
                total += int(line.split()[1])
    return total


def profile(mode_flags: list[str], action: str, seconds: int) -> list[dict]:
    rows = []
    with start_mock("--jobs-per-day", "100000000", *mode_flags) as mock, \
            tempfile.TemporaryDirectory(prefix="serving-profile-") as scratch:
        request = requests_for("mock", mock.url, create_mock_job(mock.url))[action]
        pid = mock.process.pid
        for count in CONNECTIONS:
            cpu_before, switches_before = cpu_seconds(pid), voluntary_switches(pid)
            result = run_wrk(request, count, seconds, Path(scratch))
            served = max(result["requests"], 1)
            rows.append({"connections": count, "rps": result["rps"], "p99_ms": result["p99_ms"],
                         "cpu_ms_per_request": 1000 * (cpu_seconds(pid) - cpu_before) / served,
                         "switches_per_request": (voluntary_switches(pid) - switches_before) / served})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--action", default="GetStatus", choices=("GetStatus", "ListJobs", "CreateJob"))
    parser.add_argument("--seconds", type=int, default=3)
    args = parser.parse_args()
    print("| serving | connections | req/s | p99 ms | server CPU ms / request | voluntary context switches / request |")
    print("|---|---|---|---|---|---|")
    for name, flags in (("I/O thread", []), (f"pool of {POOL_THREADS}", ["--worker-threads", str(POOL_THREADS)])):
        for row in profile(flags, args.action, args.seconds):
            print(f"| {name} | {row['connections']} | {row['rps']:,.0f} | {row['p99_ms']:.1f} "
                  f"| {row['cpu_ms_per_request']:.2f} | {row['switches_per_request']:.1f} |")


if __name__ == "__main__":
    main()
