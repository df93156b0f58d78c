"""Fixture integrity: every case file loads, ids are unique, and every `source` resolves inside the repository.

A case's `source:` names a fact of `docs/sources.md` (`F12`) or a row of `docs/decisions.md` (`W9`). A
`documented` case must cite a fact stated by a source (documentation, live service or service model), never a
decision; an `inferred` case must state its decision. Nothing here reads outside the repository, so the tests run
in a fresh clone.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conformance.report.coverage import coverage_matrix
from conformance.run.collection import case_sources, load_all_cases, load_cases

REPO = Path(__file__).resolve().parents[2]
SOURCES_MD = REPO / "docs" / "sources.md"
DECISIONS_MD = REPO / "docs" / "decisions.md"
FACT_KINDS = {"documentation", "live service", "service model", "real clients"}

ALL_CASES = load_all_cases(REPO)


def facts(markdown: str) -> dict[str, str]:
    """Fact id -> kind, from the rows `| F12 | fact | from | kind |` of docs/sources.md."""
    table = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"F\d+", cells[0]):
            assert cells[0] not in table, f"fact {cells[0]} is listed twice"
            table[cells[0]] = cells[-1]
    return table


def decision_rows(markdown: str) -> set[str]:
    """Row ids (`W9`, `M5`, ...) of the decision tables of docs/decisions.md."""
    return set(re.findall(r"^\| ([WAPML]\d+) \|", markdown, re.MULTILINE))


FACTS = facts(SOURCES_MD.read_text(encoding="utf-8"))
ROWS = decision_rows(DECISIONS_MD.read_text(encoding="utf-8"))


def test_every_case_file_loads_and_has_cases():
    sources = list(case_sources(REPO))
    assert any(path.suffix == ".generator" for path in sources), "the model-derived cases are not collected"
    for path in sources:
        assert load_cases(path, REPO), f"{path} holds no cases"


def test_case_ids_are_unique_across_files_and_generators():
    ids = [case.id for case in ALL_CASES]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    assert not duplicates


def test_sources_md_lists_facts_of_known_kinds_with_their_origin():
    assert len(FACTS) >= 40
    assert {kind for kind in FACTS.values()} <= FACT_KINDS
    for line in SOURCES_MD.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\| F\d+ \|", line):
            origin = line.strip().strip("|").split("|")[-2]
            assert "https://" in origin or "service model" in origin or "fixtures/" in origin, line[:60]


def test_files_named_by_sources_md_exist():
    text = SOURCES_MD.read_text(encoding="utf-8")
    named = set(re.findall(r"`(fixtures/[^`*]+)`", text))
    siblings = re.findall(r", `([A-Za-z0-9.-]+\.(?:xml|yml|yaml|txt|rst))`", text)
    named |= {f"fixtures/examples/reference/{name}" for name in siblings}
    missing = sorted(path for path in named if not (REPO / path).exists())
    assert named and not missing


def test_every_source_resolves_into_the_repository():
    unresolved = {case.id: case.source for case in ALL_CASES if case.source not in FACTS and case.source not in ROWS}
    assert not unresolved


def test_documented_cases_cite_a_stated_fact_never_a_decision():
    wrong = {case.id: case.source for case in ALL_CASES
             if case.level == "documented" and FACTS.get(case.source) not in FACT_KINDS}
    assert not wrong


def test_inferred_cases_state_their_decision():
    missing = [case.id for case in ALL_CASES if case.level == "inferred" and not (case.decision or "").strip()]
    assert not missing


def test_an_inferred_case_citing_a_row_states_that_row():
    """`source: W9` goes with a decision text that starts from row W9 (it may name further rows)."""
    wrong = {case.id: case.source for case in ALL_CASES
             if case.level == "inferred" and case.source in ROWS
             and not re.search(rf"\b{case.source}\b", case.decision or "")}
    assert not wrong


def test_resolution_rejects_what_the_repository_does_not_hold():
    assert "F1" in FACTS and "W9" in ROWS and "M5" in ROWS
    assert "F999" not in FACTS and "W99" not in ROWS
    assert FACTS["F40"] == "service model" and FACTS["F30"] == "live service" and FACTS["F1"] == "documentation"


# The research notes the facts were taken from live beside the repository, not in it (a notes folder
# next to the checkout, and the two reference files in it); a user's clone has none of them, so every
# source is cited from docs/sources.md. The pattern names that folder only through NOTES_FOLDER.
NOTES_FOLDER = "shared"
OUTSIDE_POINTER = re.compile(rf"\.\./{NOTES_FOLDER}|{NOTES_FOLDER}/reference|importexport-api(-addendum)?\.md")


def test_nothing_in_the_repository_points_outside_it():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False).stdout
    if not tracked:
        pytest.fail("not a git checkout: cannot list the project's files")
    this_file = Path(__file__).resolve().relative_to(REPO).as_posix()
    hits = []
    for name in tracked.decode().split("\0"):
        path = REPO / name
        if not name or name == this_file or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found = OUTSIDE_POINTER.search(text)
        if found:
            hits.append(f"{name}: {found.group(0)}")
    assert not hits


def test_every_modeled_operation_error_pair_is_covered():
    matrix = coverage_matrix(ALL_CASES)
    assert matrix["modeled_pairs"] == 55
    assert not matrix["uncovered"]
