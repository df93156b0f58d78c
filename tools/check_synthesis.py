"""Answers that make one check fail, judged by the engine's own check functions (conformance/run/checks.py).

For each check of the inventory (tools/check_inventory.py) this looks for an answer on which the engine
reports that very check as a mismatch:

* `status`, `code`, `type`, `body_starts_with`: the captured answer (or a minimal error document) with
  only that field changed: another status class, another Code, the other Type, another first byte;
* an `xpath:` value assertion (`equals`, `matches`, `contains`, `order`, `not_contains`): the node kept and
  its text replaced by a value some server could plausibly send: the value other answers of the same
  operation carry at that path, a value this case sent in one of its requests (a server that stored or
  echoed it), or the captured value edited (suffixed, emptied). A check whose distinguishing value no
  such answer carries (the issue-19 `BAD-${unique}` marker the rejected manifest never held) is not seen
  failing;
* `exists`, `absent`, `count`: the selected nodes removed or duplicated, an element of that name added
  under its parent, or another captured answer of the same operation that has (or lacks) the node.

XPath values are those of the capture run (rendered `${...}`); a check whose step did not run in the
capture is tried only when it names no saved value.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from check_capture import CapturedStep
from check_inventory import CheckRef
from lxml import etree

from conformance.cases.definitions import Expectation, XPathCheck
from conformance.run.checks import CheckContext, check_exchange, check_xpath, status_matches
from conformance.wire.transport import Exchange, OutgoingRequest, ReceivedResponse
from conformance.xmldoc import NAMESPACES, XmlError, compile_xpath, parse_document, string_values

OTHER_STATUSES = (200, 400, 403, 404, 409, 500, 503, 302)
VALUE_KINDS = ("equals", "matches", "contains", "order", "not_contains")
_LAST_STEP = re.compile(r"^(?P<parent>.*?)/+ie:(?P<name>[A-Za-z][A-Za-z0-9]*)$")


@dataclass
class Answer:
    """A captured answer: where it came from, its parsed document (None when not XML) and its request values."""

    source: str
    captured: CapturedStep
    root: etree._Element | None
    sent_values: tuple[str, ...]


def request_values(captured: CapturedStep) -> tuple[str, ...]:
    """The parameter values a request carried (form body and query), as decoded text."""
    texts = [urlsplit(captured.request_url).query]
    try:
        texts.append(captured.request_body.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return tuple(value for text in texts for _, value in parse_qsl(text, keep_blank_values=True) if value)


def answer_of(captured: CapturedStep) -> Answer:
    try:
        root = parse_document(captured.body)
    except XmlError:
        root = None
    return Answer(f"{captured.case_id} {captured.label}", captured, root, request_values(captured))


def _exchange(captured: CapturedStep, status: int | None = None, body: bytes | None = None) -> Exchange:
    request = OutgoingRequest("POST", captured.request_url, (), captured.request_body)
    response = ReceivedResponse(captured.status if status is None else status, "", captured.headers,
                                captured.body if body is None else body)
    return Exchange(request, response)


def _mismatch_of(kind: str, expect: Expectation, exchange: Exchange, operation: str | None) -> bool:
    return any(mismatch.check == kind
               for mismatch in check_exchange(expect, exchange, CheckContext(operation, None)))


def _error_document(code: str, error_type: str) -> bytes:
    namespace = NAMESPACES["ie"]
    return (f'<ErrorResponse xmlns="{namespace}"><Error><Type>{error_type}</Type><Code>{code}</Code>'
            f"<Message>synthesized</Message></Error>"
            f"<RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>").encode()


def field_evidence(check: CheckRef, alternative: Expectation, base: CapturedStep) -> str | None:
    """An answer failing a status, code, Type or body_starts_with check, described; None if none fails it."""
    if check.kind == "status":
        for status in OTHER_STATUSES:
            if not status_matches(alternative.status, status) and _mismatch_of(
                    "status", Expectation(status=alternative.status, xsd=False, content_type_xml=False),
                    _exchange(base, status=status), None):
                return f"synthesized: the answer with HTTP status {status}"
        return None
    if check.kind == "body_starts_with":
        expect = Expectation(body_starts_with=alternative.body_starts_with, xsd=False, content_type_xml=False)
        return "synthesized: a body of other bytes" if _mismatch_of(
            "body_starts_with", expect, _exchange(base, body=b"\x00synthesized"), None) else None
    accepted_type = alternative.error_type or "Sender"
    code, error_type = (alternative.code or ("SynthesizedCode",))[0], accepted_type
    if check.kind == "code":
        code, expect = "SynthesizedOtherCode", Expectation(code=alternative.code, xsd=False, content_type_xml=False)
    else:
        error_type = "Receiver" if accepted_type == "Sender" else "Sender"
        expect = Expectation(error_type=alternative.error_type, xsd=False, content_type_xml=False)
    body = _error_document(code, error_type)
    if _mismatch_of(check.kind, expect, _exchange(base, status=400, body=body), check.operation or "ListJobs"):
        return f"synthesized: an ErrorResponse with {'Code ' + code if check.kind == 'code' else 'Type ' + error_type}"
    return None


def _selected(root: etree._Element, path: str) -> list:
    result = compile_xpath(path)(root)
    return result if isinstance(result, list) else []


def _set_text(node, value: str) -> bool:
    if isinstance(node, etree._Element):
        for child in list(node):
            node.remove(child)
        node.text = value
        return True
    parent = node.getparent() if hasattr(node, "getparent") else None
    if parent is None:
        return False
    if getattr(node, "is_attribute", False):
        parent.set(node.attrname, value)
    elif getattr(node, "is_tail", False):
        parent.tail = value
    else:
        parent.text = value
    return True


def _with_values(root: etree._Element, path: str, value: str) -> etree._Element | None:
    """A copy of `root` whose nodes selected by `path` all carry `value` (None when nothing is selected)."""
    changed = copy.deepcopy(root)
    nodes = _selected(changed, path)
    return changed if nodes and all(_set_text(node, value) for node in nodes) else None


def _removed(root: etree._Element, path: str) -> etree._Element | None:
    changed = copy.deepcopy(root)
    nodes = [node for node in _selected(changed, path) if isinstance(node, etree._Element)]
    for node in nodes:
        node.getparent().remove(node)
    return changed if nodes else None


def _duplicated(root: etree._Element, path: str) -> etree._Element | None:
    changed = copy.deepcopy(root)
    nodes = [node for node in _selected(changed, path) if isinstance(node, etree._Element)]
    if not nodes or nodes[0].getparent() is None:
        return None
    nodes[0].addnext(copy.deepcopy(nodes[0]))
    return changed


def _added(root: etree._Element, path: str) -> etree._Element | None:
    """A copy with an element of the path's last name added under the first node its parent path selects."""
    match = _LAST_STEP.match(path)
    if match is None:
        return None
    changed = copy.deepcopy(root)
    parent_path = match.group("parent")
    parents = [changed[0] if len(changed) else changed] if parent_path in ("", "/") else [
        node for node in _selected(changed, parent_path) if isinstance(node, etree._Element)]
    if not parents:
        return None
    element = etree.SubElement(parents[0], f"{{{NAMESPACES['ie']}}}{match.group('name')}")
    element.text = "synthesized"
    return changed


def _candidate_values(check: XPathCheck, base: Answer, answers: list[Answer],
                      case_answers: list[Answer]) -> Iterator[tuple[str, str]]:
    """(value, where it comes from) for a value assertion: other answers' values, values sent, edits."""
    seen: set[str] = set()
    for other in answers:
        if other.root is None or other is base:
            continue
        try:
            values = string_values(other.root, check.path)
        except XmlError:
            continue
        for value in values:
            if value not in seen:
                seen.add(value)
                yield value, f"the value the answer to {other.source} carries there"
    for answer in (base, *case_answers):
        for value in answer.sent_values:
            yield value, f"a value this case sent in {answer.source} (a server storing or echoing it)"
    for value in string_values(base.root, check.path) if base.root is not None else ():
        yield value + "-changed", "the captured value, edited"
    if isinstance(check.value, str) and check.kind != "matches":
        yield check.value + "-changed", "the expected value, edited"
    yield "", "an empty value"


def _case_values(case_answers: list[Answer]) -> Iterator[tuple[str, str]]:
    """The text of every element of the other answers this case received (e.g. a job id handed out earlier)."""
    for other in case_answers:
        if other.root is not None:
            for element in other.root.iter():
                if isinstance(element.tag, str) and len(element) == 0 and element.text and element.text.strip():
                    yield element.text.strip(), f"a value the answer to {other.source} carried"


def _named_elements_edited(root: etree._Element, path: str) -> Iterator[tuple[etree._Element | None, str]]:
    """For an expression that selects no nodes itself (a function of them, e.g. `contains(...)`): the
    elements it names, each with its text replaced."""
    for name in dict.fromkeys(re.findall(r"ie:([A-Za-z][A-Za-z0-9]*)", path)):
        for value in ("synthesized-changed", ""):
            yield _with_values(root, f"//ie:{name}", value), f"the text of every ie:{name} replaced by {value!r}"


def xpath_evidence(check: XPathCheck, base: Answer, answers: list[Answer],
                   case_answers: list[Answer] | tuple = ()) -> str | None:
    """An answer failing one xpath assertion that holds on `base`, described; None when none is found."""
    root = base.root
    assert root is not None
    if check.kind in VALUE_KINDS:
        values = _candidate_values(check, base, answers, case_answers)
        if check.kind == "not_contains":
            values = iter((*_case_values(case_answers), *values))
        candidates: Iterator = ((_with_values(root, check.path, value), f"the selected text set to {source}")
                                for value, source in values)
    else:
        candidates = iter(((_removed(root, check.path), "the selected nodes removed"),
                           (_duplicated(root, check.path), "the selected node repeated"),
                           (_added(root, check.path), "an element of that name added")))
    if not isinstance(compile_xpath(check.path)(root), list):
        candidates = iter((*candidates, *_named_elements_edited(root, check.path)))
    for changed, description in candidates:
        if changed is not None and check_xpath(changed, check) is not None:
            return f"synthesized from the answer to {base.source}: {description}"
    if check.kind in ("absent", "not_contains", "count") or (check.kind == "exists" and check.value is False):
        for other in answers:
            if other.root is not None and check_xpath(other.root, check) is not None:
                return f"the answer to {other.source}"
    return None


def holds_on(check: XPathCheck, answer: Answer) -> bool:
    return answer.root is not None and check_xpath(answer.root, check) is None


def rendered_check(check: CheckRef, expect: Expectation) -> XPathCheck:
    assert check.xpath_index is not None
    return check.alternative_of(expect).xpath[check.xpath_index]


def unrendered_ok(xpath: XPathCheck) -> bool:
    """Whether an xpath assertion can be judged without the values of its run (names no `${...}`)."""
    return "${" not in xpath.path and "${" not in str(xpath.value)



def made_to_hold(check: XPathCheck, answers: list[Answer]) -> Answer | None:
    """For an `equals`/`contains` assertion no captured answer satisfies (an alternative the bundled mock does
    not take): an answer of the same operation with the selected text set to the expected value."""
    if check.kind not in ("equals", "contains") or not isinstance(check.value, str):
        return None
    for other in answers:
        if other.root is not None and isinstance(compile_xpath(check.path)(other.root), list):
            changed = _with_values(other.root, check.path, check.value)
            if changed is not None and check_xpath(changed, check) is None:
                return Answer(f"{other.source} (with {check.path} set to the expected value)", other.captured,
                              changed, other.sent_values)
    return None
