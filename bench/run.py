"""One benchmark command for the conformance suite and the mock: `python bench/run.py [--quick]`.

Measures, side by side in one run (rounds interleaved so drift hits both sides of a ratio alike):
the default suite against a bare replay of its HTTP exchanges, `-n 2` against `-n 0`, the mock's
capacity under a C load generator (`wrk`, bench/wrk_capacity.py) at 1 to 16 connections against
moto's server, a trivial WSGI app and the mock with a pool of worker threads, ListJobs/CreateJob with
few against many stored jobs, GetShippingLabel against GetStatus, and the suite across a network
(bench/latency.py: serial against `--concurrency 16` through a delay proxy; full mode the whole suite
at 0, 50 and 150 ms round trip, `--quick` the CancelJob and auth files at 50 ms).
Prints a Markdown table (median, min and max of the rounds; the target and whether it is met) and
writes everything to bench/results.json (bench/results-quick.json with `--quick`, or `--output`). `--quick`
uses fewer rounds, no `-n 2` run, and wrk at 1, 8 and 16 connections without the pool and disk mocks.
Everything is black-box: the mock runs as `python -m mockserver`, the suite as `pytest` processes.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labels
import latency
import scale
import suite_runs
import wrk_capacity

RESULTS = Path(__file__).resolve().parent / "results.json"
QUICK_RESULTS = RESULTS.with_name("results-quick.json")
MODES = {
    "quick": {"suite_rounds": 1, "suite_xdist": False, "wrk_rounds": 1, "wrk_seconds": 1, "wrk_pool": False, "wrk_disk": False,
              "wrk_connections": (1, 8, 16),
              "label_rounds": 3, "label_calls": 10,
              "scale_small": 100, "scale_create_small": 1000, "scale_large": 100000, "scale_rounds": 3,
              "scale_batch": 20, "latency_round_trips": (50,), "latency_select": latency.QUICK_SELECTION},
    "full": {"suite_rounds": 5, "suite_xdist": True, "wrk_rounds": 3, "wrk_seconds": 2, "wrk_pool": True, "wrk_disk": True,
             "wrk_connections": wrk_capacity.CONNECTIONS,
             "label_rounds": 5, "label_calls": 30,
             "scale_small": 100, "scale_create_small": 1000, "scale_large": 100000, "scale_rounds": 5,
             "scale_batch": 50, "latency_round_trips": latency.DEFAULT_ROUND_TRIPS_MS, "latency_select": []},
}


def machine() -> dict:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform()}


def _figure(stats: dict, unit: str, digits: int = 1) -> list[str]:
    return [f"{stats[key]:.{digits}f}{unit}" for key in ("median", "min", "max")] + [str(stats["n"])]


def rows(results: dict) -> list[list[str]]:
    """Table rows: figure, median, min, max, runs, target, met."""
    table: list[list[str]] = []

    def add(name: str, stats: dict, unit: str = "", digits: int = 2, target: str = "", met: bool | None = None):
        verdict = "" if met is None else ("yes" if met else "**no**")
        table.append([name, *_figure(stats, unit, digits), target, verdict])

    suite = results["suite"]
    seconds = suite["seconds"]
    add("default suite `-n 0` (s)", seconds["suite -n 0"], digits=1)
    add(f"bare replay of its {suite['requests']} requests (s)", seconds["replay"], digits=1)
    add("suite / replay", suite["suite_over_replay"], "x", target="≤ 1.3",
        met=suite["suite_over_replay"]["median"] <= 1.3)
    add("replay answers with the recorded status (share)", suite["replay_same_status_share"])
    if "suite -n 2" in seconds:  # the full mode only
        add("default suite `-p xdist -n 2` (s)", seconds["suite -n 2"], digits=1)
        add("speedup `-n 2` over `-n 0` (target retired: bound by worker start-up on 2 cores)", suite["speedup_n2"], "x")
    cpu = suite["cpu_seconds"]
    add("CPU s of the suite `-n 0` (pytest + its mock)", cpu["suite -n 0"], digits=1)
    if "suite -n 2" in cpu:
        add("CPU s of the suite `-n 2` (controller, 2 workers, 2 mocks)", cpu["suite -n 2"], digits=1)
    add("CPU s of the replay (sending loop + mock, its start included)", cpu["replay"], digits=1)
    if "speedup_n2_bound" in suite:
        add("speedup bound on 2 cores: 2 x wall(`-n 0`) / CPU(`-n 2`)", suite["speedup_n2_bound"], "x")
    capacity = results["capacity"]
    for action in wrk_capacity.ACTIONS:
        for count in capacity["connections"]:
            mock = capacity["table"][f"mock|{action}|{count}"]
            add(f"wrk {action} c={count}: mock req/s", mock["rps"], digits=0)
            add(f"wrk {action} c={count}: mock p99 ms", mock["p99_ms"], digits=1,
                target="< 10" if count == 8 else "", met=mock["p99_ms"]["median"] < 10 if count == 8 else None)
    for name, value in capacity["ratios"].items():
        target, met = "", None
        if name.endswith("/ c=1") and (" c=8 " in name or " c=16 " in name):
            target, met = "≥ 0.9", value >= 0.9
        elif name.endswith("mock/moto"):
            target, met = "≥ 4", value >= 4
        elif name.endswith("mock/trivial"):
            target, met = "≥ 0.5", value >= 0.5
        if target or name.endswith(("mock/pool", "disk/moto")):
            table.append([f"wrk {name}", f"{value:.2f}x", "", "", str(capacity["rounds"]), target,
                          "" if met is None else ("yes" if met else "**no**")])
    sc = results["scale"]
    small, large, create_small = sc["small_jobs"], sc["large_jobs"], sc["create_small_jobs"]
    add(f"ListJobs page (MaxJobs=100) ms, {small} jobs", sc["list_ms_small"], digits=1)
    add(f"ListJobs page (MaxJobs=100) ms, {large} jobs", sc["list_ms_large"], digits=1)
    add(f"ListJobs {large} / {small} jobs (target is for 100,000)", sc["list_large_over_small"], "x",
        target="≤ 1.3", met=sc["list_large_over_small"]["median"] <= 1.3)
    add(f"CreateJob/s, {create_small} jobs stored", sc["create_per_s_small"], digits=0)
    add(f"CreateJob/s, {large} jobs stored", sc["create_per_s_large"], digits=0)
    add(f"CreateJob {large} / {create_small} jobs (target is for 100,000)", sc["create_large_over_small"], "x",
        target="≥ 0.8", met=sc["create_large_over_small"]["median"] >= 0.8)
    lb = results["labels"]
    add("first GetShippingLabel after start (ms)", lb["first_label_ms"], digits=0)
    add("GetShippingLabel ms (after the first)", lb["label_ms"], digits=1)
    add("GetStatus ms", lb["status_ms"], digits=1)
    add("GetShippingLabel / GetStatus (medians)", lb["label_over_status"], "x", target="≤ 3",
        met=lb["label_over_status"]["median"] <= 3)
    add("GetShippingLabel / GetStatus (means, first label included)",
        lb["label_over_status_mean_with_first"], "x", target="≤ 3",
        met=lb["label_over_status_mean_with_first"]["median"] <= 3)
    table.append(["label PDF valid (pypdf: %PDF-, %%EOF, job ids, address)",
                  "yes" if not lb["pdf_problems"] else "; ".join(lb["pdf_problems"]), "", "", "", "", ""])
    return table


def markdown(results: dict) -> str:
    header = ["figure", "median", "min", "max", "runs", "target", "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds and one suite round (both modes store 100,000 jobs with the bulk load)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"JSON results file (default: bench/{RESULTS.name}; --quick: bench/{QUICK_RESULTS.name})")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    knobs = MODES[mode]
    started = time.perf_counter()
    results: dict = {"mode": mode, "knobs": knobs, "machine": machine(),
                     "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    phases = {
        "capacity": lambda: wrk_capacity.measure(knobs["wrk_rounds"], knobs["wrk_seconds"],
                                                 knobs["wrk_connections"], with_pool=knobs["wrk_pool"],
                                                 with_disk=knobs["wrk_disk"]),
        "labels": lambda: labels.measure(knobs["label_rounds"], knobs["label_calls"]),
        "scale": lambda: scale.measure(knobs["scale_small"], knobs["scale_create_small"], knobs["scale_large"],
                                       knobs["scale_rounds"], knobs["scale_batch"]),
        "suite": lambda: suite_runs.measure(knobs["suite_rounds"], knobs["suite_xdist"]),
        "latency": lambda: latency.measure(knobs["latency_round_trips"], latency.DEFAULT_CONCURRENCY, 1,
                                           list(knobs["latency_select"])),
    }
    results["phase_seconds"] = {}
    for name, measure in phases.items():
        print(f"{name} ...", file=sys.stderr, flush=True)
        phase_started = time.perf_counter()
        results[name] = measure()
        results["phase_seconds"][name] = round(time.perf_counter() - phase_started, 1)
        print(f"{name}: {results['phase_seconds'][name]} s", file=sys.stderr, flush=True)
    results["seconds"] = time.perf_counter() - started
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print("\n" + wrk_capacity.markdown(results["capacity"]))
    print("\nThe suite across a network (bench/latency.py):\n" + latency.markdown(results["latency"]))
    print(f"\n{mode} run, {results['seconds']:.0f} s; machine: {results['machine']}; results in {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
