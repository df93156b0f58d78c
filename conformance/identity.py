"""Which suite this is: its version and the git commit it was built from.

The version is `[project] version` of pyproject.toml (the scheme is in docs/engine.md, "Versions").
A wheel carries both in `suite_data/build_info.json`, written by setup.py at build time; a checkout
reads pyproject.toml and asks git (`+dirty` when tracked files have local changes). The installed
distribution's metadata is the last resort for the version (an editable install keeps the version
it was installed with).
"""
from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata
from pathlib import Path

from conformance.locations import BUILD_INFO, INSTALLED_SUITE, PACKAGE_DIR, PROGRAM

DISTRIBUTION = "importexport-conformance"
CHECKOUT = PACKAGE_DIR.parent
_PROJECT_VERSION = re.compile(r'^\[project\][^\[]*?^version\s*=\s*"([^"]+)"', re.MULTILINE | re.DOTALL)


def build_info() -> dict:
    """The wheel's build record ({version, commit, built}), or {} outside a built wheel."""
    try:
        record = json.loads((INSTALLED_SUITE / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _checkout_version() -> str | None:
    try:
        match = _PROJECT_VERSION.search((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    except OSError:
        return None
    return match.group(1) if match else None


def suite_version() -> str | None:
    """The suite's version: the wheel's build record, the checkout's pyproject.toml, the metadata."""
    version = build_info().get("version") or (_checkout_version() if (CHECKOUT / ".git").exists() else None)
    if version:
        return str(version)
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def checkout_commit(directory: Path = CHECKOUT) -> str | None:
    """The git commit of the suite's checkout (with `+dirty` when it has local changes), or None
    (also for an installed package, whose directory may sit inside someone else's repository)."""
    if not (directory / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(directory), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=False)
        if head.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(directory), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def suite_commit() -> str | None:
    """The commit the running suite comes from: the wheel's build record, else the checkout's HEAD."""
    built = build_info()
    if built:
        return built.get("commit")
    return checkout_commit()


def version_line() -> str:
    """`importexport-conformance 0.2.0 (commit 1a2b3c4d5e6f, built 2026-12-07T02:40:00Z)`."""
    details = []
    commit = suite_commit()
    details.append(f"commit {commit[:12] + commit[40:] if commit else 'unknown'}")
    built = build_info().get("built")
    details.append(f"built {built}" if built else "run from its checkout" if (CHECKOUT / ".git").exists()
                   else "not built from a checkout")
    return f"{PROGRAM} {suite_version() or 'unknown version'} ({', '.join(details)})"
