"""A pytest plugin for the inner suite run: keep only the items of the case ids a mutant is run against.

The harness loads it with `-p tests.mutants.case_selection` and passes the ids, comma-separated, in
`MUTANT_CASE_IDS` (tests/mutants/recording.py picks them). Every other item is deselected, so the run
reports only the selected cases. Ids that match no item are named on stderr: they usually mean a case
was renamed since the recording (rerun `python bench/mutants_full.py --update`).

A run of a dozen cases need not read the other case files: `MUTANT_CASE_FILES` names (relative to the
fixtures directory, comma-separated) the source files that define the ids, `case_files` finds them in
the outer process, and every other case source is left uncollected. Pytest still walks `fixtures/` in
its own order, so the selected items run in the order a whole-suite run gives them. The run writes
no report directory (the suite's sessionfinish would read every case for the coverage matrix); the
item records its results collector gathered (the `cases` of a results.json, same records, same
outcomes) go to the file `MUTANT_RESULTS_FILE` names.
"""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

CASE_IDS_VARIABLE = "MUTANT_CASE_IDS"
CASE_FILES_VARIABLE = "MUTANT_CASE_FILES"
RESULTS_FILE_VARIABLE = "MUTANT_RESULTS_FILE"
RESULTS_COLLECTOR = "importexport-results"  # the name conformance/plugin.py registers its collector under

_FILES_LOCK = threading.Lock()
_FILES_BY_ID: dict = {}


def selected_ids() -> frozenset:
    return frozenset(filter(None, os.environ.get(CASE_IDS_VARIABLE, "").split(",")))


def _selected_files() -> frozenset | None:
    files = os.environ.get(CASE_FILES_VARIABLE)
    return None if files is None else frozenset(filter(None, files.split(",")))


def case_files(root: Path, case_ids) -> tuple:
    """The case sources (relative to `root`/fixtures, sorted) defining `case_ids`; ids defined nowhere
    add no file. Every case of the suite is read once per process (CaseFileError if a file is bad)."""
    from conformance.run.collection import FIXTURES_DIR, case_sources, load_cases

    with _FILES_LOCK:
        if not _FILES_BY_ID:
            fixtures = root / FIXTURES_DIR
            for path in case_sources(root):
                for case in load_cases(path, root):
                    _FILES_BY_ID.setdefault(case.id, path.relative_to(fixtures).as_posix())
    return tuple(sorted({_FILES_BY_ID[case_id] for case_id in case_ids if case_id in _FILES_BY_ID}))


def pytest_ignore_collect(collection_path: Path, config):
    """Leave out the case sources that define none of the selected ids."""
    files = _selected_files()
    if files is None:
        return None
    from conformance.run.collection import FIXTURES_DIR, is_case_source

    if not is_case_source(collection_path, config.rootpath):
        return None
    relative = collection_path.relative_to(config.rootpath / FIXTURES_DIR).as_posix()
    return True if relative not in files else None


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


def pytest_sessionfinish(session) -> None:
    """Write the suite's item records to `MUTANT_RESULTS_FILE` (when set) as `{"cases": [...]}`."""
    target = os.environ.get(RESULTS_FILE_VARIABLE)
    collector = session.config.pluginmanager.get_plugin(RESULTS_COLLECTOR)
    if target and collector is not None:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"cases": collector.records()}, indent=1) + "\n", encoding="utf-8")
