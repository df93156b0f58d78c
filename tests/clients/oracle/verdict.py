"""The verdict side of the oracle: would the suite accept this document where it came from?

The suite's own functions give the verdict, unchanged:
- the preflight (`conformance.run.preflight.root_element_name` against `ENDPOINT_ROOTS`), for the
  documents a preflight ListJobs can get back (ListJobs answers and ErrorResponses);
- for an answer of the bundled mock, `conformance.run.checks.check_exchange` with the rendered
  expectation of the very step that got it, the RequestIds the case had seen before, the suite's
  XSD, and the exchange with the variant body in place of the mock's: status, Content-Type,
  well-formedness, envelope, RequestId, error code and type, XSD and the step's XPath checks;
- for a documented example (no step of the suite got it), the same function with the checks every
  API step makes of any answer: its status, an XML Content-Type, the envelope, the RequestId, the XSD.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from conformance.cases.definitions import Expectation
from conformance.run.checks import CheckContext, check_exchange
from conformance.run.preflight import ENDPOINT_ROOTS, root_element_name
from conformance.wire.transport import Exchange, OutgoingRequest, ReceivedResponse
from conformance.xmldoc import ResponseSchema
from tests.clients.oracle.corpus import Document

REPO = Path(__file__).resolve().parents[3]
XSD = REPO / "xsd/importexport-2010-06-01.xsd"


@dataclass(frozen=True)
class Verdict:
    """Whether the suite accepts the document, and the one-line reasons when it does not."""

    passed: bool
    reasons: tuple[str, ...] = ()


def _with_body(response: ReceivedResponse, body: bytes) -> ReceivedResponse:
    headers = tuple((name, str(len(body)) if name.lower() == "content-length" else value)
                    for name, value in response.headers)
    return replace(response, body=body, headers=headers)


def _exchange(document: Document) -> tuple[Exchange, Expectation, frozenset]:
    canonical = document.canonical
    step = canonical.step
    if step is not None:
        assert step.exchange.response is not None
        exchange = replace(step.exchange, response=_with_body(step.exchange.response, document.body))
        return exchange, step.expect, step.seen_request_ids
    response = ReceivedResponse(canonical.status, "", (("Content-Type", canonical.content_type),), document.body)
    request = OutgoingRequest("POST", "http://127.0.0.1/", (), b"")
    return Exchange(request, response), Expectation(status=canonical.status), frozenset()


def judge(document: Document, schema: ResponseSchema) -> Verdict:
    """The suite's verdict on `document` at the step (or in the place) its canonical came from."""
    reasons = []
    canonical = document.canonical
    if canonical.operation == "ListJobs" or canonical.kind.endswith("ErrorResponse"):
        root = root_element_name(document.body)
        if root not in ENDPOINT_ROOTS:
            reasons.append(f"preflight: root element {root!r} is not one of {', '.join(ENDPOINT_ROOTS)}: "
                           "not an Import/Export endpoint")
    exchange, expect, seen = _exchange(document)
    mismatches = check_exchange(expect, exchange, CheckContext(canonical.operation, schema, set(seen)))
    for mismatch in mismatches:
        text = f"[{mismatch.check}] {mismatch.message}"
        if mismatch.expected is not None or mismatch.actual is not None:
            text += f" (expected {mismatch.expected}, got {mismatch.actual})"
        if mismatch.details:
            text += ": " + "; ".join(mismatch.details[:3])
        reasons.append(text)
    return Verdict(not reasons, tuple(reasons))


def suite_schema() -> ResponseSchema:
    return ResponseSchema(XSD)
