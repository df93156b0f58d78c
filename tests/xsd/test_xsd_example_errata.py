"""Proves the errata table of the published response examples (xsd/example-errata.yaml, shown in
docs/xsd.md): every example file is listed; each is valid or invalid as published exactly as the
table says; each invalid one becomes valid after exactly the listed corrections, or is not even
well-formed when the table says "not-replayable"; and the markdown table says the same."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[2]
ERRATA_PATH = REPO_ROOT / "xsd" / "example-errata.yaml"
DOC_PATH = REPO_ROOT / "docs" / "xsd.md"
EXAMPLES_DIR = REPO_ROOT / "fixtures" / "examples" / "reference"
NOT_REPLAYABLE = "not-replayable"
ENTRY_KEYS = {"valid_as_published", "errata", "valid_after"}
OPTIONAL_ENTRY_KEYS = {"notes"}

ERRATA_TABLE: dict = yaml.safe_load(ERRATA_PATH.read_text(encoding="utf-8"))


def correct_namespace(root: etree._Element, namespace: str) -> etree._Element:
    """The "namespace" correction: every element moved into the API's versioned namespace."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = f"{{{namespace}}}{etree.QName(element).localname}"
    etree.cleanup_namespaces(root)
    return root


CORRECTIONS: dict[str, Callable[[etree._Element, str], etree._Element]] = {"namespace": correct_namespace}


def test_every_example_response_is_in_the_table():
    assert set(ERRATA_TABLE) == {p.name for p in EXAMPLES_DIR.glob("*.xml")}


@pytest.mark.parametrize("name", sorted(ERRATA_TABLE))
def test_entry_is_consistent(name):
    entry = ERRATA_TABLE[name]
    assert ENTRY_KEYS <= set(entry) <= ENTRY_KEYS | OPTIONAL_ENTRY_KEYS, f"{name}: keys {sorted(entry)}"
    assert isinstance(entry["valid_as_published"], bool)
    assert isinstance(entry["errata"], list) and all(isinstance(e, str) and e for e in entry["errata"])
    valid_after = entry["valid_after"]
    if entry["valid_as_published"]:
        assert entry["errata"] == [] and valid_after == [], f"{name}: a valid example has no errata"
        return
    assert entry["errata"], f"{name}: an invalid example must name its erratum"
    if valid_after == NOT_REPLAYABLE:
        return
    assert isinstance(valid_after, list) and valid_after, f"{name}: needs corrections or {NOT_REPLAYABLE!r}"
    assert set(valid_after) <= set(CORRECTIONS), f"{name}: unknown corrections {valid_after}"
    if "namespace" in valid_after:
        assert any("F28 (erratum 10)" in erratum for erratum in entry["errata"]), f"{name}: cite F28 (erratum 10)"


@pytest.mark.parametrize("name", sorted(ERRATA_TABLE))
def test_example_validity_as_published_matches_the_table(name, parse_xml, schema_errors):
    entry = ERRATA_TABLE[name]
    data = (EXAMPLES_DIR / name).read_bytes()
    if entry["valid_after"] == NOT_REPLAYABLE:
        with pytest.raises(etree.XMLSyntaxError):
            parse_xml(data)
        return
    errors = schema_errors(data)
    assert (errors == []) == entry["valid_as_published"], f"{name}: {errors}"


@pytest.mark.parametrize(
    "name", sorted(n for n, e in ERRATA_TABLE.items() if e["valid_after"] not in ([], NOT_REPLAYABLE))
)
def test_example_validates_after_the_listed_corrections(name, parse_xml, schema_errors, namespace):
    root = parse_xml((EXAMPLES_DIR / name).read_bytes())
    for correction in ERRATA_TABLE[name]["valid_after"]:
        root = CORRECTIONS[correction](root, namespace)
    corrected = etree.tostring(root)
    assert schema_errors(corrected) == [], corrected.decode()


def test_correcting_the_namespace_changes_nothing_else(parse_xml, namespace):
    """The correction keeps names, text and structure; only namespaces change."""
    original = parse_xml((EXAMPLES_DIR / "CreateJob-response-SamplePOST.xml").read_bytes())
    corrected = parse_xml(etree.tostring(correct_namespace(parse_xml(etree.tostring(original)), namespace)))
    pairs = list(zip(original.iter(), corrected.iter(), strict=True))
    assert all(etree.QName(a).localname == etree.QName(b).localname for a, b in pairs)
    assert all((a.text, a.tail) == (b.text, b.tail) for a, b in pairs)
    assert {etree.QName(b).namespace for _, b in pairs} == {namespace}


def documented_rows() -> dict[str, tuple[str, str]]:
    """File name -> (valid as published, valid after) from the errata table in docs/xsd.md."""
    rows = {}
    for line in DOC_PATH.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([^`]+\.xml)` \| (yes|no) \| .* \| ([^|]+) \|$", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3).strip())
    return rows


def test_markdown_table_matches_the_yaml():
    expected = {}
    for name, entry in ERRATA_TABLE.items():
        after = entry["valid_after"]
        shown_after = "not replayable" if after == NOT_REPLAYABLE else (", ".join(after) or "–")
        expected[name] = ("yes" if entry["valid_as_published"] else "no", shown_after)
    assert documented_rows() == expected
