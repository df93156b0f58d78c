"""Shared fixtures of the schema tests: the compiled schema and its namespace, a hardened XML
parser, and a validator that returns the schema's complaints as plain strings.

The suite validates responses with lxml (libxml2) and asks xmlschema only for messages, so every
document these tests validate is also given to lxml, and the two verdicts must agree: lxml must
reject everything xmlschema rejects (and accept what it accepts)."""

from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO_ROOT / "xsd" / "importexport-2010-06-01.xsd"


def _hardened_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and touches no network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


@pytest.fixture(scope="session")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


@pytest.fixture(scope="session")
def lxml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser=_hardened_parser()))


@pytest.fixture(scope="session")
def namespace(schema: xmlschema.XMLSchema) -> str:
    return schema.target_namespace


@pytest.fixture(scope="session")
def parse_xml() -> Callable[[bytes], etree._Element]:
    """Parse bytes into an element with the hardened parser (raises etree.XMLSyntaxError)."""

    def parse(data: bytes) -> etree._Element:
        return etree.fromstring(data, parser=_hardened_parser())

    return parse


@pytest.fixture(scope="session")
def schema_errors(
    schema: xmlschema.XMLSchema, lxml_schema: etree.XMLSchema, parse_xml
) -> Callable[[bytes | etree._Element], list[str]]:
    """Validate a document (bytes or an lxml element); return one line per schema complaint.

    Fails the test when lxml's verdict differs from xmlschema's."""

    def errors(document: bytes | etree._Element) -> list[str]:
        root = parse_xml(document) if isinstance(document, bytes) else document
        found = [f"{error.path}: {error.reason}" for error in schema.iter_errors(root)]
        lxml_valid = lxml_schema.validate(root)
        assert lxml_valid == (not found), (
            f"lxml says {'valid' if lxml_valid else 'invalid'} ({lxml_schema.error_log.last_error}), "
            f"xmlschema says {found or 'valid'}"
        )
        return found

    return errors
