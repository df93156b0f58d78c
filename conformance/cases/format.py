"""The one style of case files: `python -m conformance.cases.format [--check] [paths]`.

Reads each case file as data and writes it back in the suite's style, so two contributors' files look
alike and a diff shows only what changed:

- keys in a fixed order (a case: `id, operation, level, source, tags, auth, requires, example, decision,
  doc, steps, teardown, parameters`; a step: `use, with, operation, as, request, raw, control, fetch,
  expect, save, state`); other mappings (params, save, manifest changes) keep the order written;
- a blank line between cases, lists at the indentation of their key, two spaces a level;
- a mapping or list of scalars on one line (`{path: '//ie:JobId', equals: Import}`) when it fits in
  120 characters (a list of scalars always), else one entry a line; multi-line text as a `|` block;
- strings plain where YAML allows and a YAML 1.1 reader would also read a string, else single-quoted
  (double-quoted only when escapes are needed); `!raw` values keep their tag.

Comments are not kept: what a reader needs goes into `concern:`, `doc:` or `decision:`. With `--check`
nothing is written; the exit status is 1 when a file would change. Paths default to every case file
under `./fixtures`.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from conformance.cases.datafiles import DataFileError, RawScalar, load_yaml

FLOW_WIDTH = 120
_TOP = ("concern", "defaults", "cases")
_CASE = ("id", "operation", "level", "source", "tags", "auth", "requires", "example", "decision", "doc",
         "steps", "teardown", "parameters")
_STEP = ("use", "with", "operation", "as", "request", "raw", "control", "fetch", "expect", "save", "state")
_REQUEST = ("params", "param_set", "manifest", "manifest_text", "omit", "action_param", "method", "query",
            "form_encoding", "content_type", "signing", "unsigned", "example", "example_set", "example_drop")
_EXPECT = ("status", "code", "type", "xsd", "content_type_xml", "body_starts_with", "checks", "xpath", "one_of")
_MANIFEST = ("template", "set", "add", "unset")
_XPATH = ("check", "path")
_ORDER_BY_PARENT = {"defaults": _CASE, "cases": _CASE, "steps": _STEP, "teardown": _STEP, "state": _STEP,
                    "request": _REQUEST, "expect": _EXPECT, "one_of": _EXPECT, "manifest": _MANIFEST,
                    "xpath": _XPATH}
_STR = "tag:yaml.org,2002:str"


def _ordered(mapping: dict, order: Sequence[str]) -> list:
    known = [key for key in order if key in mapping]
    return [(key, mapping[key]) for key in known] + [(key, value) for key, value in mapping.items()
                                                     if key not in order]


def _scalar(value: Any) -> yaml.ScalarNode:
    if isinstance(value, RawScalar):
        return yaml.ScalarNode("!raw", str(value), style=None)
    if isinstance(value, bool):
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(value))
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null")
    text = str(value)
    style = "|" if "\n" in text.rstrip("\n") or text.endswith("\n") else None
    return yaml.ScalarNode(_STR, text, style=style)


def _is_flat(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.style != "|"
    children = [value for _, value in node.value] if isinstance(node, yaml.MappingNode) else node.value
    return all((isinstance(child, yaml.ScalarNode) and child.style != "|")
               or (isinstance(child, yaml.CollectionNode) and bool(child.flow_style) and _is_flat(child))
               for child in children)


def _flow_length(node: yaml.Node) -> int:
    text = yaml.serialize(node, Dumper=yaml.SafeDumper, width=1_000_000,
                          allow_unicode=True)
    return len(text.strip().removesuffix("...").strip())


def to_node(value: Any, parent: str = "", indent: int = 0) -> yaml.Node:
    """Case-file data as a styled YAML node tree (flow style where it fits, key order by the parent key)."""
    if isinstance(value, dict):
        order = _ORDER_BY_PARENT.get(parent, ())
        pairs = [(yaml.ScalarNode(_STR, str(key)), to_node(item, str(key), indent + 2))
                 for key, item in _ordered(value, order)]
        node: yaml.CollectionNode = yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
    elif isinstance(value, list):
        node = yaml.SequenceNode("tag:yaml.org,2002:seq",
                                 [to_node(item, parent, indent + 2) for item in value], flow_style=False)
    else:
        return _scalar(value)
    block_parent = parent in ("cases", "steps", "teardown", "state", "one_of")
    shared_step = isinstance(value, dict) and set(value) <= {"use", "with"}
    if (not block_parent or shared_step) and _is_flat(node):
        node.flow_style = True
        scalars_only = isinstance(value, list) and all(isinstance(child, yaml.ScalarNode) for child in node.value)
        if not scalars_only and indent + len(parent) + 2 + _flow_length(node) > FLOW_WIDTH:
            node.flow_style = False
    return node


def format_data(data: Any) -> str:
    """Case-file data as text in the suite's style."""
    node = to_node(data, parent="")
    if isinstance(node, yaml.MappingNode):
        node.value = [(key, value) for key, value in sorted(
            node.value, key=lambda pair: _TOP.index(pair[0].value) if pair[0].value in _TOP else len(_TOP))]
    text = yaml.serialize(node, Dumper=yaml.SafeDumper, width=1_000_000, allow_unicode=True, indent=2)
    lines = []
    for line in text.splitlines():
        if line.startswith("- ") or line == "cases:":
            lines.append("")
        lines.append(line)
    return "\n".join(lines).lstrip("\n") + "\n"


def format_file(path: Path) -> str:
    """The formatted text of one case file (raises DataFileError when it cannot be read)."""
    return format_data(load_yaml(path, exact_scalars=True))


def case_files(root: Path) -> list[Path]:
    """Every case file under a fixtures directory (not the templates, data or reference examples)."""
    skipped = ("templates", "manifests", "data", "reference")
    return sorted(path for path in root.rglob("*.yaml")
                  if not set(path.relative_to(root).parts[:-1]) & set(skipped))


def main(argv: Sequence[str] | None = None) -> int:
    """Format (or with --check, test) the named case files; exit 1 on a file that would change."""
    parser = argparse.ArgumentParser(prog="python -m conformance.cases.format", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    parser.add_argument("paths", nargs="*", type=Path, help="case files or directories (default: ./fixtures)")
    args = parser.parse_args(argv)
    files: list[Path] = []
    for path in args.paths or [Path("fixtures")]:
        files.extend(case_files(path) if path.is_dir() else [path])
    changed = 0
    for path in files:
        try:
            text = format_file(path)
        except DataFileError as error:
            print(error, file=sys.stderr)
            return 2
        if text != path.read_text(encoding="utf-8"):
            changed += 1
            if args.check:
                print(f"{path}: not in the case-file style (run python -m conformance.cases.format {path})")
            else:
                path.write_text(text, encoding="utf-8")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
