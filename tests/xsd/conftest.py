"""Shared fixtures of the schema tests: the compiled schema and its namespace, a hardened XML
parser, and a validator that returns the schema's complaints as plain strings."""

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
def namespace(schema: xmlschema.XMLSchema) -> str:
    return schema.target_namespace


@pytest.fixture(scope="session")
def parse_xml() -> Callable[[bytes], etree._Element]:
    """Parse bytes into an element with the hardened parser (raises etree.XMLSyntaxError)."""

    def parse(data: bytes) -> etree._Element:
        return etree.fromstring(data, parser=_hardened_parser())

    return parse


@pytest.fixture(scope="session")
def schema_errors(schema: xmlschema.XMLSchema, parse_xml) -> Callable[[bytes | etree._Element], list[str]]:
    """Validate a document (bytes or an lxml element); return one line per schema complaint."""

    def errors(document: bytes | etree._Element) -> list[str]:
        root = parse_xml(document) if isinstance(document, bytes) else document
        return [f"{error.path}: {error.reason}" for error in schema.iter_errors(root)]

    return errors
