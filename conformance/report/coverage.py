"""The coverage matrix: which cases trigger each modeled (operation, error code) pair.

A pair is read off the cases statically: every API step (and every read-back) whose expectation
names an error code, alone or among accepted codes or `one_of` alternatives, covers
(step operation, code). How firmly is recorded per case: `exact` (the only code the step accepts),
`accepted` (one of several codes an inferred step accepts) or `injected` (raised through the control
API's error injection, decision L11). `--report-dir` writes the matrix as `coverage.json` and
`coverage.md`; `tests/` fails when a modeled pair has no case.

Given the run's item records, the matrix also says which pairs the target passed: a covering case
passed when all its items that ran conform (report/scores.py), failed when one did not; a pair is
`passed` when at least one covering case ran and none failed, `failed` when one failed, else `not run`.
The Markdown adds the documented and inferred pass rates of the run.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import botocore.session

from conformance.cases.definitions import ApiStep, Case, Expectation
from conformance.report.scores import LEVELS, percent, scores_by_level, verdict

INJECTED_TAG = "injected"


def modeled_pairs(service_model=None) -> set[tuple[str, str]]:
    """Every (operation, error shape name) pair of the botocore service model."""
    model = service_model or botocore.session.get_session().get_service_model("importexport")
    return {(operation, error.name)
            for operation in model.operation_names
            for error in model.operation_model(operation).error_shapes}


def _alternatives(expect: Expectation) -> tuple:
    return expect.one_of if expect.one_of else (expect,)


def _api_steps(case: Case) -> Iterable[ApiStep]:
    pending = list(case.steps)
    while pending:
        step = pending.pop(0)
        if isinstance(step, ApiStep):
            yield step
            pending.extend(step.state)


def case_pairs(case: Case) -> dict[tuple[str, str], str]:
    """(operation, code) -> how firmly this case covers it: exact, accepted or injected."""
    pairs: dict[tuple[str, str], str] = {}
    for step in _api_steps(case):
        alternatives = _alternatives(step.expect)
        for alternative in alternatives:
            codes = alternative.code or ()
            for code in codes:
                if INJECTED_TAG in case.tags:
                    how = "injected"
                elif len(codes) == 1 and len(alternatives) == 1:
                    how = "exact"
                else:
                    how = "accepted"
                key = (step.operation, code)
                if pairs.get(key) != "exact":
                    pairs[key] = how
    return pairs


def case_verdicts(records: Iterable[dict]) -> dict[str, str]:
    """Case id -> `pass`, `fail` or `not run` over its items (any failing item fails the case)."""
    verdicts: dict[str, str] = {}
    for record in records:
        item = verdict(record["outcome"])
        known = verdicts.get(record["id"], "not run")
        verdicts[record["id"]] = "fail" if "fail" in (known, item) else "pass" if "pass" in (known, item) else known
    return verdicts


def _pair_outcome(covering: Iterable[dict]) -> str:
    ran = [case["verdict"] for case in covering if case["verdict"] != "not run"]
    if "fail" in ran:
        return "failed"
    return "passed" if ran else "not run"


def coverage_matrix(cases: Iterable[Case], service_model=None, records: list[dict] | None = None) -> dict:
    """The matrix over modeled pairs, plus the split of cases by level; with the run's item
    `records`, each covering case's verdict, each pair's outcome and the scores by level."""
    verdicts = case_verdicts(records or [])
    covering: dict[tuple[str, str], list] = defaultdict(list)
    levels: dict[str, int] = defaultdict(int)
    for case in cases:
        levels[case.level] += 1
        for pair, how in case_pairs(case).items():
            covering[pair].append({"id": case.id, "how": how, "level": case.level,
                                   "verdict": verdicts.get(case.id, "not run")})
    modeled = sorted(modeled_pairs(service_model))
    rows = [{"operation": op, "code": code, "cases": sorted(covering.get((op, code), []), key=lambda c: c["id"])}
            for op, code in modeled]
    for row in rows:
        row["outcome"] = _pair_outcome(row["cases"])
    uncovered = [f"{row['operation']}/{row['code']}" for row in rows if not row["cases"]]
    return {
        "passed_pairs": sum(1 for row in rows if row["outcome"] == "passed"),
        "failed_pairs": sum(1 for row in rows if row["outcome"] == "failed"),
        "scores_by_level": scores_by_level(records or []),
        "modeled_pairs": len(modeled),
        "covered_pairs": len(modeled) - len(uncovered),
        "uncovered": uncovered,
        "cases_by_level": dict(sorted(levels.items())),
        "pairs": rows,
    }


def _markdown(matrix: dict) -> str:
    lines = [
        "# Coverage: modeled (operation, error) pairs",
        "",
        f"{matrix['covered_pairs']} of {matrix['modeled_pairs']} modeled pairs are covered. "
        f"Cases by level: " + ", ".join(f"{level} {count}" for level, count in matrix["cases_by_level"].items()) + ".",
        f"In this run {matrix['passed_pairs']} pairs passed and {matrix['failed_pairs']} failed. Pass rate: "
        + ", ".join(f"{level} {percent(matrix['scores_by_level'][level]['pass_rate'])}" for level in LEVELS) + ".",
        "",
        "| operation | error code | outcome | cases passed | cases failed | exact | accepted | injected "
        "| example case ids |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in matrix["pairs"]:
        counts = {how: sum(1 for c in row["cases"] if c["how"] == how) for how in ("exact", "accepted", "injected")}
        passed = sum(1 for c in row["cases"] if c["verdict"] == "pass")
        failed = [c for c in row["cases"] if c["verdict"] == "fail"]
        shown = (failed + [c for c in row["cases"] if c["verdict"] != "fail"])[:3]
        examples = ", ".join(f"`{c['id']}`" for c in shown) or "**uncovered**"
        outcome = "**FAILED**" if row["outcome"] == "failed" else row["outcome"]
        lines.append(f"| {row['operation']} | {row['code']} | {outcome} | {passed} | {len(failed)} | "
                     f"{counts['exact']} | {counts['accepted']} | {counts['injected']} | {examples} |")
    return "\n".join(lines) + "\n"


def write_coverage(report_dir: Path, cases: Iterable[Case], records: list[dict] | None = None) -> dict:
    """Write `coverage.json` and `coverage.md` into `report_dir`; return the matrix."""
    matrix = coverage_matrix(cases, records=records)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "coverage.json").write_text(json.dumps(matrix, indent=2) + "\n", encoding="utf-8")
    (report_dir / "coverage.md").write_text(_markdown(matrix), encoding="utf-8")
    return matrix
