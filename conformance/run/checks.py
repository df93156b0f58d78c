"""Named checks: an expectation and an exchange in, the list of ALL mismatches out.

Checks: `transport` (no or incomplete response), `status`, `content_type` (an XML media type),
`xml` (well-formed, no DOCTYPE, nothing the SDKs misread: xmldoc.client_reading_problems),
`envelope` (`<Op>Response/<Op>Result` + `ResponseMetadata/RequestId`
for success, `ErrorResponse/Error/{Type,Code,Message}` + top-level `RequestId` for errors, all in the
`ie:` namespace), `request_id` (UUID-shaped, not repeated within the case), `code`, `type`, `xsd`,
`xpath` (equals / matches / exists / absent / count / order / contains / not_contains), `one_of`
(any alternative passes) and `body_starts_with` (fetch steps). Nothing stops at the first problem.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from lxml import etree

from conformance.cases.definitions import Expectation, XPathCheck
from conformance.wire.transport import Exchange, ReceivedResponse
from conformance.xmldoc import (
    NAMESPACES,
    ResponseSchema,
    XmlError,
    client_reading_problems,
    describe_name,
    parse_document,
    qualified,
    string_values,
)

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
XML_MEDIA_TYPES = ("text/xml", "application/xml")


@dataclass(frozen=True)
class Mismatch:
    """One way the response differs from the expectation."""

    check: str
    message: str
    expected: str | None = None
    actual: str | None = None
    details: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """JSON-ready form for results.json."""
        return {key: value for key, value in asdict(self).items() if value not in (None, ())}


@dataclass
class CheckContext:
    """What checks need besides the expectation: the operation (None for fetches), the schema, and
    the RequestIds already seen in this case run."""

    operation: str | None
    schema: ResponseSchema | None
    seen_request_ids: set = field(default_factory=set)


def describe_status(status) -> str:
    """`200`, `4xx` or `one of 400, 403` for messages."""
    if isinstance(status, tuple):
        return "one of " + ", ".join(str(item) for item in status)
    return str(status)


def status_matches(expected, actual: int) -> bool:
    """True when `actual` satisfies an exact, class (`4xx`) or list status expectation."""
    if isinstance(expected, tuple):
        return actual in expected
    if isinstance(expected, str):
        return str(actual)[0] == expected[0]
    return actual == expected


def _expected_kind(expect: Expectation, actual_status: int) -> str:
    if expect.code is not None or expect.error_type is not None:
        return "error"
    if expect.status is not None:
        statuses = expect.status if isinstance(expect.status, tuple) else (expect.status,)
        classes = {str(status)[0] for status in statuses}
        if classes <= {"1", "2", "3"}:
            return "success"
        if classes <= {"4", "5"}:
            return "error"
    return "success" if actual_status < 300 else "error"


def _check_content_type(response: ReceivedResponse) -> list[Mismatch]:
    value = response.header("Content-Type")
    media_type = (value or "").split(";")[0].strip().lower()
    if media_type in XML_MEDIA_TYPES or media_type.endswith("+xml"):
        return []
    return [Mismatch("content_type", "response Content-Type is not an XML media type",
                     expected="text/xml or application/xml", actual=value or "(no Content-Type header)")]


def _child_text(parent: etree._Element, path: str) -> str | None:
    """The raw text of the element at `path` (nothing stripped: the SDKs read it so), or None."""
    node = parent.find(path, NAMESPACES)
    return None if node is None else "".join(node.itertext())


def _check_envelope(root: etree._Element, kind: str, context: CheckContext) -> tuple[list[Mismatch], str | None]:
    """Envelope mismatches and the RequestId found (None when missing)."""
    mismatches = []
    if kind == "success":
        operation = context.operation
        wanted = qualified(f"{operation}Response")
        if root.tag != wanted:
            return [Mismatch("envelope", "wrong root element for a success response",
                             expected=f'<{operation}Response xmlns="{NAMESPACES["ie"]}">',
                             actual=describe_name(root))], None
        if root.find(f"ie:{operation}Result", NAMESPACES) is None:
            mismatches.append(Mismatch("envelope", f"<{operation}Result> is missing"))
        request_id = _child_text(root, "ie:ResponseMetadata/ie:RequestId")
        if request_id is None:
            mismatches.append(Mismatch("envelope", "<ResponseMetadata><RequestId> is missing"))
        return mismatches, request_id
    if root.tag != qualified("ErrorResponse"):
        return [Mismatch("envelope", "wrong root element for an error response",
                         expected=f'<ErrorResponse xmlns="{NAMESPACES["ie"]}">', actual=describe_name(root))], None
    for member in ("Type", "Code", "Message"):
        if root.find(f"ie:Error/ie:{member}", NAMESPACES) is None:
            mismatches.append(Mismatch("envelope", f"<Error><{member}> is missing"))
    request_id = _child_text(root, "ie:RequestId")
    if request_id is None:
        mismatches.append(Mismatch("envelope", "top-level <RequestId> is missing from <ErrorResponse>"))
    return mismatches, request_id


def _check_request_id(request_id: str, context: CheckContext) -> list[Mismatch]:
    if not UUID_PATTERN.match(request_id):
        return [Mismatch("request_id", "RequestId is not UUID-shaped",
                         expected="8-4-4-4-12 hex digits", actual=request_id)]
    if request_id.lower() in context.seen_request_ids:
        return [Mismatch("request_id", "RequestId repeats one from an earlier response of this case",
                         actual=request_id)]
    context.seen_request_ids.add(request_id.lower())
    return []


def _check_error_fields(root: etree._Element, expect: Expectation) -> list[Mismatch]:
    mismatches = []
    code = _child_text(root, "ie:Error/ie:Code")
    if expect.code is not None and code not in expect.code:
        mismatches.append(Mismatch("code", "unexpected error Code", expected=" | ".join(expect.code),
                                   actual=code if code is not None else "(no Error/Code)"))
    error_type = _child_text(root, "ie:Error/ie:Type")
    if expect.error_type is not None and error_type != expect.error_type:
        mismatches.append(Mismatch("type", "unexpected error Type", expected=expect.error_type,
                                   actual=error_type if error_type is not None else "(no Error/Type)"))
    return mismatches


def check_xpath(root: etree._Element, check: XPathCheck) -> Mismatch | None:
    """The mismatch of one `xpath:` assertion, or None when it holds."""
    try:
        values = string_values(root, check.path)
    except XmlError as error:
        return Mismatch("xpath", str(error))
    shown = repr(values) if values else "(nothing selected)"
    label = f"{check.path} {check.kind}"
    if check.kind == "equals":
        ok = bool(values) and all(value == check.value for value in values)
    elif check.kind == "matches":
        assert isinstance(check.value, str), "the loader compiled it as a regular expression"
        ok = bool(values) and all(re.search(check.value, value) for value in values)
    elif check.kind == "exists":
        ok = bool(values) == check.value
    elif check.kind == "absent":
        ok = not values
    elif check.kind == "count":
        ok = len(values) == check.value
        shown = f"{len(values)} node(s): {shown}"
    elif check.kind == "contains":
        ok = check.value in values
    elif check.kind == "not_contains":
        ok = check.value not in values
    else:
        assert isinstance(check.value, tuple), "the loader made `order` a tuple"
        remaining = iter(values)
        ok = all(any(value == wanted for value in remaining) for wanted in check.value)
    if ok:
        return None
    expected = list(check.value) if isinstance(check.value, tuple) else check.value
    return Mismatch("xpath", label, expected=repr(expected), actual=shown)


def _error_summary(body: bytes) -> str:
    """` (Code: Message)` of an ErrorResponse body, or "" for any other body."""
    try:
        root = parse_document(body)
    except XmlError:
        return ""
    code = _child_text(root, "ie:Error/ie:Code") if root.tag == qualified("ErrorResponse") else None
    return f" ({code}: {_child_text(root, 'ie:Error/ie:Message')})" if code else ""


def _check_alternative(expect: Expectation, exchange: Exchange, context: CheckContext) -> list[Mismatch]:
    response = exchange.response
    mismatches = []
    if exchange.error is not None:
        mismatches.append(Mismatch("transport", exchange.error))
    if response is None:
        return mismatches
    if expect.status is not None and not status_matches(expect.status, response.status):
        actual = f"{response.status} {response.reason}".strip()
        if not response.truncated:
            actual += _error_summary(response.body)
        mismatches.append(Mismatch("status", "unexpected HTTP status", expected=describe_status(expect.status),
                                   actual=actual))
    if expect.body_starts_with is not None and not response.body.startswith(expect.body_starts_with.encode("utf-8")):
        mismatches.append(Mismatch("body_starts_with", "the body does not start as expected",
                                   expected=repr(expect.body_starts_with), actual=repr(response.body[:32])))
    if expect.content_type_xml:
        mismatches.extend(_check_content_type(response))
    if context.operation is None or response.truncated:
        return mismatches
    try:
        root = parse_document(response.body)
    except XmlError as error:
        return [*mismatches, Mismatch("xml", f"the body is not an acceptable XML document: {error}")]
    mismatches.extend(Mismatch("xml", problem) for problem in client_reading_problems(response.body, root))
    kind = _expected_kind(expect, response.status)
    envelope_mismatches, request_id = _check_envelope(root, kind, context)
    mismatches.extend(envelope_mismatches)
    if request_id is not None:
        mismatches.extend(_check_request_id(request_id, context))
    mismatches.extend(_check_error_fields(root, expect))
    if expect.xsd and context.schema is not None:
        problems = context.schema.problems(root)
        if problems:
            mismatches.append(Mismatch("xsd", f"the body is not valid against {context.schema.path.name}",
                                       details=tuple(problems)))
    for check in expect.xpath:
        mismatch = check_xpath(root, check)
        if mismatch is not None:
            mismatches.append(mismatch)
    return mismatches


def check_exchange(expect: Expectation, exchange: Exchange, context: CheckContext) -> list[Mismatch]:
    """Every mismatch between `exchange` and `expect` (empty when the response conforms)."""
    if not expect.one_of:
        return _check_alternative(expect, exchange, context)
    failures: list[str] = []
    for position, alternative in enumerate(expect.one_of):
        trial = CheckContext(context.operation, context.schema, set(context.seen_request_ids))
        mismatches = _check_alternative(alternative, exchange, trial)
        if not mismatches:
            context.seen_request_ids.update(trial.seen_request_ids)
            return []
        failures.extend(f"alternative {position + 1}: {_one_line(mismatch)}" for mismatch in mismatches)
    return [Mismatch("one_of", f"none of the {len(expect.one_of)} alternatives matched", details=tuple(failures))]


def _one_line(mismatch: Mismatch) -> str:
    text = f"[{mismatch.check}] {mismatch.message}"
    if mismatch.expected is not None or mismatch.actual is not None:
        text += f" (expected {mismatch.expected}, got {mismatch.actual})"
    return text
