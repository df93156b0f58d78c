"""Every source and decision id a case cites expands, from the documents that ship with the suite
(conformance/references.py), to its text and address; the expansion is read from docs/sources.md and
docs/decisions.md themselves, row for row, so it cannot fall out of step with them. (That the wheel
carries the same files is checked in tests/packaging.)"""
from __future__ import annotations

import re
from pathlib import Path

from conformance.references import Reference, all_references, cited, parse_decisions, parse_sources
from conformance.run.collection import load_all_cases

REPO = Path(__file__).resolve().parents[2]
SOURCES = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
DECISIONS = (REPO / "docs" / "decisions.md").read_text(encoding="utf-8")
ROW_ID = re.compile(r"^\| ([A-Z]\d+) \|", re.MULTILINE)


def test_every_row_of_both_documents_is_read_with_its_text_and_address():
    facts = parse_sources(SOURCES)
    decisions = parse_decisions(DECISIONS, facts)
    assert list(facts) == ROW_ID.findall(SOURCES)
    assert list(decisions) == ROW_ID.findall(DECISIONS)
    assert all_references() == {**facts, **decisions}
    for reference in all_references().values():
        assert reference.text and reference.addresses, reference
        assert "<https://" not in reference.text
    documented = [fact for fact in facts.values() if "documentation" in SOURCES.split(f"| {fact.id} |")[1]
                  .split("\n")[0].rsplit("|", 2)[-2]]
    assert documented and all(any(address.startswith("https://") for address in fact.addresses)
                              for fact in documented)
    assert facts["F3"] == Reference("F3", "fact", facts["F3"].text,
                                    ("https://docs.aws.amazon.com/AWSImportExport/latest/DG/WebCancelJob.html",))
    assert decisions["W9"].addresses[0].startswith("docs/decisions.md, row W9")
    assert "the suite accepts" in decisions["W9"].text


def test_every_cited_id_of_every_case_expands():
    known = all_references()
    for case in load_all_cases(REPO):
        expanded = [reference.id for reference in cited(case.source, case.decision)]
        assert case.source.split()[0].strip(",;:") in expanded, (case.id, case.source)
        named = [name for name in re.findall(r"(?<![\w.-])([A-Z]\d+)(?![\w-])", case.decision or "")
                 if name in known]
        assert set(named) <= set(expanded), (case.id, case.decision)


def test_the_live_addendum_is_not_read_as_a_decision():
    assert [reference.id for reference in cited("W7", "live (addendum A2); see A3 and M4/M5")] == \
        ["W7", "A3", "M4", "M5"]
