"""The facts and decisions a case cites, by id, with their text and public address.

A case's `source:` names a fact of docs/sources.md (`F3`) or a row of docs/decisions.md (`W7`), and
its `decision:` text names decision rows (`M4/M5: ...`). Both documents travel with the installed
suite (conformance/locations.py), so every report expands those ids wherever it runs: a fact to its
text and the addresses of the pages it comes from, a decision to its question, what the suite
accepts and why, and its row in docs/decisions.md. The tables are read as written there
(`| F12 | fact | from | kind |`, `| W9 | question | suite accepts | mock does | why |`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from conformance.locations import SuiteNotFound, suite_document

SOURCES_DOCUMENT = "sources.md"
DECISIONS_DOCUMENT = "decisions.md"
_ROW = re.compile(r"^\|\s*([A-Z]\d+)\s*\|(.*)\|\s*$")
_ADDRESS = re.compile(r"<(https?://[^>\s]+)>")
# an id standing alone (`W5`, `M4/M5`), not part of a word, nor the live-service addendum's `addendum A2`
_CITED_ID = re.compile(r"(?<![\w.-])(?<!addendum )([A-Z]\d+)(?![\w-])")


@dataclass(frozen=True)
class Reference:
    """One fact or decision: its id, kind (`fact` or `decision`), text and addresses."""

    id: str
    kind: str
    text: str
    addresses: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "text": self.text, "addresses": list(self.addresses)}

    def lines(self) -> list[str]:
        """`F3 (fact): text` then one `<address>` line each, for the failure text."""
        return [f"{self.id} ({self.kind}): {self.text}", *(f"    {address}" for address in self.addresses)]


def _cells(line: str) -> tuple[str, list[str]] | None:
    match = _ROW.match(line.strip())
    if match is None:
        return None
    return match.group(1), [cell.strip() for cell in match.group(2).split("|")]


def _plain(text: str) -> str:
    """A table cell without Markdown link brackets: `<https://...>` -> `https://...`."""
    return _ADDRESS.sub(r"\1", text)


def parse_sources(text: str) -> dict[str, Reference]:
    """The facts of docs/sources.md: text, and every address of the `from` column."""
    facts = {}
    for line in text.splitlines():
        cells = _cells(line)
        if cells is not None and len(cells[1]) >= 3:
            fact_id, (fact, origin, kind, *_) = cells
            addresses = tuple(_ADDRESS.findall(origin)) or (f"{_plain(origin)} ({kind})",)
            facts[fact_id] = Reference(fact_id, "fact", _plain(fact), addresses)
    return facts


def parse_decisions(text: str, facts: dict[str, Reference]) -> dict[str, Reference]:
    """The decisions of docs/decisions.md: question, what the suite accepts and why; addressed by
    their row in docs/decisions.md and by the addresses of the facts their `why` names."""
    decisions = {}
    for line in text.splitlines():
        cells = _cells(line)
        if cells is not None and len(cells[1]) >= 4:
            decision_id, (question, accepts, _mock_does, why, *_) = cells
            cited = [address for fact_id in _CITED_ID.findall(why) if fact_id in facts
                     for address in facts[fact_id].addresses]
            addresses = (f"docs/decisions.md, row {decision_id} (shipped with the suite; "
                         "importexport-conformance --decisions prints it)", *_ADDRESS.findall(why), *cited)
            decisions[decision_id] = Reference(decision_id, "decision",
                                               f"{_plain(question)}: the suite accepts {_plain(accepts)} "
                                               f"(why: {_plain(why)})", tuple(dict.fromkeys(addresses)))
    return decisions


@lru_cache(maxsize=1)
def all_references() -> dict[str, Reference]:
    """Every fact and decision of the suite's documents, by id ({} when they cannot be found)."""
    try:
        facts = parse_sources(suite_document(SOURCES_DOCUMENT).read_text(encoding="utf-8"))
        decisions = parse_decisions(suite_document(DECISIONS_DOCUMENT).read_text(encoding="utf-8"), facts)
    except (SuiteNotFound, OSError):
        return {}
    return {**facts, **decisions}


def cited(*texts: str | None) -> list[Reference]:
    """The known facts and decisions named in `texts` (a source id, a decision's text), in order."""
    known = all_references()
    found: dict[str, Reference] = {}
    for text in texts:
        for reference_id in _CITED_ID.findall(text or ""):
            if reference_id in known:
                found.setdefault(reference_id, known[reference_id])
    return list(found.values())
