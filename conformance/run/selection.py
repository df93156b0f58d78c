"""What a run's positional arguments select, so that an id copied from any report reruns that item.

`importexport-conformance` runs the installed suite from any directory, so the ids its reports print
(`fixtures/CancelJob/errors.yaml::CancelJob.UnknownJobId[sigv4]` on a FAILED line, in `show`, in the
HTML page, in junit.xml) name files under the suite root, not under the current directory. Each
positional argument is read as:

* a path or node id that exists from the current directory: kept as given;
* a path or node id under the suite root (`fixtures/...`): made absolute there;
* an item key as `diff` and the HTML page print it, `CancelJob.UnknownJobId[sigv4]` (also with a space
  before the scheme, or the scheme as the next argument, as a copy of `CancelJob.UnknownJobId [sigv4]`
  gives it), or a case id alone (every scheme the run signs with): the node ids of those items;
* anything else: kept, and pytest reports it.

With no positional argument from a directory outside the suite root, the run selects the whole suite
(`<root>/fixtures`). A key that names no case is one line (`SelectionError`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from conformance.cases.definitions import Case

ITEM_KEY = re.compile(r"^(?P<id>[A-Za-z][\w-]*(?:\.[\w-]+)+)(?:\s*\[(?P<scheme>[a-z0-9]+)\])?$")
SCHEME_WORD = re.compile(r"^\[(?P<scheme>[a-z0-9]+)\]$")


class SelectionError(Exception):
    """A positional argument looks like a case id but names no case of the suite; one line."""


def _joined_scheme_words(arguments: Sequence[str]) -> list[str]:
    """`CancelJob.UnknownJobId`, `[sigv4]` (an unquoted copy of the HTML's id) -> one argument."""
    joined: list[str] = []
    for argument in arguments:
        if joined and SCHEME_WORD.match(argument) and ITEM_KEY.match(joined[-1]) and "[" not in joined[-1]:
            joined[-1] += argument
        else:
            joined.append(argument)
    return joined


def item_node_ids(case_id: str, scheme: str | None, cases: Iterable[Case], schemes_of: Callable[[Case], tuple],
                  root: Path) -> list[str]:  # root: where a case's relative file path counts from
    """Absolute node ids of the items of `case_id` (under `scheme`, or under every scheme it runs)."""
    node_ids = []
    for case in cases:
        if case.id != case_id:
            continue
        for item_scheme in schemes_of(case):
            if scheme is None or scheme == item_scheme:
                name = case.id if item_scheme == "none" else f"{case.id}[{item_scheme}]"
                node_ids.append(f"{case.file if case.file.is_absolute() else root / case.file}::{name}")
    return node_ids


def suite_arguments(arguments: Sequence[str], given: bool, invocation_dir: Path, root: Path, fixtures: Path,
                    cases: Callable[[], Iterable[Case]], schemes_of: Callable[[Case], tuple]) -> list[str]:
    """The run's positional arguments rewritten as described above; `given` is False when pytest
    chose them (no positional argument on the command line)."""
    if not given:
        inside = invocation_dir == root or root in invocation_dir.parents
        return list(arguments) if inside else [str(fixtures)]
    selected: list[str] = []
    for argument in _joined_scheme_words(arguments):
        file_part, separator, rest = argument.partition("::")
        key = ITEM_KEY.match(argument)
        if (invocation_dir / file_part).exists():
            selected.append(argument)
        elif file_part and (root / file_part).exists():
            selected.append(f"{root / file_part}{separator}{rest}")
        elif key is not None and not separator:
            node_ids = item_node_ids(key["id"], key["scheme"], cases(), schemes_of, root)
            if not node_ids:
                what = f"{key['id']} under {key['scheme']}" if key["scheme"] else key["id"]
                raise SelectionError(f"{argument}: no item {what} in the suite (case ids are case-sensitive; "
                                     "an item key is CASE.ID[scheme], as the reports print it)")
            selected.extend(node_ids)
        else:
            selected.append(argument)
    return selected
