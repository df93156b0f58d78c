"""`importexport-conformance`: run the whole suite against a target, from any directory.

Runs pytest on the suite's own files (`conformance/locations.py`), with the suite root as rootdir and
its pytest.ini as the ini file, so nothing in the current directory changes the run; pytest's cache
goes to `./.pytest_cache`. Every argument is passed to pytest as given (`--target-config FILE`,
`--report-dir DIR`, `--deviations FILE`, `-k`, `-m`, `-x`, `-p randomly`, ...); relative paths in
them count from the current directory. Exit status: pytest's. (This module imports the `conformance`
package before pytest starts, so pytest's notice that it cannot rewrite that package's asserts, of
which it has none, is silenced.)
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conformance.locations import PROGRAM, SuiteNotFound, suite_root

IMPORTED_BEFORE_PYTEST = "ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning"


def pytest_arguments(root: Path, arguments: Sequence[str], cwd: Path) -> list[str]:
    """The pytest command line that runs the suite under `root` with the user's `arguments`."""
    return ["-p", "conformance.plugin", "--rootdir", str(root), "-c", str(root / "pytest.ini"),
            "-o", f"cache_dir={cwd / '.pytest_cache'}", "-W", IMPORTED_BEFORE_PYTEST,
            *arguments, str(root / "fixtures")]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        root = suite_root()
    except SuiteNotFound as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return int(pytest.ExitCode.USAGE_ERROR)
    return int(pytest.main(pytest_arguments(root, arguments, Path.cwd())))
