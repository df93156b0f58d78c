"""Folding runs of near-identical cases into one case with `parameters:` (used by convert_fixtures.py).

Two neighbouring cases of a file belong to one family when they have the same shape (the same keys,
lists and nesting) and differ in at most `MAX_COLUMNS` scalars (mapping keys included). Each differing
scalar becomes `${param.<name>}`: the part the rows share stays in the text, the part that differs goes
into the row. The converter keeps a fold only when the expanded cases equal the originals.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from conformance.cases.datafiles import RawScalar
from conformance.cases.format import format_data

MAX_COLUMNS = 5
MIN_ROWS = 2
PROSE = {"doc", "decision"}
"""Free text split only between words."""
FREE_TEXT = {"id", "doc", "decision", "concern", "matches", "equals", "contains", "not_contains", "body"}
"""Leaves whose shared prefix and suffix may stay in the text; other leaves vary as whole values."""
CONSTRAINED = {"source", "template", "operation", "level", "auth", "tags", "requires", "method", "status", "code",
               "type", "call", "as", "use", "path", "omit", "action_param", "fetch", "check", "checks"}
"""Leaves the case schema constrains (enums, patterns): never a parameter."""
KEYED = {"set", "add", "params", "example_set", "headers", "with"}
"""Mappings whose keys may vary between rows."""
_NAME = re.compile(r"[^A-Za-z0-9_]")


def _shape(value: Any, leaves: list, names: list, name: str) -> str:
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            leaves.append(key)
            names.append("key" if name in KEYED else "fixed-key")
            parts.append(f"K:{_shape(item, leaves, names, str(key))}")
        return "{" + ",".join(parts) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_shape(item, leaves, names, name) for item in value) + "]"
    leaves.append(value)
    names.append(name)
    return "R" if isinstance(value, RawScalar) else "S"


def _flatten(case: dict) -> tuple[str, list, list]:
    leaves: list = []
    names: list = []
    shape = _shape(case, leaves, names, "value")
    return shape, leaves, names


def _rebuild(value: Any, leaves: list) -> Any:
    if isinstance(value, dict):
        result = {}
        for item in value.values():
            new_key = leaves.pop(0)
            result[new_key] = _rebuild(item, leaves)
        return result
    if isinstance(value, list):
        return [_rebuild(item, leaves) for item in value]
    return leaves.pop(0)


_BOUNDARY = re.compile(r"[\s,;:()]")


def _split(values: list, words: bool) -> tuple[str, str]:
    """The prefix and suffix every value shares, never cutting a `${...}` reference (nor a word, in prose)."""
    texts = [str(value) for value in values]
    prefix = texts[0]
    for text in texts[1:]:
        while not text.startswith(prefix):
            prefix = prefix[:-1]
    suffix = texts[0][len(prefix):]
    for text in texts[1:]:
        while not text[len(prefix):].endswith(suffix):
            suffix = suffix[1:]
    if prefix.rfind("${") > prefix.rfind("}"):
        prefix = prefix[:prefix.rfind("${")]
    prefix = prefix.rstrip("$")
    if "}" in suffix and ("${" not in suffix or suffix.find("}") < suffix.find("${")):
        suffix = suffix[suffix.find("}") + 1:]
    if not words:
        return prefix, suffix
    while prefix and not _BOUNDARY.match(prefix[-1]):
        prefix = prefix[:-1]
    while suffix and not _BOUNDARY.match(suffix[0]):
        suffix = suffix[1:]
    return prefix, suffix


def _fold(run: list[dict]) -> dict | None:
    flats = [_flatten(case) for case in run]
    _, first, names = flats[0]
    columns = [index for index in range(len(first)) if any(flat[1][index] != first[index] for flat in flats)]
    id_column = next((index for index in columns if first[index] == run[0]["id"] and names[index] == "id"), None)
    if id_column is None or len(columns) > MAX_COLUMNS:
        return None
    if any(names[index] in CONSTRAINED or names[index] == "fixed-key" for index in columns):
        return None
    template = list(first)
    rows: list[dict] = [{} for _ in run]
    by_values: dict[str, str] = {}
    for index in columns:
        values = [flat[1][index] for flat in flats]
        typed = not all(type(value) is str for value in values) or names[index] not in FREE_TEXT
        prefix, suffix = ("", "") if typed else _split(values, words=names[index] in PROSE)
        middles = values if typed else [value[len(prefix):len(value) - len(suffix)] for value in values]
        key = repr(middles)
        if key not in by_values:
            base = ("name" if index == id_column
                    else "value" if index - 1 in columns and names[index - 1] == "key"
                    else _NAME.sub("_", str(names[index])).strip("_") or "value")
            name, number = base, 2
            while name in by_values.values():
                name, number = f"{base}{number}", number + 1
            by_values[key] = name
            for row, middle in zip(rows, middles, strict=True):
                row[name] = middle
        reference = "${param." + by_values[key] + "}"
        template[index] = reference if typed else prefix + reference + suffix
    folded = _rebuild(run[0], template)
    folded["parameters"] = rows
    return folded


def fold_families(data: dict, accept: Callable[[list[dict], dict], bool]) -> dict:
    """`data` with runs of near-identical neighbouring cases folded into one family case.

    `accept(run, folded)` decides whether a fold is kept (the converter checks it expands to the run).
    """
    cases = data["cases"]
    result = []
    start = 0
    while start < len(cases):
        end = start + 1
        shape = _flatten(cases[start])[0] if "parameters" not in cases[start] else None
        while end < len(cases) and shape is not None and _flatten(cases[end])[0] == shape \
                and _fold(cases[start:end + 1]) is not None:
            end += 1
        folded = _fold(cases[start:end]) if end - start >= MIN_ROWS else None
        if folded is not None and (_lines([folded]) >= _lines(cases[start:end])
                                   or not accept(cases[start:end], folded)):
            folded = None
        result.extend([folded] if folded is not None else cases[start:end])
        start = end
    return {**data, "cases": result}


def _lines(cases: list[dict]) -> int:
    return len(format_data({"concern": "x", "cases": cases}).splitlines())
