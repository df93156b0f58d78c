"""The two validators of a case file agree: fastjsonschema (the fast path) and jsonschema (the messages).

`datafiles.first_schema_error` trusts fastjsonschema's "valid" without asking jsonschema, so a document
that only jsonschema refuses would be collected as if it were fine. Every suite case file, and
documents derived from each (a case or step member removed, or given a value of the wrong type),
must get the same verdict from both.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import fastjsonschema
import pytest

from conformance.cases.datafiles import fast_validator, load_yaml, schema_validator
from conformance.cases.loader import CASE_SCHEMA
from conformance.report.deviations import DEVIATIONS_SCHEMA
from conformance.run.collection import case_sources
from conformance.settings import TARGET_CONFIG_SCHEMA

REPO_ROOT = Path(__file__).resolve().parents[2]
CASE_FILES = [path for path in case_sources(REPO_ROOT) if path.suffix == ".yaml"]  # what collection reads
WRONG_VALUES = (12345, "", [], {}, True, None)


def fast_verdict(schema: Path, document) -> bool:
    try:
        fast_validator(schema)(document)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def derived(document: dict) -> Iterator[tuple[str, dict]]:
    """The document with one member of its first case, or of that case's first step, removed or retyped."""
    case = document["cases"][0]
    places = [("cases[0]", ["cases", 0])]
    if isinstance(case.get("steps"), list) and isinstance(case["steps"][0], dict):
        places.append(("cases[0].steps[0]", ["cases", 0, "steps", 0]))
    for label, path in places:
        target = document
        for part in path:
            target = target[part]
        for key in list(target):
            changed = copy.deepcopy(document)
            holder = changed
            for part in path:
                holder = holder[part]
            del holder[key]
            yield f"{label}.{key} removed", changed
            for value in WRONG_VALUES:
                changed = copy.deepcopy(document)
                holder = changed
                for part in path:
                    holder = holder[part]
                holder[key] = value
                yield f"{label}.{key} = {value!r}", changed


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: str(path.relative_to(REPO_ROOT / "fixtures")))
def test_both_validators_agree_on_a_case_file_and_its_broken_copies(path):
    document = load_yaml(path, exact_scalars=True)
    validator = schema_validator(CASE_SCHEMA)
    assert fast_verdict(CASE_SCHEMA, document) and validator.is_valid(document)
    disagreements = [label for label, changed in derived(document)
                     if fast_verdict(CASE_SCHEMA, changed) != validator.is_valid(changed)]
    assert disagreements == []


@pytest.mark.parametrize("schema, document", [
    (TARGET_CONFIG_SCHEMA, {"endpoint_url": "http://127.0.0.1:1"}),
    (TARGET_CONFIG_SCHEMA, {"endpoint_url": 5}),
    (TARGET_CONFIG_SCHEMA, {"colour": "red"}),
    (DEVIATIONS_SCHEMA, [{"id": "A.B[sigv2]", "reason": "r"}]),
    (DEVIATIONS_SCHEMA, [{"id": "A.B[sigv5]", "reason": "r"}]),
    (DEVIATIONS_SCHEMA, [{"id": "A.B"}]),
    (DEVIATIONS_SCHEMA, {"deviations": "none"}),
])
def test_both_validators_agree_on_the_config_schemas(schema, document):
    assert fast_verdict(schema, document) == schema_validator(schema).is_valid(document)
