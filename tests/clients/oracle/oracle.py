"""Both sides of the rule on one corpus: what each SDK read, what the suite said, and where they disagree.

The rule (issue 18): the suite accepts a document exactly when every SDK reads from it what it reads
from the canonical document. Each SDK is compared with itself only (its reading of the variant
against its reading of the canonical), so a quirk it has on both sides does not count. Two kinds of
disagreement:
- `misread-but-accepted`: an SDK reads something else (another value, an error, a crash) and the
  suite passes the document: the suite must get stricter;
- `read-alike-but-refused`: every SDK reads the same and the suite fails the document: the suite
  must relax, unless a source forbids the document (`FORBIDDEN_BY_SOURCE`, named in the matrix).
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tests.clients.oracle.corpus import Document
from tests.clients.oracle.verdict import Verdict

SDK_ORDER = ("boto3", "awscli", "js-sdk", "go-sdk", "ruby-sdk")
SDK_NAMES = {"boto3": "boto3", "awscli": "AWS CLI", "js-sdk": "AWS SDK for JavaScript v2", "go-sdk": "Go SDK v1",
             "ruby-sdk": "Ruby SDK v1"}
# rewrite -> the source that forbids the document even though every SDK reads it alike
FORBIDDEN_BY_SOURCE: dict[str, str] = {
    "namespace.unversioned": "decision W1 (docs/decisions.md): only the versioned namespace of the model and "
                             "every live capture; the unversioned one is an erratum of the documented examples",
    "lexical.timestamp.lowercase-z": "XML Schema Part 2 §3.2.7 (xs:dateTime: the zone is `Z` or ±hh:mm) and the "
                                     "model's timestampFormat iso8601 (docs/xsd.md)",
    "lexical.timestamp.no-zone": "docs/xsd.md: a time without a zone names no instant (the model's example and "
                                 "every capture carry `Z`)",
    "lexical.boolean.capitalised": "XML Schema Part 2 §3.2.2 (True/False are no xs:boolean form); read as false "
                                   "by every SDK, alike only where the value was false",
    **{name: "docs/xsd.md WireBoolean: every SDK reads this form of `true` as false; a `false` written so reads "
             "alike only by accident, so the form is refused for both values"
       for name in ("lexical.boolean.digits", "whitespace.boolean.spaces", "whitespace.boolean.newlines",
                    "whitespace.boolean.tabs")},
    **{name: "docs/xsd.md (no attributes: the model serialises no member as an attribute and no capture has "
             "one); every SDK ignores them, the schema's strictness refuses them"
       for name in ("attribute.xml-lang-root", "attribute.foreign-on-values", "attribute.plain-on-values")},
}


@dataclass(frozen=True)
class Row:
    """One document of the corpus, judged on both sides."""

    document: Document
    verdict: Verdict
    readings: Mapping[str, dict]
    canonical_readings: Mapping[str, dict]
    differing: tuple[str, ...]  # the SDKs whose reading differs from their reading of the canonical
    all_sdks: tuple[str, ...]  # every reader of the run, also those without this operation

    @property
    def forbidding_source(self) -> str | None:
        return next((FORBIDDEN_BY_SOURCE[name] for name in self.document.rewrites if name in FORBIDDEN_BY_SOURCE),
                    None)

    @property
    def refused_for_an_absent_reader(self) -> str | None:
        """The SDK whose misreading of this form elsewhere the suite's refusal names, when that SDK has
        no reader for this document's operation (the Ruby SDK v1 lacks GetShippingLabel)."""
        absent = [sdk for sdk in SDK_ORDER if sdk in self.all_sdks and sdk not in self.readings]
        reasons = " ".join(self.verdict.reasons)
        return next((SDK_NAMES[sdk] for sdk in absent if SDK_NAMES[sdk] in reasons), None)

    @property
    def disagreement(self) -> str | None:
        if self.differing and self.verdict.passed:
            return "misread-but-accepted"
        if (not self.differing and not self.verdict.passed and self.forbidding_source is None
                and self.refused_for_an_absent_reader is None):
            return "read-alike-but-refused"
        return None

    def describe(self) -> str:
        """The line a failing test shows: freedom, document, SDKs, readings and the suite's reasons."""
        document = self.document
        text = (f"{self.disagreement}: freedom {document.label} on {document.canonical.key} "
                f"(document {document.number}, {document.canonical.kind})")
        if self.differing:
            text += "; read otherwise by " + ", ".join(
                f"{sdk} ({difference(self.readings[sdk], self.canonical_readings[sdk])})" for sdk in self.differing)
        else:
            text += "; every SDK reads it as the canonical"
        verdict = "passes" if self.verdict.passed else "fails: " + " | ".join(self.verdict.reasons[:3])
        return f"{text}; the suite {verdict}"


def difference(reading: dict, canonical: dict) -> str:
    """A short account of how `reading` differs from `canonical`."""
    if "output" in reading and "output" in canonical:
        changed = []
        _diff(reading["output"], canonical["output"], "", changed)
        return ", ".join(changed[:4])
    return f"{_short(reading)} instead of {_short(canonical)}"


def _diff(value, wanted, path: str, changed: list[str]) -> None:
    if isinstance(value, dict) and isinstance(wanted, dict):
        for key in sorted(set(value) | set(wanted)):
            _diff(value.get(key, "(absent)"), wanted.get(key, "(absent)"), f"{path}.{key}".lstrip("."), changed)
    elif isinstance(value, list) and isinstance(wanted, list) and len(value) == len(wanted):
        for position, (item, wanted_item) in enumerate(zip(value, wanted, strict=True)):
            _diff(item, wanted_item, f"{path}[{position}]", changed)
    elif value != wanted:
        changed.append(f"{path or 'output'}={json.dumps(value)[:60]} not {json.dumps(wanted)[:60]}")


def _short(reading: dict) -> str:
    if "error" in reading:
        return f"error {reading['error'].get('code')}"
    if "failure" in reading:
        return f"failure {reading['failure'][:80]!r}"
    return "output"


def compare(documents: Sequence[Document], readings: Mapping[str, Mapping[int, dict]],
            verdicts: Mapping[int, Verdict]) -> list[Row]:
    """A row per document that is not itself a canonical (canonicals must pass and be read without failure)."""
    canonical_number = {document.canonical.key: document.number for document in documents if not document.rewrites}
    by_number = {document.number: document for document in documents}
    rows = []
    for document in documents:
        if not document.rewrites:
            continue
        base = canonical_number[document.canonical.key]
        sdks = [sdk for sdk in readings if not _unsupported(readings[sdk][base])]
        mine = {sdk: _body_as_message(readings[sdk][document.number], document.body) for sdk in sdks}
        canon = {sdk: _body_as_message(readings[sdk][base], by_number[base].body) for sdk in sdks}
        differing = tuple(sdk for sdk in SDK_ORDER if sdk in mine and mine[sdk] != canon[sdk])
        rows.append(Row(document, verdicts[document.number], mine, canon, differing, tuple(readings)))
    return rows


def _unsupported(reading: dict) -> bool:
    """The SDK has no such operation (the Ruby SDK v1 lacks GetShippingLabel): not one of its readers."""
    return "has no operation" in reading.get("failure", "")


def _body_as_message(reading: dict, body: bytes) -> dict:
    """An error whose message is the whole body (the Ruby SDK v1's fallback for an empty Message) with
    that message written `(the body)`: the bytes differ from document to document, the reading does not."""
    error = reading.get("error")
    if error and error.get("message") and error["message"] == body.decode("utf-8", errors="replace"):
        return {"error": {**error, "message": "(the body)"}}
    return reading


def canonical_problems(documents: Sequence[Document], readings: Mapping[str, Mapping[int, dict]],
                       verdicts: Mapping[int, Verdict]) -> list[str]:
    """Canonicals the suite refuses or an SDK cannot read: the corpus itself would be wrong."""
    problems = []
    for document in documents:
        if document.rewrites:
            continue
        if not verdicts[document.number].passed:
            problems.append(f"canonical {document.canonical.key} fails the suite: {verdicts[document.number].reasons}")
        for sdk, by_number in readings.items():
            if "failure" in by_number[document.number] and not _unsupported(by_number[document.number]):
                problems.append(f"{sdk} cannot read canonical {document.canonical.key}: {by_number[document.number]}")
    return problems
