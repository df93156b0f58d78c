"""A canonical snapshot of every expanded case: `case id -> JSON`, to prove a rewrite of the fixtures lost nothing.

Every field of each loaded `Case` is kept except its line number; paths are made relative to the repository.
A manifest, whether read from a file or inline, is recorded as its parsed YAML node tree (mapping keys in
order, each scalar as `tag:text` under YAML 1.1 resolution, so `yes`, `'yes'`, `2.0` and `49382` stay
distinct) rather than as text, so layout may change but no value, type, spelling or key order may.
Text that is not valid YAML (the syntax cases) is recorded as written. Data files over 64 KiB are recorded
by their SHA-256.

    python tools/case_snapshot.py > tests/integrity/data/expanded-cases.jsonl   (one case a line, by id)
    python tools/case_snapshot.py /path/to/other/checkout > cases.jsonl        (its engine, its fixtures)
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(sys.argv[1]).resolve() if __name__ == "__main__" and len(sys.argv) > 1 \
    else Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from conformance.run.collection import load_all_cases  # noqa: E402

_LARGE = 64 * 1024


def manifest_tree(text: str) -> Any:
    """The manifest as a node tree, or `{"text": ...}` when it is not one valid YAML document."""
    if len(text) > _LARGE:
        return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {"text": text}
    return _node(node)


def _node(node: Any) -> Any:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return f"{node.tag.rsplit(':', 1)[-1]}:{node.value}"
    if isinstance(node, yaml.SequenceNode):
        return [_node(item) for item in node.value]
    return {"map": [[_node(key), _node(value)] for key, value in node.value]}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        if "manifest_text" in fields:
            manifest_file, text = fields.pop("manifest_file"), fields.pop("manifest_text")
            if manifest_file is not None:
                text = Path(manifest_file).read_text(encoding="utf-8")
            fields["manifest"] = None if text is None else manifest_tree(text)
            return {"type": type(value).__name__, **{key: _plain(item) for key, item in fields.items()}}
        return {"type": type(value).__name__, **{key: _plain(item) for key, item in fields.items()}}
    if isinstance(value, Path):
        try:
            return value.resolve().relative_to(REPO).as_posix()
        except ValueError:
            return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def canonical_case(case: Any) -> dict:
    """One case as JSON-ready data, without its line number."""
    data = _plain(case)
    data.pop("line", None)
    return data


def snapshot(root: Path = REPO) -> dict[str, dict]:
    """Every case of the suite under `root`, by id."""
    return {case.id: canonical_case(case) for case in load_all_cases(root)}


def write_lines(cases: dict[str, dict], out) -> None:
    """One `{"id": ..., "case": ...}` JSON line per case, sorted by id."""
    for case_id in sorted(cases):
        out.write(json.dumps({"id": case_id, "case": cases[case_id]}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write_lines(snapshot(), sys.stdout)
