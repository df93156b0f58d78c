"""Parsed manifests kept for repeated texts: the same answers as a fresh parse, errors never kept.

`parse_manifest_shared` (what validation uses) may hand out a tree it parsed before for the same text;
`parse_manifest` always parses afresh, so a caller that changes its tree changes nobody else's.
"""
from __future__ import annotations

import pytest

from mockserver.exceptions import ApiError
from mockserver.manifest.yaml_loader import CACHED_TEXT_CHARS, parse_manifest, parse_manifest_shared
from tests.mock.manifest_samples import MAX_BYTES, VALID, template


@pytest.mark.parametrize("name", ["s3-import.yaml", "s3-export.yaml", "ebs-import.yaml", "glacier-import.yaml"])
def test_a_kept_tree_equals_a_fresh_parse(name):
    text = template(name)
    first = parse_manifest_shared(text, max_bytes=MAX_BYTES)
    assert parse_manifest_shared(text, max_bytes=MAX_BYTES) is first
    assert first == parse_manifest(text, max_bytes=MAX_BYTES)


def test_a_fresh_parse_is_the_callers_own():
    kept = parse_manifest_shared(VALID, max_bytes=MAX_BYTES)
    changed = parse_manifest(VALID, max_bytes=MAX_BYTES)
    changed["returnAddress"]["city"] = "Elsewhere"
    del changed["bucket"]
    assert parse_manifest_shared(VALID, max_bytes=MAX_BYTES) is kept
    assert kept == parse_manifest(VALID, max_bytes=MAX_BYTES)
    assert kept["returnAddress"]["city"] != "Elsewhere" and "bucket" in kept


MALFORMED = ["a: [1, 2", "a: 1\na: 2\n", "- just\n- a list\n", "x" * (CACHED_TEXT_CHARS + 1) + ": ["]


@pytest.mark.parametrize("text", MALFORMED)
def test_a_text_that_fails_fails_every_time(text):
    for _ in range(3):
        with pytest.raises(ApiError) as raised:
            parse_manifest_shared(text, max_bytes=MAX_BYTES)
        assert raised.value.code == "MalformedManifestException"


def test_the_size_limit_applies_to_a_kept_text():
    parse_manifest_shared(VALID, max_bytes=MAX_BYTES)
    with pytest.raises(ApiError) as raised:
        parse_manifest_shared(VALID, max_bytes=len(VALID.encode()) - 1)
    assert raised.value.code == "InvalidParameterException"


def test_long_texts_are_parsed_afresh():
    text = VALID + "".join(f"note{index}: {'x' * 60}\n" for index in range(CACHED_TEXT_CHARS // 60))
    assert len(text) > CACHED_TEXT_CHARS
    assert parse_manifest_shared(text, max_bytes=MAX_BYTES) is not parse_manifest_shared(text, max_bytes=MAX_BYTES)
