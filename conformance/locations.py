"""Where the suite's own files are: the cases (`fixtures/`), the response schema (`xsd/`), the
`pytest.ini` that marks their directory as the suite root (`importexport_suite = true`), and the
documents the reports cite (`docs/sources.md`, `docs/decisions.md`, `docs/contract.md`).

In a checkout they sit at the top of the repository. In an installed package they travel as package
data under `conformance/suite_data/`, in the same layout (copied there by setup.py when the wheel is
built), so a rootdir holding them looks the same either way. `pytest` run in a checkout uses the
checkout's files (its rootdir); `importexport-conformance` uses the files of the package it runs from.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED_SUITE = PACKAGE_DIR / "suite_data"
SUITE_FILES = ("pytest.ini", "fixtures", "xsd")
PROGRAM = "importexport-conformance"  # the console script that runs the installed suite
BUILD_INFO = "build_info.json"  # written into suite_data/ by setup.py when the wheel is built


class SuiteNotFound(Exception):
    """Neither the installed package data nor a checkout holds the suite's files."""


def suite_root() -> Path:
    """The installed suite data if this package carries it, else the checkout it is imported from."""
    for candidate in (INSTALLED_SUITE, PACKAGE_DIR.parent):
        if all((candidate / name).exists() for name in SUITE_FILES):
            return candidate
    raise SuiteNotFound(f"no {', '.join(SUITE_FILES)} in {INSTALLED_SUITE} or {PACKAGE_DIR.parent}; "
                        "reinstall importexport-conformance from its wheel or its repository")


def suite_document(name: str) -> Path:
    """`docs/<name>` of the suite (sources.md, decisions.md, contract.md): the installed copy or the
    checkout's; SuiteNotFound when neither holds it."""
    for candidate in (INSTALLED_SUITE, PACKAGE_DIR.parent):
        path = candidate / "docs" / name
        if path.is_file():
            return path
    raise SuiteNotFound(f"no docs/{name} in {INSTALLED_SUITE} or {PACKAGE_DIR.parent}; "
                        "reinstall importexport-conformance from its wheel or its repository")
