"""Hardened XML parsing, XSD validation and XPath helpers for the `ie:` namespace.

Response bodies come from the endpoint under test and are treated as hostile: the parser never
resolves entities, loads a DTD or touches the network, refuses huge trees, and any document with a
DOCTYPE is rejected outright (no Import/Export response has one), which stops XXE and
billion-laughs documents before they can matter.
"""
from __future__ import annotations

import functools
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    import xmlschema

IE_NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
NAMESPACES = {"ie": IE_NAMESPACE}
MAX_SCHEMA_ERRORS = 10
_MARKUP = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|<[^>]*>)", re.DOTALL)
_DECLARING_ERROR_MEMBER = re.compile(r"<((?:[\w.-]+:)?(?:Type|Code|Message))\s[^<>]*xmlns(?::[\w.-]+)?\s*=[^<>]*>")
_DOCTYPE_IN_PROLOG = re.compile(rb"^\s*(?:<\?xml[^>]*\?>)?(?:\s|<!--.*?-->|<\?.*?\?>)*<!DOCTYPE", re.DOTALL)


class XmlError(Exception):
    """A body that is not an acceptable XML document, or an XPath that does not compile."""


def _hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=False,
    )


def parse_document(body: bytes) -> etree._Element:
    """The root element of `body`; XmlError if it is not well-formed or declares a DOCTYPE."""
    if not body.strip():
        raise XmlError("the body is empty")
    if _DOCTYPE_IN_PROLOG.match(body):
        raise XmlError("the document declares a DOCTYPE; refused before parsing")
    try:
        root = etree.fromstring(body, parser=_hardened_parser())
    except etree.XMLSyntaxError as error:
        raise XmlError(f"not well-formed XML: {error}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlError(f"the document declares a DOCTYPE ({docinfo.doctype or 'internal subset'}); refused")
    return root


def client_reading_problems(body: bytes, root: etree._Element) -> list[str]:
    """What the SDKs misread in a well-formed document that the XSD cannot see (docs/clients.md):
    an encoding other than UTF-8, prefixed element names, CDATA sections, processing instructions, a
    comment between two parts of a result value (the Go SDK's error parser and every SDK's RequestId
    reading cope with it), a literal carriage return inside a value, a namespace
    declaration on Error's Type, Code or Message. Empty when every SDK reads it as written."""
    encoding = root.getroottree().docinfo.encoding or "UTF-8"
    if encoding.upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        return [f"the document is encoded in {encoding}, not UTF-8: the AWS SDK for JavaScript v2 cannot parse "
                "UTF-16 and the Go SDK v1 refuses any other declared encoding"]
    problems = []
    if any(isinstance(node, etree._ProcessingInstruction) for node in _document_nodes(root)):
        problems.append("a processing instruction: the Ruby SDK v1 cannot parse it (its SAX handler has no "
                        "processing_instruction)")
    success = etree.QName(root).localname != "ErrorResponse"
    for comment in root.iter(etree.Comment) if success and b"<!--" in body else ():
        parent = comment.getparent()
        before = comment.getprevious().tail if comment.getprevious() is not None else parent.text
        if etree.QName(parent).localname != "RequestId" and (before or "").strip() and (comment.tail or "").strip():
            problems.append(f"a comment inside the value of <{etree.QName(comment.getparent()).localname}>: the Go "
                            "SDK v1 reads only the text after it")
            break
    prefixed = sorted({element.prefix + ":" + etree.QName(element).localname for element in root.iter()
                       if isinstance(element.tag, str) and element.prefix})
    if prefixed:
        problems.append(f"elements written with a namespace prefix ({', '.join(prefixed[:3])}): the AWS SDK for "
                        "JavaScript v2 reads prefixed elements as absent")
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    if "<![CDATA[" in text:
        problems.append("a CDATA section: the Ruby SDK v1 cannot parse it (its SAX handler has no cdata_block)")
    for piece in _MARKUP.split(text) if "\r" in text else ():  # only a carriage return is looked for
        value = piece[9:-3] if piece.startswith("<![CDATA[") else "" if piece.startswith("<") else piece
        if "\r" in value and value.strip():
            problems.append("a carriage return written inside a value: the AWS SDK for JavaScript v2 keeps it "
                            "(XML parsers turn CR LF into LF; write LF)")
            break
    if etree.QName(root).localname == "ErrorResponse":
        declaring = _DECLARING_ERROR_MEMBER.search(text)
        if declaring:
            problems.append(f"a namespace declaration on <{declaring.group(1)}> in <Error>: the AWS SDK for "
                            "JavaScript v2 reads an error member with attributes as an object, not its text")
    return problems


def _document_nodes(root: etree._Element):
    """Every node of the document: the prolog and epilog siblings of the root and everything inside it."""
    node = root
    while node.getprevious() is not None:
        node = node.getprevious()
    while node is not None:
        yield from node.iter() if node is root else (node,)
        node = node.getnext()


def qualified(local_name: str) -> str:
    """`{namespace}LocalName` in the Import/Export namespace."""
    return f"{{{IE_NAMESPACE}}}{local_name}"


def describe_name(element: etree._Element) -> str:
    """`<Name xmlns="...">` for messages; shows the namespace so a wrong one is visible."""
    name = etree.QName(element)
    return f'<{name.localname} xmlns="{name.namespace or ""}">'


def compile_xpath(expression: str) -> etree.XPath:
    """A compiled XPath with the `ie:` prefix bound; XmlError when the expression is invalid."""
    try:
        return etree.XPath(expression, namespaces=NAMESPACES)
    except etree.XPathSyntaxError as error:
        raise XmlError(f"invalid XPath {expression!r}: {error}") from None


def _as_text(item) -> str:
    if isinstance(item, etree._Element):
        return "".join(item.itertext())
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float) and item.is_integer():
        return str(int(item))
    return str(item).strip()


def string_values(root: etree._Element, expression: str) -> list[str]:
    """The string value of every node `expression` selects, in document order.

    An element's value is its text as the SDKs read it: nothing stripped (a padded `<JobId> X </JobId>`
    is the value " X " to every client, docs/clients.md; checks on the multi-line values the live
    service padded with newlines use `matches`). An expression that yields a number, string or
    boolean gives one value, without surrounding whitespace.
    """
    try:
        result = compile_xpath(expression)(root)
    except etree.XPathEvalError as error:
        raise XmlError(f"XPath {expression!r} failed: {error}") from None
    if isinstance(result, list):
        return [_as_text(item) for item in result]
    return [_as_text(result)]


@functools.cache
def _compiled_xsd(path: Path) -> etree.XMLSchema:
    """The XSD at `path` compiled by lxml, once per process."""
    try:
        return etree.XMLSchema(etree.parse(str(path), parser=_hardened_parser()))
    except (etree.LxmlError, OSError) as error:
        raise XmlError(f"XSD file {path} does not load: {error}") from None


@functools.cache
def _detailed_xsd(path: Path) -> xmlschema.XMLSchema | None:
    """The XSD at `path` compiled by xmlschema (for messages), once per process; None if it fails."""
    import xmlschema as xmlschema_runtime  # 0.3 s to import, 0.8 s to compile: only on a rejection

    try:
        return xmlschema_runtime.XMLSchema(str(path), allow="sandbox")
    except (xmlschema_runtime.XMLSchemaException, etree.LxmlError, OSError):
        return None


class ResponseSchema:
    """The Import/Export XSD, compiled once per process; `problems(root)` lists validation errors.

    Every response is validated by lxml (libxml2's XSD validator, microseconds per response). Only
    when lxml rejects a document is xmlschema asked, for readable messages with element paths; its
    schema is compiled on that first rejection, so a run where every response is valid never pays
    for it. tests/xsd checks that both validators give the same verdict on every sample and breakage.
    """

    def __init__(self, path: Path):
        if not path.is_file():
            raise XmlError(f"XSD file not found: {path} (use --xsd to point at another file)")
        self.path = path
        self._fast = _compiled_xsd(path)
        self._lock = threading.Lock()  # the validator keeps its last error log: one validation at a time

    def problems(self, root: etree._Element) -> list[str]:
        """Up to MAX_SCHEMA_ERRORS readable validation errors; empty when `root` is valid."""
        with self._lock:
            if self._fast.validate(root):
                return []
            lxml_found = [f"{entry.path or '/'}: {' '.join(entry.message.split())}" for entry in self._fast.error_log]
        found = self._detailed_problems(root)
        if not found:  # xmlschema unavailable or more lenient: lxml's verdict stands, with its messages
            found = lxml_found[:MAX_SCHEMA_ERRORS]
        return found

    def _detailed_problems(self, root: etree._Element) -> list[str]:
        detailed = _detailed_xsd(self.path)
        if detailed is None:
            return []
        import xmlschema as xmlschema_runtime

        found = []
        for error in detailed.iter_errors(xmlschema_runtime.XMLResource(root, allow="none")):
            found.append(f"{error.path or '/'}: {' '.join(str(error.reason or error.message).split())}")
            if len(found) == MAX_SCHEMA_ERRORS:
                found.append("(further schema errors not shown)")
                break
        return found
