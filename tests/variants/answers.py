"""Building blocks of reading variants: answer a request directly, or re-code the mock's error.

`reject_authentic(when, code, status)` is a request hook: an authentic request (the mock's own
signature check at the mock's clock) for which `when(params)` holds is answered with an
ErrorResponse by the proxy and never reaches the mock, so nothing is stored. `recode(change)` is a
response hook: `change(request, code, status)` gives the (code, status) a server taking another
reading answers, or None to keep the mock's.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import unquote_to_bytes

import botocore.session
from lxml import etree

from tests.mutants.exchange import ProxyRequest, ProxyResponse, reason_phrase
from tests.mutants.requestside import authentic, operation_of
from tests.mutants.xmlrewrite import NAMESPACE, local_name, parse, qualified

_MODEL = botocore.session.get_session().get_service_model("importexport")
MODELED_CODES = frozenset(error.name for operation in _MODEL.operation_names
                          for error in _MODEL.operation_model(operation).error_shapes)
XML_MEDIA_TYPE = "text/xml"
Change = Callable[[ProxyRequest, str, int], tuple | None]


def error_answer(status: int, code: str, message: str, error_type: str = "Sender") -> ProxyResponse:
    """A complete ErrorResponse as the mock writes one, with a fresh RequestId."""
    root = etree.Element(qualified("ErrorResponse"), nsmap={None: NAMESPACE})
    detail = etree.SubElement(root, qualified("Error"))
    for name, text in (("Type", error_type), ("Code", code), ("Message", message)):
        etree.SubElement(detail, qualified(name)).text = text
    request_id = str(uuid.uuid1())
    etree.SubElement(root, qualified("RequestId")).text = request_id
    etree.indent(root, space="  ")
    return ProxyResponse(status, reason_phrase(status),
                         (("Content-Type", XML_MEDIA_TYPE), ("x-amzn-RequestId", request_id)),
                         etree.tostring(root, encoding="utf-8") + b"\n")


def reject_authentic(when: Callable[[list], str | None], code: str, status: int = 400):
    """A request hook answering `code` when `when(params)` gives a message for an authentic request."""
    def hook(request: ProxyRequest, backend) -> ProxyResponse | None:
        params = request.params()
        message = when(params) if params is not None else None
        if message is None or authentic(request, backend) is None:
            return None
        return error_answer(status, code, message)
    return hook


def recode(change: Change):
    """A response hook giving an ErrorResponse another Code and/or HTTP status."""
    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        root = parse(response.body) if response.is_error else None
        if root is None or local_name(root) != "ErrorResponse":
            return response
        code = root.find(f"{qualified('Error')}/{qualified('Code')}")
        if code is None:
            return response
        changed = change(request, code.text or "", response.status)
        if changed is None:
            return response
        code.text, status = changed
        return replace(response, status=status, reason=reason_phrase(status),
                       body=etree.tostring(root, encoding="utf-8") + b"\n")
    return hook


def code_map(mapping: dict, when: Callable[[ProxyRequest], bool] = lambda request: True) -> Change:
    """`Code -> (new code, new status or None to keep)` for requests where `when` holds."""
    def change(request: ProxyRequest, code: str, status: int) -> tuple | None:
        if code not in mapping or not when(request):
            return None
        new_code, new_status = mapping[code]
        return new_code, new_status or status
    return change


def chained(*changes: Change) -> Change:
    """The first change that applies."""
    def change(request: ProxyRequest, code: str, status: int) -> tuple | None:
        return next((result for result in (each(request, code, status) for each in changes) if result), None)
    return change


def values(request: ProxyRequest) -> dict:
    """The request's API parameters by name ({} when they cannot be decoded strictly)."""
    return dict(request.params() or [])


def raw_parameter_string(request: ProxyRequest) -> bytes:
    """The query (GET) or the form body (POST) exactly as sent."""
    return request.query.encode("latin-1") if request.method == "GET" else request.body


def raw_names(request: ProxyRequest) -> list:
    """Parameter names as sent, repeats included (undecodable names as their raw bytes)."""
    names = []
    for pair in raw_parameter_string(request).split(b"&"):
        if pair:
            names.append(unquote_to_bytes(pair.split(b"=", 1)[0].replace(b"+", b" ")))
    return names


def has_repeated_names(request: ProxyRequest) -> bool:
    names = raw_names(request)
    return len(names) != len(set(names))


def operation(request: ProxyRequest) -> str | None:
    return operation_of(request.params() or [])
