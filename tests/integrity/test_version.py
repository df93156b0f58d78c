"""The suite's version means something: pyproject.toml's version is the newest entry of CHANGELOG.md,
which lists what each version changed (scheme: docs/engine.md, "Versions")."""
from __future__ import annotations

import re
from pathlib import Path

from conformance.identity import suite_version

REPO = Path(__file__).resolve().parents[2]


def test_the_version_is_the_newest_changelog_entry():
    version = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.MULTILINE)[1]
    entries = re.findall(r"^## (\d+\.\d+\.\d+)$", (REPO / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert entries and entries[0] == version and len(set(entries)) == len(entries)
    assert suite_version() == version  # a checkout reports pyproject.toml's version, not its install's
