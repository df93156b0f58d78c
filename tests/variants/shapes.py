"""Shape variants: the same answers, written otherwise than the mock writes them.

Each takes a freedom of the response's form that the sources leave open: element order inside
results (W2), whitespace and the XML declaration, the XML media type (W4), message wording beyond
the texts recorded live, the form of the RequestId (W17), and optional members present (the legacy
AwsShippingAddress, W3) or absent (ErrorCount for a new job, L1), and dates written with fractional
seconds by a server whose clock is a few minutes off (within the skew decision A5 allows, T1).
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from lxml import etree

from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.xmlrewrite import elements, local_name, operation_of, parse, qualified
from tests.variants.variant import Variant

# Texts recorded from the live service (addendum A3, reference examples): a server reproduces them.
LIVE_ERROR_TEXTS = {
    "MalformedManifestException": "Your manifest is not well-formed",
    "InvalidJobIdException": "No such job",
}
LIVE_STATUS_TEXTS = ("The specified job has not started.", "AWS has not received your device.")
# The 2010 CreateJob/GetStatus captures (addendum A3): members in this order, the legacy address included.
LIVE_GETSTATUS_ORDER = ("ProgressMessage", "JobType", "CurrentManifest", "LocationMessage", "JobId", "ProgressCode",
                        "SignatureFileContents", "ErrorCount", "LocationCode", "CreationDate", "AwsShippingAddress",
                        "Signature")
LIVE_CREATEJOB_ORDER = ("JobType", "JobId", "SignatureFileContents", "AwsShippingAddress", "Signature")
LIVE_PADDING = "\n    "
#: A server clock this far ahead of the suite's, inside the 15 minutes of skew decision A5 allows.
SERVER_CLOCK_SKEW = timedelta(minutes=10, milliseconds=250)
SHIPPING_ADDRESS = "AWS Import/Export C/O Dynamex\nJOBID {job_id}\n7664-A Fullerton Road\nSpringfield, VA 22153"
Document = Callable[[etree._Element, ProxyResponse], ProxyResponse]


def api_document(write: Document) -> Callable[[ProxyRequest, ProxyResponse], ProxyResponse]:
    """A response hook handing every parseable API document (success or error) to `write`."""
    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        root = parse(response.body)
        return response if root is None else write(root, response)
    return hook


def edited(change: Callable[[etree._Element], None]) -> Document:
    """Edit the tree in place, then write it back the way the mock does (2-space indentation)."""
    def write(root: etree._Element, response: ProxyResponse) -> ProxyResponse:
        change(root)
        etree.indent(root, space="  ")
        return replace(response, body=etree.tostring(root, encoding="utf-8") + b"\n")
    return write


def _result(root: etree._Element) -> etree._Element | None:
    operation = operation_of(root)
    return None if operation is None else root.find(qualified(f"{operation}Result"))


def _reverse_children(element: etree._Element) -> None:
    children = list(element)
    for child in children:
        element.remove(child)
    element.extend(reversed(children))


def _members_reversed(root: etree._Element) -> None:
    """Every result's members, every list member's fields and the members of Error, in reverse order
    (lists keep theirs; the envelope too)."""
    if local_name(root) == "ErrorResponse":
        for error in elements(root, "Error"):
            _reverse_children(error)
        return
    result = _result(root)
    if result is None:
        return
    _reverse_children(result)
    for member in result.iter(qualified("member")):
        _reverse_children(member)


def _compact(root: etree._Element, response: ProxyResponse) -> ProxyResponse:
    body = etree.tostring(_without_whitespace(root), encoding="UTF-8", xml_declaration=True)
    return replace(response, body=body).with_header("Content-Type", "application/xml")


def _without_whitespace(root: etree._Element) -> etree._Element:
    for element in root.iter():
        if len(element):
            element.text = None
        element.tail = None
    return root


def _indented(root: etree._Element, response: ProxyResponse) -> ProxyResponse:
    etree.indent(_without_whitespace(root), space="    ")
    # CR LF between elements only: a CR written inside a multi-line value is kept by the AWS SDK for
    # JavaScript v2 (it does not normalise line ends), so that server would not be legal (docs/clients.md)
    text = re.sub(rb">(\s*)<", lambda match: b">" + match.group(1).replace(b"\n", b"\r\n") + b"<",
                  etree.tostring(root, encoding="utf-8"))
    body = b'<?xml version="1.0"?>\r\n' + text + b"\r\n"
    return replace(response, body=body).with_header("Content-Type", "text/xml; charset=UTF-8")


def _reworded(root: etree._Element) -> None:
    """Every error message and status text not recorded live, in other words."""
    if local_name(root) == "ErrorResponse":
        code = root.findtext(f"{qualified('Error')}/{qualified('Code')}") or ""
        message = root.find(f"{qualified('Error')}/{qualified('Message')}")
        if message is not None and not (code in LIVE_ERROR_TEXTS and LIVE_ERROR_TEXTS[code] in (message.text or "")):
            message.text = f"Request rejected ({code}). Please check the request and try again."
        return
    for name in ("ProgressMessage", "LocationMessage"):
        for element in elements(root, name):
            if element.text not in LIVE_STATUS_TEXTS:
                element.text = f"Status: {(element.text or '').rstrip('.').lower()}; see the job's log for details."


def _request_id_v4(root: etree._Element, response: ProxyResponse) -> ProxyResponse:
    request_id = str(uuid.uuid4()).upper()
    for element in elements(root, "RequestId"):
        element.text = request_id
    body = etree.tostring(root, encoding="utf-8")
    changed = replace(response, body=body)
    if response.header("x-amzn-RequestId") is not None:
        changed = changed.with_header("x-amzn-RequestId", request_id)
    return changed


def _in_order(result: etree._Element, order: tuple) -> None:
    rank = {name: position for position, name in enumerate(order)}
    children = sorted(result, key=lambda child: rank.get(local_name(child), len(rank)))
    for child in list(result):
        result.remove(child)
    result.extend(children)


def _live_2010_layout(root: etree._Element) -> None:
    """CreateJob and GetStatus results as the 2010 captures show them: legacy AwsShippingAddress,
    multi-line values padded by the pretty-printer, the captured member order."""
    operation = operation_of(root)
    if operation not in ("CreateJob", "GetStatus"):
        return
    result = root.find(qualified(f"{operation}Result"))
    job_id = result.findtext(qualified("JobId")) or ""
    address = etree.SubElement(result, qualified("AwsShippingAddress"))
    address.text = SHIPPING_ADDRESS.format(job_id=job_id)
    for name in ("SignatureFileContents", "AwsShippingAddress"):
        for element in elements(result, name):
            element.text = "\n" + (element.text or "").strip("\n") + LIVE_PADDING
    _in_order(result, LIVE_GETSTATUS_ORDER if operation == "GetStatus" else LIVE_CREATEJOB_ORDER)


def _skewed_fractional_dates(root: etree._Element) -> None:
    """Every CreationDate SERVER_CLOCK_SKEW later, with its fraction of a second in the canonical form
    (no trailing zeros, none when zero: every SDK reads that form alike, docs/clients.md)."""
    for element in elements(root, "CreationDate"):
        try:
            moment = datetime.strptime(element.text or "", "%Y-%m-%dT%H:%M:%SZ") + SERVER_CLOCK_SKEW
        except ValueError:
            continue
        fraction = f"{moment.microsecond:06d}".rstrip("0")
        element.text = moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def _new_job_without_error_count(root: etree._Element) -> None:
    """ErrorCount left out for a Pending job (L1; the model returns it once the job has finished,
    so a finished job keeps it)."""
    if [element.text for element in elements(root, "ProgressCode")] != ["Pending"]:
        return
    for element in elements(root, "ErrorCount"):
        element.getparent().remove(element)


SHAPE_VARIANTS = (
    Variant("variant.shape.members_reversed", "shape",
            "result members, the fields of every list member and Error's Type/Code/Message in reverse order",
            "W2 (element order free; live responses were not in model order), docs/xsd.md (xs:all)",
            response=api_document(edited(_members_reversed))),
    Variant("variant.shape.compact_declared", "shape",
            "one line without whitespace, an XML declaration with encoding=\"UTF-8\", Content-Type application/xml",
            "whitespace and the XML declaration are the serializer's; W4 (an XML media type)",
            response=api_document(_compact)),
    Variant("variant.shape.indented_crlf", "shape",
            "4-space indentation with CRLF line ends between elements (values keep LF), "
            "`<?xml version=\"1.0\"?>` without encoding, "
            "Content-Type text/xml; charset=UTF-8",
            "whitespace and the XML declaration are the serializer's; W4 (an XML media type, parameters free)",
            response=api_document(_indented)),
    Variant("variant.shape.reworded_messages", "shape",
            "every error Message and status message in other words, except the texts recorded live",
            "message wording is not specified beyond the live captures (addendum A3)",
            response=api_document(edited(_reworded))),
    Variant("variant.shape.request_id_v4", "shape",
            "RequestIds are random (version 4) UUIDs in upper-case hex, also in the x-amzn-RequestId header",
            "W17 (a UUID of any version), docs/xsd.md (lower- or upper-case hex)",
            response=api_document(_request_id_v4)),
    Variant("variant.shape.live_2010_layout", "shape",
            "CreateJob/GetStatus as captured live in 2010: legacy AwsShippingAddress, multi-line values padded "
            "with newline + 4 spaces, the captured member order",
            "W3 (AwsShippingAddress optional legacy element), W2; addendum A3 captures",
            response=api_document(edited(_live_2010_layout))),
    Variant("variant.shape.error_count_omitted", "shape",
            "GetStatus leaves ErrorCount out for a Pending job",
            "L1 (ErrorCount 0 or absent for a new job)",
            response=api_document(edited(_new_job_without_error_count))),
    Variant("variant.shape.dates_skewed_fractional", "shape",
            f"every CreationDate {SERVER_CLOCK_SKEW} ahead of the suite's clock, with a fraction of a second "
            "(2026-12-07T02:10:00.25Z): a server whose clock is a few minutes off",
            "xsd/ WireTimestamp (fractional seconds in the canonical form, docs/clients.md); decisions A5 "
            "(15 minutes of clock skew) and T1",
            response=api_document(edited(_skewed_fractional_dates))),
)
