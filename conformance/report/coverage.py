"""The coverage matrix: which cases trigger each modeled (operation, error code) pair.

A pair is read off the cases statically: every API step (and every read-back) whose expectation
names an error code, alone or among accepted codes or `one_of` alternatives, covers
(step operation, code). How firmly is recorded per case: `exact` (the only code the step accepts),
`accepted` (one of several codes an inferred step accepts) or `injected` (raised through the control
API's error injection, decision L11). `--report-dir` writes the matrix as `coverage.json` and
`coverage.md`; `tests/` fails when a modeled pair has no case.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import botocore.session

from conformance.cases.definitions import ApiStep, Case, Expectation

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


def coverage_matrix(cases: Iterable[Case], service_model=None) -> dict:
    """The matrix over modeled pairs, plus the split of cases by level."""
    covering: dict[tuple[str, str], list] = defaultdict(list)
    levels: dict[str, int] = defaultdict(int)
    for case in cases:
        levels[case.level] += 1
        for pair, how in case_pairs(case).items():
            covering[pair].append({"id": case.id, "how": how, "level": case.level})
    modeled = sorted(modeled_pairs(service_model))
    rows = [{"operation": op, "code": code, "cases": sorted(covering.get((op, code), []), key=lambda c: c["id"])}
            for op, code in modeled]
    uncovered = [f"{row['operation']}/{row['code']}" for row in rows if not row["cases"]]
    return {
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
        "",
        "| operation | error code | exact | accepted | injected | example case ids |",
        "|---|---|---|---|---|---|",
    ]
    for row in matrix["pairs"]:
        counts = {how: sum(1 for c in row["cases"] if c["how"] == how) for how in ("exact", "accepted", "injected")}
        examples = ", ".join(f"`{c['id']}`" for c in row["cases"][:3]) or "**uncovered**"
        lines.append(f"| {row['operation']} | {row['code']} | {counts['exact']} | {counts['accepted']} | "
                     f"{counts['injected']} | {examples} |")
    return "\n".join(lines) + "\n"


def write_coverage(report_dir: Path, cases: Iterable[Case]) -> dict:
    """Write `coverage.json` and `coverage.md` into `report_dir`; return the matrix."""
    matrix = coverage_matrix(cases)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "coverage.json").write_text(json.dumps(matrix, indent=2) + "\n", encoding="utf-8")
    (report_dir / "coverage.md").write_text(_markdown(matrix), encoding="utf-8")
    return matrix
