"""The default conformance run: its cost against a bare replay of its HTTP exchanges, and xdist.

`record` runs the whole default suite once through a `RecordingProxy` in front of a mock started
like the bundled one (`--admin --jobs-per-day 1000000`). `measure` then runs, round by round in
alternating order: the default suite (`pytest -p no:randomly -q`, its own bundled mock), the same
with `-p xdist -n 2`, and a bare replay of the recorded requests (one requests.Session, no checks,
no pytest) against a fresh mock. Requests carry their recorded signatures, which stay valid for the
mock's 15-minute window only, so a recording older than `MAX_RECORDING_AGE_S` is made again (through
the proxy, not timed) before the next replay. The replay does not reproduce the suite's job ids (a
fresh mock draws new ones), so requests that name a job recorded earlier get an error answer there;
the share of answers with the recorded status is reported next to the ratio.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from harness import REPO_ROOT, child_environment, start_mock, summary
from recording_proxy import RecordedRequest, RecordingProxy

BUNDLED_MOCK_FLAGS = ("--admin", "--jobs-per-day", "1000000")
MAX_RECORDING_AGE_S = 600
SUITE_COMMANDS = {
    "suite -n 0": ["-p", "no:randomly"],
    "suite -n 2": ["-p", "xdist", "-n", "2", "-p", "no:randomly"],
}


def children_cpu_s() -> float:
    """CPU seconds (user + system) of every child process waited for so far, and of their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(extra: list[str]) -> tuple[float, dict, float]:
    """Wall seconds of one default run, its outcome counts from results.json, and the CPU seconds
    it used (pytest, its xdist workers and their bundled mocks: each waits for its children)."""
    with tempfile.TemporaryDirectory() as report_dir:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   f"--report-dir={report_dir}", *extra]
        cpu_before = children_cpu_s()
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=REPO_ROOT, env=child_environment(),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        elapsed = time.perf_counter() - started
        cpu = children_cpu_s() - cpu_before
        results = Path(report_dir) / "results.json"
        if not results.is_file():
            raise SystemExit(f"suite run failed (exit {completed.returncode}): {' '.join(command)}\n"
                             f"{completed.stdout[-2000:]}")
        counts = json.loads(results.read_text())["run"]["counts"]
    return elapsed, counts, cpu


def record() -> tuple[list[RecordedRequest], dict]:
    """Every request of one default run, recorded in order through the proxy."""
    with start_mock(*BUNDLED_MOCK_FLAGS) as mock:
        proxy = RecordingProxy(mock.url)
        try:
            _, counts, _ = run_suite(["-p", "no:randomly", f"--endpoint-url={proxy.url}",
                                      f"--control-url={proxy.url}/_mock"])
        finally:
            proxy.close()
    return proxy.requests, counts


def replay(recorded: list[RecordedRequest]) -> tuple[float, float, float]:
    """Seconds to send every recorded request to a fresh mock, the share answered with the recorded
    status, and the CPU seconds of the sending loop plus the mock (its start included)."""
    cpu_before = children_cpu_s()
    with start_mock(*BUNDLED_MOCK_FLAGS) as mock, requests.Session() as session:
        prepared = [
            requests.Request(item.method, mock.url + item.path, headers=dict(item.headers), data=item.body).prepare()
            for item in recorded
        ]
        same_status = 0
        own_cpu = time.process_time()
        started = time.perf_counter()
        for item, request in zip(recorded, prepared, strict=True):
            same_status += session.send(request, timeout=120).status_code == item.status
        elapsed = time.perf_counter() - started
        own_cpu = time.process_time() - own_cpu
    return elapsed, same_status / max(1, len(recorded)), own_cpu + children_cpu_s() - cpu_before


def measure(rounds: int, with_xdist: bool = True) -> dict:
    """Per round: the default suite, `-n 2` (unless `with_xdist` is False) and the replay, alternated."""
    commands = {name: args for name, args in SUITE_COMMANDS.items() if with_xdist or "-n" not in args}
    recorded, recorded_counts = record()
    recorded_at = time.monotonic()
    times: dict[str, list[float]] = {name: [] for name in (*commands, "replay")}
    cpu: dict[str, list[float]] = {name: [] for name in (*commands, "replay")}
    overhead, speedup, same_status, bound = [], [], [], []
    counts: dict = {}
    for round_number in range(rounds):
        order = [*commands, "replay"]
        for name in order if round_number % 2 == 0 else reversed(order):
            if name == "replay":
                if time.monotonic() - recorded_at > MAX_RECORDING_AGE_S:
                    recorded, recorded_counts = record()
                    recorded_at = time.monotonic()
                elapsed, share, used = replay(recorded)
                same_status.append(share)
            else:
                elapsed, counts[name], used = run_suite(commands[name])
            times[name].append(elapsed)
            cpu[name].append(used)
            print(f"  suite round {round_number + 1}: {name} {elapsed:.1f} s", file=sys.stderr, flush=True)
        overhead.append(times["suite -n 0"][-1] / times["replay"][-1])
        if with_xdist:
            speedup.append(times["suite -n 0"][-1] / times["suite -n 2"][-1])
            bound.append(min(2, os.cpu_count() or 1) * times["suite -n 0"][-1] / cpu["suite -n 2"][-1])
    return {
        "requests": len(recorded), "recorded_run_counts": recorded_counts, "counts": counts,
        "seconds": {name: summary(values) for name, values in times.items()},
        "cpu_seconds": {name: summary(values) for name, values in cpu.items()},
        **({"speedup_n2_bound": summary(bound), "speedup_n2": summary(speedup)} if with_xdist else {}),
        "suite_over_replay": summary(overhead),
        "replay_same_status_share": summary(same_status),
    }
