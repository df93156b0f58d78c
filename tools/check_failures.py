"""Every check can fail: record, for every check of every case, an answer that makes it fail.

    python tools/check_failures.py [--capture FILE] [--output FILE]

Runs the default suite once against the bundled mock with the capture plugin (tools/check_capture.py:
every step's rendered expectation and exchange), then, for each check of the inventory
(tools/check_inventory.py), looks for an answer on which the engine's own check function reports that
check as a mismatch (tools/check_synthesis.py says which answers are tried). Writes
tests/integrity/data/check-failures.json: the number of checks, how many were seen failing and how, and
the checks nothing made fail. tests/integrity/test_checks_can_fail.py reads it without running a server.
`--capture FILE` reuses (or, when FILE does not exist yet, keeps) the capture of an earlier run.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent
sys.path[:0] = [str(REPO), str(TOOLS)]

from check_capture import CapturedStep  # noqa: E402
from check_inventory import CheckRef, inventory  # noqa: E402
from check_synthesis import (  # noqa: E402
    answer_of,
    field_evidence,
    holds_on,
    made_to_hold,
    rendered_check,
    unrendered_ok,
    xpath_evidence,
)

OUTPUT = REPO / "tests" / "integrity" / "data" / "check-failures.json"
COMMAND = "python tools/check_failures.py"
NOT_RUN = "its step did not run against the bundled mock in the capture run, and it names a saved value"
NO_ANSWER = "no answer tried makes it fail"


def capture(path: Path) -> None:
    """Run the default suite against the bundled mock, capturing every checked step into `path`."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join((str(REPO), str(TOOLS), os.environ.get(
        "PYTHONPATH", "")))}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
               "-p", "check_capture", f"--check-capture={path}"]
    completed = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)
    print("capture run:", (completed.stdout.strip().splitlines() or ["(no output)"])[-1])
    if not path.exists():
        sys.exit(f"the capture run wrote no capture (exit {completed.returncode}):\n{completed.stdout[-3000:]}"
                 f"\n{completed.stderr[-3000:]}")


def evidence(check: CheckRef, captured: list[CapturedStep], answers_by_operation: dict,
             answers_by_step: dict, answers_by_case: dict) -> tuple[bool, str]:
    """(seen failing, how) for one check."""
    if check.kind != "xpath":
        base = captured[0] if captured else CapturedStep(check.case_id, check.label, check.expect, b"", "http://x/",
                                                         200, (), b"")
        found = field_evidence(check, check.alternative_of(base.expect), base)
        return (True, found) if found else (False, NO_ANSWER)
    same_operation = answers_by_operation.get(check.operation, [])
    own = answers_by_step.get((check.case_id, check.label), [])
    trials = [(rendered_check(check, answer.captured.expect), answer) for answer in own]
    unrendered = rendered_check(check, check.expect)
    if not trials and not unrendered_ok(unrendered):
        return False, NOT_RUN
    if not trials:
        trials = [(unrendered, answer) for answer in same_operation]
    case_answers = answers_by_case.get(check.case_id, [])
    for xpath, base in trials:
        bases = [base] if holds_on(xpath, base) else [other for other in same_operation if holds_on(xpath, other)][:3]
        if not bases and (constructed := made_to_hold(xpath, same_operation)) is not None:
            bases = [constructed]
        for holding in bases:
            found = xpath_evidence(xpath, holding, same_operation, case_answers)
            if found:
                return True, found
        if not bases and xpath.kind in ("absent", "not_contains", "count", "exists"):
            found = next((f"the answer to {other.source}" for other in same_operation
                          if other.root is not None and not holds_on(xpath, other)), None)
            if found:
                return True, found
    return False, NO_ANSWER


def record(captured_steps: list[CapturedStep]) -> dict:
    checks = inventory(REPO)
    operation_of = {(check.case_id, check.label): check.operation for check in checks.values()}
    answers_by_step: dict = defaultdict(list)
    answers_by_operation: dict = defaultdict(list)
    answers_by_case: dict = defaultdict(list)
    for captured in captured_steps:
        answer = answer_of(captured)
        answers_by_step[(captured.case_id, captured.label)].append(answer)
        answers_by_case[captured.case_id].append(answer)
        answers_by_operation[operation_of.get((captured.case_id, captured.label))].append(answer)
    failing, not_failing = {}, {}
    for check_id, check in sorted(checks.items()):
        own = answers_by_step.get((check.case_id, check.label), [])
        seen, how = evidence(check, [answer.captured for answer in own], answers_by_operation, answers_by_step,
                             answers_by_case)
        (failing if seen else not_failing)[check_id] = how
    return {"by": COMMAND, "checks": len(checks), "seen_failing": len(failing),
            "captured_steps": len(captured_steps), "failing": failing, "not_seen_failing": not_failing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capture", type=Path, help="reuse this capture file (made by a run if it does not exist)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: %(default)s)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = options.capture or Path(scratch) / "capture.pickle"
        if not path.exists():
            capture(path)
        captured_steps = pickle.loads(path.read_bytes())
    result = record(captured_steps)
    options.output.write_text(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    print(f"{result['checks']} checks, {result['seen_failing']} seen failing, "
          f"{len(result['not_seen_failing'])} not: {options.output}")
    for check_id, reason in sorted(result["not_seen_failing"].items()):
        print(f"  {check_id}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
