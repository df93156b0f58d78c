"""XML response documents: `<Op>Response` for success, `ErrorResponse` for errors.

Both are in the 2010-06-01 namespace, served as `text/xml`, with no XML declaration (as the live
service sent them). Result members are written in the order given, which `protocol.responses` takes from
the botocore model; booleans are `true`/`false`; lists use `member` children. Text that cannot appear in
XML (control characters echoed from a request) is replaced by U+FFFD.
"""
from __future__ import annotations

import re
import secrets
import threading
import uuid
from collections.abc import Sequence
from typing import TypeAlias

from lxml import etree
from werkzeug.wrappers import Response

from mockserver.exceptions import ApiError

NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
XML_CONTENT_TYPE = "text/xml"

FieldValue: TypeAlias = str | bool | int | list["Fields"] | None
Fields: TypeAlias = Sequence[tuple[str, FieldValue]]

_NOT_XML_CHAR = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_request_id_lock = threading.Lock()
# A random node (multicast bit set, RFC 4122 section 4.5) and clock sequence per process: with both
# given, uuid1 takes its pure-Python path (unique, increasing timestamps under the lock) instead of
# libuuid's uuid_generate_time_safe, which costs ~50 us a call (a lock file or the uuidd daemon).
_REQUEST_ID_NODE = secrets.randbits(48) | (1 << 40)
_REQUEST_ID_CLOCK_SEQ = secrets.randbits(14)


def new_request_id() -> str:
    """A fresh time-based (version 1) UUID, like the live service's RequestIds."""
    with _request_id_lock:
        return str(uuid.uuid1(node=_REQUEST_ID_NODE, clock_seq=_REQUEST_ID_CLOCK_SEQ))


def success_response(operation: str, fields: Fields, request_id: str) -> Response:
    """`<Op>Response><Op>Result>fields</Op>Result><ResponseMetadata>...` with HTTP 200."""
    root = etree.Element(f"{operation}Response", nsmap={None: NAMESPACE})
    _append_fields(etree.SubElement(root, f"{operation}Result"), fields)
    metadata = etree.SubElement(root, "ResponseMetadata")
    etree.SubElement(metadata, "RequestId").text = request_id
    return _xml_response(root, 200)


def error_response(error: ApiError, request_id: str) -> Response:
    """`ErrorResponse/Error/{Type,Code,Message}` plus a top-level `RequestId`."""
    root = etree.Element("ErrorResponse", nsmap={None: NAMESPACE})
    detail = etree.SubElement(root, "Error")
    etree.SubElement(detail, "Type").text = error.error_type
    etree.SubElement(detail, "Code").text = xml_safe(error.code)
    etree.SubElement(detail, "Message").text = xml_safe(error.message)
    etree.SubElement(root, "RequestId").text = request_id
    return _xml_response(root, error.status)


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML_CHAR.sub("\ufffd", text)


def _append_fields(parent: etree._Element, fields: Fields) -> None:
    for name, value in fields:
        if value is None:
            continue
        element = etree.SubElement(parent, name)
        if isinstance(value, list):
            for member_fields in value:
                _append_fields(etree.SubElement(element, "member"), member_fields)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        else:
            element.text = xml_safe(str(value))


def _xml_response(root: etree._Element, status: int) -> Response:
    body = etree.tostring(root, encoding="utf-8", pretty_print=True)
    return Response(body, status=status, content_type=XML_CONTENT_TYPE)
