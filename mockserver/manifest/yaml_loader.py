"""Parse manifest text into a plain tree of dicts, lists and text scalars (decisions M1, W15).

The manifest is a YAML document (reference §6). Parsing is strict: a manifest longer than the
configured byte limit is a bad parameter (`InvalidParameterException`); empty text, control
characters, tab indentation, YAML syntax errors, duplicate mapping keys, nesting deeper than
`MAX_NESTING_DEPTH`, a document that expands (every alias counted as a copy of what it names) to
more than `MAX_EXPANDED_NODES` nodes (a billion-laughs bomb), several documents and any document
that is not a mapping are `MalformedManifestException` with the live message.

Every scalar keeps its source text, with no implicit YAML 1.1 typing: `manifestVersion: 2.0` is
"2.0", `eraseDevice: yes` is "yes", `deviceId: 49382` is "49382" and `postalCode: 02134` stays
"02134" (it would otherwise become the octal integer 1116). An empty value is "".

Parsing is pure Python (PyYAML's own scanner, whose every error the messages above were checked
against) and costs about a millisecond per manifest, the largest part of a CreateJob. Clients send
the same manifest text again and again (a test suite creates its jobs from a handful of manifests),
so `parse_manifest_shared` (what validation uses) keeps the tree of a short text (at most
`CACHED_TEXT_CHARS`) that parsed, for the last `CACHED_TREES` texts, and hands the same tree out
again: its callers read it and never change it. `parse_manifest` gives a fresh tree to change.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from mockserver.exceptions import ApiError, InvalidParameterException, MalformedManifestException

MALFORMED_MESSAGE = "Your manifest is not well-formed"

# C0 and C1 control characters other than tab, line feed and carriage return.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A tab anywhere in the leading whitespace of a line.
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_SCALAR_TAGS = ("null", "bool", "int", "float", "binary", "timestamp")
# Nesting deeper than any manifest needs; the limit keeps pathological input fast and off the stack.
MAX_NESTING_DEPTH = 32
# More nodes than an alias-free manifest within the default byte limit can hold; aliases beyond it are a bomb.
MAX_EXPANDED_NODES = 100_000
# Parse trees kept for texts seen before: how many, and the longest text kept (a manifest is well
# under 1 KiB; the bound keeps the cache to a few MiB whatever clients send).
CACHED_TREES = 64
CACHED_TEXT_CHARS = 4096


class _ManifestLoader(yaml.SafeLoader):
    """A SafeLoader that keeps every scalar as text, refuses duplicate mapping keys and deep nesting."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's per-class resolver table
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_NESTING_DEPTH:
                raise ComposerError(None, None, "nesting too deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node: yaml.Node) -> Any:
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise ConstructorError(None, None, "the aliases expand too far", node.start_mark)
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    raise ConstructorError(None, None, "unhashable key", key_node.start_mark) from None
                if duplicate:
                    raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Nodes in `node` with every alias expanded; a cycle counts as too many. Linear in distinct nodes."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = MAX_EXPANDED_NODES + 1
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(key, sizes) + _expanded_size(value, sizes) for key, value in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _scalar_as_text(loader: _ManifestLoader, node: yaml.Node) -> Any:
    """Every scalar (numbers, booleans, dates, null included) stays the text it was written as."""
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # registered for scalar tags only


for _tag in _SCALAR_TAGS:
    _ManifestLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _scalar_as_text)


def malformed() -> ApiError:
    """The error for a manifest that cannot be read as a YAML mapping."""
    return MalformedManifestException(MALFORMED_MESSAGE)


def parse_manifest(text: str, *, max_bytes: int) -> dict:
    """Return the manifest's top-level mapping, or raise the ApiError the text deserves."""
    return _parse(text, max_bytes, _load)


def parse_manifest_shared(text: str, *, max_bytes: int) -> dict:
    """`parse_manifest`, except that the mapping may be one handed out before for the same text:
    read it, never change it."""
    return _parse(text, max_bytes, _load_kept if len(text) <= CACHED_TEXT_CHARS else _load)


def _parse(text: str, max_bytes: int, load: Callable[[str], Any]) -> dict:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InvalidParameterException(
            f"The Manifest parameter is {size} bytes long; the limit is {max_bytes} bytes"
        )
    if not text.strip() or _CONTROL_CHARACTER.search(text) or _TAB_INDENT.search(text):
        raise malformed()
    try:
        tree = load(text)
    except yaml.YAMLError:
        raise malformed() from None
    if not isinstance(tree, dict):
        raise malformed()
    return tree


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_ManifestLoader)


# Only trees are kept: a text that fails raises again (and is parsed again) each time it is sent.
_load_kept = lru_cache(maxsize=CACHED_TREES)(_load)


def given(mapping: Mapping[str, Any], key: str) -> Any:
    """The value under `key`, or None when it is absent or blank (empty text, list or mapping).

    Text comes back stripped of surrounding white space; lists and mappings come back as they are.
    """
    value = mapping.get(key)
    if isinstance(value, str):
        value = value.strip()
    if value is None or (isinstance(value, (str, list, dict)) and not value):
        return None
    return value
