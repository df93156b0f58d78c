"""`importexport-conformance`: run the whole suite against a target, from any directory.

Runs pytest on the suite's own files (`conformance/locations.py`), with the suite root as rootdir and
its pytest.ini as the ini file, so nothing in the current directory changes the run; pytest's cache
goes to `./.pytest_cache`. Every other argument is passed to pytest as given (`--target-config FILE`,
`--report-dir DIR`, `-k`, `-m`, `-x`, `-p randomly`, ...); relative paths in them count from the
current directory. Positional arguments select items: an id copied from any report reruns that item
(run/selection.py); without one the whole suite runs. Exit status: pytest's.

Handled here, without starting a run: `--help` (the suite's own options first; `--help-pytest` for all
of pytest's), `--version` (the suite's version and build commit, conformance/identity.py),
`--contract`, `--sources`, `--decisions` (print the documents that ship with the suite), and `-n`
when pytest-xdist is not installed (one line saying what to install). (This module imports the
`conformance` package before pytest starts, so pytest's notice that it cannot rewrite that package's
asserts, of which it has none, is silenced.)
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conformance.identity import version_line
from conformance.locations import PROGRAM, SuiteNotFound, suite_document, suite_root

IMPORTED_BEFORE_PYTEST = "ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning"
SUITE_OPTIONS_TITLE = "AWS Import/Export conformance suite:"
DOCUMENTS = {"--contract": "contract.md", "--sources": "sources.md", "--decisions": "decisions.md"}
PARALLEL = re.compile(r"^(-n\S*|--numprocesses(=.*)?|--dist(=.*)?)$")
USAGE = f"""usage: {PROGRAM} [options] [ID ...]

Runs the AWS Import/Export 2010-06-01 conformance suite against a target and gives a verdict per
item (one case under one signature scheme). Without a target the bundled mock is started.

  ID                    an id copied from any report: a node id of a FAILED line, `show` or
                        index.html (fixtures/...::Case.Id[sigv4]), an item key of `diff`
                        (Case.Id[sigv4]) or a case id (every scheme); without, the whole suite

Suite documents (printed without running anything):
  --version             the suite's version and the commit it was built from
  --contract            the control API and target config contract (docs/contract.md)
  --sources             the facts the cases cite, with their addresses (docs/sources.md)
  --decisions           the decisions where the sources are silent (docs/decisions.md)
"""
NOTHING_SELECTED = (f"{PROGRAM}: no item was selected (exit status 5); select with an id as the reports print it "
                    "('fixtures/CancelJob/errors.yaml::CancelJob.UnknownJobId[sigv4]', "
                    "'CancelJob.UnknownJobId[sigv4]', or a case id), -k NAME or -m MARKER")
PYTEST_NOTE = f"""
Common pytest options: -k EXPR (by name), -m EXPR (by marker: canceljob, documented, sigv4, ...),
-x (stop at the first failure), -v (one line per item), -p randomly (random order),
-n N (parallel; needs pytest-xdist). All of pytest's options: {PROGRAM} --help-pytest
"""


def pytest_arguments(root: Path, arguments: Sequence[str], cwd: Path) -> list[str]:
    """The pytest command line that runs the suite under `root` with the user's `arguments`."""
    return ["-p", "conformance.plugin", "--rootdir", str(root), "-c", str(root / "pytest.ini"),
            "-o", f"cache_dir={cwd / '.pytest_cache'}", "-W", IMPORTED_BEFORE_PYTEST, *arguments]


def suite_options_section(root: Path) -> str:
    """The suite's own options as pytest's --help lists them (every option registered in its group)."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        pytest.main(pytest_arguments(root, ["--help"], Path.cwd()))
    lines = captured.getvalue().splitlines()
    if SUITE_OPTIONS_TITLE not in lines:
        return ""
    section = []
    for line in lines[lines.index(SUITE_OPTIONS_TITLE) + 1:]:
        if line and not line.startswith(" "):
            break
        section.append(line)
    return "Suite options:\n" + "\n".join(section).rstrip() + "\n"


def short_help(root: Path) -> str:
    return USAGE + "\n" + suite_options_section(root) + PYTEST_NOTE


def missing_parallel_plugin(arguments: Sequence[str]) -> str | None:
    """The line to print when `-n` or `--dist` is given and pytest-xdist is not installed."""
    if not any(PARALLEL.match(argument) for argument in arguments) or importlib.util.find_spec("xdist"):
        return None
    return (f"{PROGRAM}: error: -n runs items in parallel with pytest-xdist, which is not installed; install "
            "it: python3 -m pip install pytest-xdist (or 'importexport-conformance[parallel]')")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        root = suite_root()
        if "--version" in arguments or "-V" in arguments:
            print(version_line())
            return 0
        for option, name in DOCUMENTS.items():
            if option in arguments:
                sys.stdout.write(suite_document(name).read_text(encoding="utf-8"))
                return 0
    except SuiteNotFound as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return int(pytest.ExitCode.USAGE_ERROR)
    if "--help-pytest" in arguments:
        return int(pytest.main(pytest_arguments(root, ["--help"], Path.cwd())))
    if "-h" in arguments or "--help" in arguments:
        sys.stdout.write(short_help(root))
        return 0
    problem = missing_parallel_plugin(arguments)
    if problem is not None:
        print(problem, file=sys.stderr)
        return int(pytest.ExitCode.USAGE_ERROR)
    status = int(pytest.main(pytest_arguments(root, arguments, Path.cwd())))
    if status == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(NOTHING_SELECTED, file=sys.stderr)
    return status
