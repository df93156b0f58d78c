"""Hardened XML parsing, XSD validation and XPath helpers for the `ie:` namespace.

Response bodies come from the endpoint under test and are treated as hostile: the parser never
resolves entities, loads a DTD or touches the network, refuses huge trees, and any document with a
DOCTYPE is rejected outright (no Import/Export response has one), which stops XXE and
billion-laughs documents before they can matter.
"""
from __future__ import annotations

import re
from pathlib import Path

import xmlschema
from lxml import etree

IE_NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
NAMESPACES = {"ie": IE_NAMESPACE}
MAX_SCHEMA_ERRORS = 10
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
        return "".join(item.itertext()).strip()
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float) and item.is_integer():
        return str(int(item))
    return str(item).strip()


def string_values(root: etree._Element, expression: str) -> list[str]:
    """The string value of every node `expression` selects, in document order.

    Leading and trailing whitespace of each value is dropped (the live service padded multi-line
    values with newlines). An expression that yields a number, string or boolean gives one value.
    """
    try:
        result = compile_xpath(expression)(root)
    except etree.XPathEvalError as error:
        raise XmlError(f"XPath {expression!r} failed: {error}") from None
    if isinstance(result, list):
        return [_as_text(item) for item in result]
    return [_as_text(result)]


class ResponseSchema:
    """The Import/Export XSD, loaded once; `problems(root)` lists validation errors."""

    def __init__(self, path: Path):
        if not path.is_file():
            raise XmlError(f"XSD file not found: {path} (use --xsd to point at another file)")
        try:
            self._schema = xmlschema.XMLSchema(str(path), allow="sandbox")
        except (xmlschema.XMLSchemaException, etree.LxmlError, OSError) as error:
            raise XmlError(f"XSD file {path} does not load: {error}") from None
        self.path = path

    def problems(self, root: etree._Element) -> list[str]:
        """Up to MAX_SCHEMA_ERRORS readable validation errors; empty when `root` is valid."""
        found = []
        for error in self._schema.iter_errors(xmlschema.XMLResource(root, allow="none")):
            found.append(f"{error.path or '/'}: {' '.join(str(error.reason or error.message).split())}")
            if len(found) == MAX_SCHEMA_ERRORS:
                found.append("(further schema errors not shown)")
                break
        return found
