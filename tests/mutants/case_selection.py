"""A pytest plugin for the inner suite run: keep only the items of the case ids a mutant is run against.

The harness loads it with `-p tests.mutants.case_selection` and passes the ids, comma-separated, in
`MUTANT_CASE_IDS` (tests/mutants/recording.py picks them). Every other item is deselected, so the run
reports (results.json) only the selected cases. Ids that match no item are named on stderr: they
usually mean a case was renamed since the recording (rerun `python bench/mutants_full.py --update`).
"""
from __future__ import annotations

import os
import sys

CASE_IDS_VARIABLE = "MUTANT_CASE_IDS"


def selected_ids() -> frozenset:
    return frozenset(filter(None, os.environ.get(CASE_IDS_VARIABLE, "").split(",")))


def pytest_collection_modifyitems(config, items) -> None:
    wanted = selected_ids()
    if not wanted:
        return
    kept, dropped = [], []
    for item in items:
        case = getattr(item, "case", None)
        (kept if case is not None and case.id in wanted else dropped).append(item)
    unknown = wanted - {item.case.id for item in kept}
    if unknown:
        print(f"case_selection: no item for {', '.join(sorted(unknown))}", file=sys.stderr)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
