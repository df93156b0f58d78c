"""XML response documents: `<Op>Response` for success, `ErrorResponse` for errors.

Both are in the 2010-06-01 namespace, served as `text/xml`, with no XML declaration (as the live
service sent them). Result members are written in the order given, which `protocol.responses` takes from
the botocore model; booleans are `true`/`false`; lists use `member` children. Text that cannot appear in
XML (control characters echoed from a request) is replaced by U+FFFD.

`ErrorResponse` is built as an lxml tree and serialized by lxml (`pretty_print`). A success document,
served on every call, is written directly in the same layout, since its shape is fixed (elements
with either text or element children, never both): two spaces of indentation per level, `<Name/>`
for a member list without members, and in text `&`, `<`, `>` and carriage return escaped as
libxml2 escapes them (tests/mock/test_mock_serialize.py checks the bytes against lxml's).
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
    lines = [f'<{operation}Response xmlns="{NAMESPACE}">']
    _write_element(lines, "  ", f"{operation}Result", fields)
    _write_element(lines, "  ", "ResponseMetadata", [("RequestId", request_id)])
    lines.append(f"</{operation}Response>\n")
    return Response("\n".join(lines).encode("utf-8"), status=200, content_type=XML_CONTENT_TYPE)


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


def _write_element(lines: list[str], indent: str, name: str, fields: Fields) -> None:
    """The element `name` holding `fields` (`<name/>` when every field is None)."""
    start = len(lines)
    for field_name, value in fields:
        _write_field(lines, indent + "  ", field_name, value)
    _enclose(lines, start, indent, name)


def _write_field(lines: list[str], indent: str, name: str, value: FieldValue) -> None:
    if value is None:
        return
    if isinstance(value, list):
        start = len(lines)
        for member_fields in value:
            _write_element(lines, indent + "  ", "member", member_fields)
        _enclose(lines, start, indent, name)
        return
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = _escape_text(xml_safe(str(value)))
    lines.append(f"{indent}<{name}>{text}</{name}>")


def _escape_text(text: str) -> str:
    """Element text as libxml2 writes it: `&`, `<`, `>` and carriage return escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _enclose(lines: list[str], start: int, indent: str, name: str) -> None:
    """Put the lines written since `start` inside the element `name`, or write `<name/>` if there are none."""
    if len(lines) == start:
        lines.append(f"{indent}<{name}/>")
    else:
        lines.insert(start, f"{indent}<{name}>")
        lines.append(f"{indent}</{name}>")


def _xml_response(root: etree._Element, status: int) -> Response:
    body = etree.tostring(root, encoding="utf-8", pretty_print=True)
    return Response(body, status=status, content_type=XML_CONTENT_TYPE)
