"""Property-based tests of the mock's manifest validation: random text, mutated templates and any value in a
known field raise only the modeled API errors (never another exception).
"""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.exceptions import ApiError
from mockserver.manifest.yaml_loader import parse_manifest
from tests.mock.manifest_samples import KINDS, MAX_BYTES, template, validate

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{}?!&*|>#'\"\t\n ,.%@`\\aZ0\x11é")), max_size=200)


def _only_api_errors(text: str, job_type: str = "Import") -> None:
    try:
        validate(text, job_type, max_bytes=4096)
    except ApiError:
        pass


@FAST
@given(st.one_of(st.text(max_size=300), YAMLISH))
def test_random_text_raises_only_api_errors(text):
    _only_api_errors(text)


@FAST
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_mutated_templates_raise_only_api_errors(name, data):
    lines = template(name).splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    replacement = data.draw(st.one_of(st.just(""), YAMLISH, st.text(max_size=40)))
    lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))] + replacement
    _only_api_errors("\n".join(lines), KINDS[name][0])


SCALARS = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.floats())
TREES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


@FAST
@given(st.sampled_from(sorted(KINDS)), st.sampled_from(
    ["manifestVersion", "accessKeyId", "deviceId", "returnAddress", "customs", "operations", "bucket",
     "logBucket", "logPrefix", "fileSystem", "eraseDevice", "acl", "serviceLevel"]), TREES)
def test_any_value_for_a_known_field_raises_only_api_errors(name, field, value):
    tree = parse_manifest(template(name), max_bytes=MAX_BYTES)
    tree[field] = value
    _only_api_errors(yaml.safe_dump(tree, allow_unicode=True), KINDS[name][0])
