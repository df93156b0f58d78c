"""Every mutant against the whole suite, compared with the recorded kill matrix the shortcut relies on.

`pytest tests/mutants` runs each mutant only against a few of the cases that killed it in the
recording (tests/mutants/recorded-kills.json, see tests/mutants/recording.py). This command is the
check on that shortcut: it runs every mutant (the hand-written ones and the member-level ones that are
not free) against the whole suite, the same way the harness does, and prints
(a member mutant that rewrites one operation's success documents runs against the cases that call
that operation, which finds the same kills: tests/mutants/visibility.py)

  * missed: mutants the full run kills but the shortcut's selection would not (must be 0),
  * unrecorded: killed mutants the recording does not know yet (the shortcut runs them in full),
  * survivors: mutants no case killed,
  * changed: mutants whose set of killing cases moved since the recording.

With `--update` it rewrites the recording from this run (merged into it when `-k` ran a subset).
It writes reports/mutants-full.json. Exit status 1 when a kill was missed or a mutant survived.

    python bench/mutants_full.py [--update] [--workers 2] [-k SUBSTRING ...] [--include-free]

It takes as long as the old whole-suite matrix: about 35 s of one core per mutant.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mutants.catalog import MUTANTS  # noqa: E402
from tests.mutants.free_members import free_reason  # noqa: E402
from tests.mutants.harness import RunSpec, run_suite  # noqa: E402
from tests.mutants.mutations_members import MEMBER_MUTANTS, SITES_BY_NAME  # noqa: E402
from tests.mutants.recording import compare, load_recording, write_recording  # noqa: E402
from tests.mutants.visibility import cases_seeing  # noqa: E402

REPORT_PATH = ROOT / "reports" / "mutants-full.json"


def chosen_mutants(substrings: list, include_free: bool) -> list:
    candidates = [*MUTANTS, *(m for m in MEMBER_MUTANTS if include_free or free_reason(m.name) is None)]
    return [m for m in candidates if not substrings or any(part in m.name for part in substrings)]


def run_all(mutants: list, workers: int, base: Path, first_kills: int) -> dict:
    """name -> SuiteRun of the whole suite against that mutant (stopped after `first_kills` failing
    items when that is not 0)."""
    stop = ("--maxfail", str(first_kills)) if first_kills else ()

    def one(mutant):
        site = SITES_BY_NAME.get(mutant.name)
        visible = cases_seeing(site.operation if site and not site.errors else None)
        return run_suite(RunSpec(mutant.name, mutant, pytest_args=stop, auth=mutant.auth, case_ids=visible),
                         base / mutant.name)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(one, mutants))
    return {run.spec.key: run for run in runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/mutants/recorded-kills.json from this run")
    parser.add_argument("--workers", type=int, default=2, help="suite runs at once (default: %(default)s)")
    parser.add_argument("-k", dest="substrings", action="append", default=[],
                        help="only mutants whose name contains this (repeatable)")
    parser.add_argument("--first-kills", type=int, default=0, metavar="N",
                        help="discovery mode: stop each run after N failing items (records at most N killers "
                             "per mutant; survivors still run every case; not a full comparison)")
    parser.add_argument("--only-unrecorded", action="store_true",
                        help="only mutants the recording does not list yet (to complete a recording)")
    parser.add_argument("--include-free", action="store_true",
                        help="also run the member mutants listed free (a kill there is reported, not an error)")
    args = parser.parse_args()
    recording = load_recording()
    mutants = [m for m in chosen_mutants(args.substrings, args.include_free)
               if not (args.only_unrecorded and m.name in recording)]
    started = time.monotonic()
    runs = run_all(mutants, args.workers, Path(tempfile.mkdtemp(prefix="mutants-full-")), args.first_kills)
    wall_s = time.monotonic() - started
    broken = {name: run.problems for name, run in runs.items() if run.problems}
    kills = {name: run.failing_case_ids for name, run in runs.items() if not run.problems}
    free_killed = sorted(name for name, ids in kills.items() if ids and free_reason(name))
    must_kill = {name: ids for name, ids in kills.items() if not free_reason(name)}
    report = compare(must_kill, recording)
    items = {name: sum(run.outcome_counts().values()) for name, run in runs.items()}
    document = {"mutants": len(mutants), "first_kills": args.first_kills, "wall_s": round(wall_s, 1),
                "workers": args.workers,
                "sum_of_run_s": round(sum(run.duration_s for run in runs.values()), 1),
                "harness_problems": broken, "free_but_killed": free_killed, **report,
                "killed": sum(bool(ids) for ids in must_kill.values()), "suite_items": items}
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"{len(mutants)} mutants against the whole suite, {args.workers} at a time: {wall_s:.0f} s wall")
    print(f"killed {document['killed']} of {len(must_kill)}; missed by the shortcut: {len(report['missed'])} "
          f"{report['missed']}; unrecorded: {len(report['unrecorded'])}; survivors: {report['survivors']}; "
          f"killing cases changed: {len(report['changed'])}; free but killed: {free_killed}; "
          f"harness problems: {sorted(broken)}")
    print(f"details: {REPORT_PATH.relative_to(ROOT)}")
    if args.update:
        recording = load_recording()
        merged = {**recording, **{name: ids for name, ids in must_kill.items() if ids}}
        for name in report["survivors"]:
            merged.pop(name, None)
        known = {m.name for m in (*MUTANTS, *MEMBER_MUTANTS)}
        merged = {name: ids for name, ids in merged.items() if name in known}
        write_recording(merged, {"per_mutant_run": max(items.values(), default=0)})
        print("recording updated: tests/mutants/recorded-kills.json")
    return 1 if report["missed"] or report["survivors"] or broken else 0


if __name__ == "__main__":
    sys.exit(main())
