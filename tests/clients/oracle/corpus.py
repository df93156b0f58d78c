"""The oracle's corpus: canonical answers and the documents the freedoms make of them.

Canonical documents come from two places:
- the bundled mock's answers as the suite judged them (`capture.py` runs the suite's cases with the
  `suite_capture` plugin): for every operation, its success answer and its error answer, the
  most-checked step of each, so that each is judged again, with its variant body, at its own step;
- the byte-faithful examples: the live captures (`*-awsie*.xml`) in fixtures/examples/reference and
  tests/xsd/samples/live, and the valid samples of tests/xsd/samples/valid that bring what the others
  lack (fractions of a second, IsCanceled, an empty Jobs element, an empty Message, ArtifactList).
Every rewrite of freedoms.py is applied alone to each mock success answer and to the most-checked mock
error answer (`every_rewrite`); the value, empty-element and declaration rewrites alone to every
other document (what the rest of a document is written like is the same in all of them; its values
and empty elements are not); then `COMBINATIONS_PER_DOCUMENT`
combinations of two or three rewrites from different groups and stages, drawn with a seeded
random generator per document (the same corpus on every run).
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.clients.oracle import freedoms
from tests.clients.oracle.suite_capture import JudgedStep

REPO = Path(__file__).resolve().parents[3]
VALID_SAMPLES = ("ListJobs-two-jobs.xml", "ListJobs-empty-jobs-element.xml", "GetStatus-returned-complete.xml",
                 "ErrorResponse-receiver-empty-message.xml")
REFERENCE_DOCUMENTS = (
    *sorted((REPO / "fixtures/examples/reference").glob("*-awsie*.xml")),
    *sorted((REPO / "tests/xsd/samples/live").glob("*.xml")),
    *(REPO / "tests/xsd/samples/valid" / name for name in VALID_SAMPLES),
)
STEPS_PER_GROUP = 1
COMBINATIONS_PER_DOCUMENT = 3
SEED = 18
EVERYWHERE = ("empty-element", "declaration")  # markup rewrites that depend on what each document holds
READING_PARAMS = {
    "CreateJob": {"JobType": "Import", "Manifest": "manifestVersion: 2.0", "ValidateOnly": False},
    "UpdateJob": {"JobId": "ABCDE", "Manifest": "manifestVersion: 2.0", "JobType": "Import", "ValidateOnly": False},
    "CancelJob": {"JobId": "ABCDE"},
    "GetStatus": {"JobId": "ABCDE"},
    "ListJobs": {},
    "GetShippingLabel": {"jobIds": ["ABCDE"]},
}
_ROOT = re.compile(r"<(?:\w+:)?(\w+)Response[\s>]")


@dataclass(frozen=True)
class Canonical:
    """One recorded answer: where it comes from, the operation a client called, what came back."""

    key: str
    operation: str
    status: int
    content_type: str
    body: bytes
    step: JudgedStep | None = None
    every_rewrite: bool = False

    @property
    def kind(self) -> str:
        """`GetStatus success` or `GetStatus ErrorResponse`: the kind of document."""
        root = _ROOT.search(self.body.decode("utf-8", errors="replace"))
        return f"{self.operation} {'ErrorResponse' if root and root.group(1) == 'Error' else 'success'}"


@dataclass(frozen=True)
class Document:
    """One document of the corpus: a canonical answer, the rewrites applied (none for the canonical
    itself) and the bytes they made."""

    number: int
    canonical: Canonical
    rewrites: tuple[str, ...]
    body: bytes

    @property
    def label(self) -> str:
        return "+".join(self.rewrites) or "canonical"

    @property
    def probe(self) -> bool:
        return any(freedoms.BY_NAME[name].probe for name in self.rewrites)


def _checked(step: JudgedStep) -> int:
    expectation = step.expect
    return len(expectation.xpath) + sum(len(alternative.xpath) for alternative in expectation.one_of)


def canonical_steps(steps: Iterable[JudgedStep]) -> list[Canonical]:
    """The `STEPS_PER_GROUP` most-checked passed steps of each (operation, success or error), as canonicals."""
    groups: dict[tuple[str, bool], list[JudgedStep]] = {}
    for step in steps:
        response = step.exchange.response
        if step.passed and response is not None and b"Response" in response.body[:200]:
            groups.setdefault((step.operation, response.status < 300), []).append(step)
    chosen: list[Canonical] = []
    most_checked_error = max((step for (operation, success), members in groups.items() if not success
                              for step in members), key=_checked, default=None)
    for (operation, success), members in sorted(groups.items()):
        ranked = sorted(members, key=_checked, reverse=True)
        seen_bodies: set[bytes] = set()
        for step in ranked:
            assert step.exchange.response is not None
            shape = re.sub(rb">[^<]*<", b"><", step.exchange.response.body)
            if shape in seen_bodies:
                continue
            seen_bodies.add(shape)
            response = step.exchange.response
            chosen.append(Canonical(f"mock:{step.item}:{operation}", operation, response.status,
                                    response.header("Content-Type") or "text/xml", response.body, step,
                                    every_rewrite=success or step is most_checked_error))
            if len(seen_bodies) == STEPS_PER_GROUP:
                break
    return chosen


def reference_canonicals() -> list[Canonical]:
    """The live captures and the valid samples, each with the operation its file name starts with."""
    found = []
    for path in REFERENCE_DOCUMENTS:
        body = path.read_bytes()
        operation = path.name.split("-")[0]
        if operation == "ErrorResponse":
            operation = "GetStatus"
        error = b"<ErrorResponse" in body
        found.append(Canonical(f"reference:{path.relative_to(REPO)}", operation, 400 if error else 200,
                               "text/xml", body))
    return found


def _combinations(canonical: Canonical, applicable: Sequence[str]) -> list[tuple[str, ...]]:
    """Seeded combinations of two or three applicable rewrites, at most one per group and one of the
    bytes stage."""
    generator = random.Random(f"{SEED}:{canonical.key}")
    combinations: list[tuple[str, ...]] = []
    for _ in range(COMBINATIONS_PER_DOCUMENT * 4):
        if len(combinations) == COMBINATIONS_PER_DOCUMENT:
            break
        size = generator.choice((2, 3))
        picked: list[str] = []
        for name in generator.sample(list(applicable), len(applicable)):
            rewrite = freedoms.BY_NAME[name]
            if rewrite.probe or any(freedoms.BY_NAME[other].group == rewrite.group for other in picked):
                continue
            picked.append(name)
            if len(picked) == size:
                break
        combination = tuple(sorted(picked))
        if len(combination) >= 2 and combination not in combinations:
            combinations.append(combination)
    return combinations


def build(canonicals: Sequence[Canonical]) -> list[Document]:
    """Every canonical, each rewrite alone on it, and its seeded combinations; numbered from 1."""
    documents: list[Document] = []

    def add(canonical: Canonical, rewrites: tuple[str, ...], body: bytes) -> None:
        documents.append(Document(len(documents) + 1, canonical, rewrites, body))

    for canonical in canonicals:
        text = canonical.body.decode("utf-8")
        add(canonical, (), canonical.body)
        applicable = []
        for rewrite in freedoms.REWRITES:
            if rewrite.stage != "value" and rewrite.group not in EVERYWHERE and not canonical.every_rewrite:
                continue
            body = freedoms.apply_all(text, (rewrite.name,))
            if body is not None:
                applicable.append(rewrite.name)
                add(canonical, (rewrite.name,), body)
        for combination in _combinations(canonical, applicable):
            body = freedoms.apply_all(text, combination)
            if body is not None:
                add(canonical, combination, body)
    return documents
