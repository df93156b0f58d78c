"""Fixture integrity: every case file loads, ids are unique, and every `source` points into the reference.

The reference (`shared/reference/` beside the repository, or `$IMPORTEXPORT_REFERENCE_DIR`) is read only
to resolve `reference:<section>` and `addendum:<section>` sources; the published examples that
`example:<file>` names are the byte-faithful copies under `fixtures/examples/reference/`.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import botocore.session
import pytest

from conformance.report.coverage import coverage_matrix
from conformance.run.collection import case_sources, load_all_cases, load_cases

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
EXAMPLES = FIXTURES / "examples" / "reference"


def _reference_dir() -> Path | None:
    configured = os.environ.get("IMPORTEXPORT_REFERENCE_DIR")
    if configured:
        return Path(configured)
    for parent in REPO.parents:
        candidate = parent / "shared" / "reference"
        if (candidate / "importexport-api.md").is_file():
            return candidate
    return None


REFERENCE = _reference_dir()
needs_reference = pytest.mark.skipif(REFERENCE is None, reason="shared/reference not found beside the repository")


ALL_CASES = load_all_cases(REPO)


def _section_numbers(markdown: str, prefix: str = "") -> set[str]:
    """`## 2. Actions` -> "2"; `### 2.3 CancelJob` -> "2.3"; `## A5. Job status` -> "A5"."""
    numbers = set()
    for match in re.finditer(r"^#{2,4}\s+([A-Z]?\d+(?:\.\d+)*)\.?\s", markdown, re.MULTILINE):
        numbers.add(prefix + match.group(1))
    return numbers


def _numbered_items(markdown: str, section: str) -> set[str]:
    """Numbered list items of one `## N.` section: erratum 10 of section 9 -> "9.10"."""
    body = re.split(rf"^## {re.escape(section)}\.\s", markdown, flags=re.MULTILINE)
    if len(body) < 2:
        return set()
    body = re.split(r"^## ", body[1], flags=re.MULTILINE)[0]
    return {f"{section}.{m.group(1)}" for m in re.finditer(r"^(\d+)\.\s", body, re.MULTILINE)}


def _source_table_urls(markdown: str) -> set[str]:
    return set(re.findall(r"https?://[^\s|)`,]+", markdown))


def _botocore_names() -> set[str]:
    model = botocore.session.get_session().get_service_model("importexport")
    names = set(model.shape_names) | set(model.operation_names)
    for operation in model.operation_names:
        input_shape = model.operation_model(operation).input_shape
        names |= {f"{operation}.{member}" for member in input_shape.members}
    return names


def test_every_case_file_loads_and_has_cases():
    sources = list(case_sources(REPO))
    assert any(path.suffix == ".generator" for path in sources), "the model-derived cases are not collected"
    for path in sources:
        assert load_cases(path, REPO), f"{path} holds no cases"


def test_case_ids_are_unique_across_files_and_generators():
    ids = [case.id for case in ALL_CASES]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    assert not duplicates


def test_inferred_cases_state_their_decision():
    missing = [case.id for case in ALL_CASES if case.level == "inferred" and not (case.decision or "").strip()]
    assert not missing


@needs_reference
def test_every_source_points_into_the_reference():
    api = (REFERENCE / "importexport-api.md").read_text(encoding="utf-8")
    addendum = (REFERENCE / "importexport-api-addendum.md").read_text(encoding="utf-8")
    sections = _section_numbers(api) | _numbered_items(api, "9") | _numbered_items(api, "10")
    addendum_sections = _section_numbers(addendum)
    urls = _source_table_urls(api) | _source_table_urls(addendum)
    botocore_names = _botocore_names()
    sources = {case.id: case.source for case in ALL_CASES}

    def resolves(source: str) -> bool:
        kind, _, target = source.partition(":")
        target = target.split("#")[0].strip()
        if kind == "reference":
            return target in sections
        if kind == "addendum":
            return target in addendum_sections
        if kind == "example":
            return (EXAMPLES / target).is_file()
        if kind == "botocore":
            return target in botocore_names
        if kind in ("http", "https"):
            return source.split("#")[0] in urls
        return False

    unresolved = {case_id: source for case_id, source in sources.items() if not resolves(source)}
    assert not unresolved


@needs_reference
def test_source_resolution_rejects_what_is_not_in_the_reference():
    api = (REFERENCE / "importexport-api.md").read_text(encoding="utf-8")
    assert "2.3" in _section_numbers(api)
    assert "2.9" not in _section_numbers(api)
    assert "9.10" in _numbered_items(api, "9")
    assert "9.99" not in _numbered_items(api, "9")
    assert "CancelJob.JobId" in _botocore_names()
    assert "CancelJob.Bogus" not in _botocore_names()


def test_every_modeled_operation_error_pair_is_covered():
    matrix = coverage_matrix(ALL_CASES)
    assert matrix["modeled_pairs"] == 55
    assert not matrix["uncovered"]
