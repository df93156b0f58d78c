"""Build hook (everything else is declared in pyproject.toml).

* The suite's cases (`fixtures/`), schema (`xsd/`), `pytest.ini` and the documents its reports cite
  (`docs/sources.md`, `docs/decisions.md`, `docs/contract.md`) travel in the wheel as package data
  under `conformance/suite_data/`, where conformance/locations.py finds them, while the repository
  keeps them at its top level.
* `conformance/suite_data/build_info.json` records what was built: the version, the git commit of the
  source tree (`+dirty` when it had uncommitted changes; null when it is not a git checkout) and the
  build time, so that a wheel install reports them (conformance/report/run_info.py).
"""
import json
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SUITE_FILES = ("pytest.ini", "fixtures", "xsd", "docs/sources.md", "docs/decisions.md", "docs/contract.md")
BUILD_INFO = "build_info.json"


def source_commit() -> str | None:
    """HEAD of the git checkout being built (with `+dirty` for local changes), or None."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30, check=False)
        if head.returncode != 0:
            return None
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


class BuildPyWithSuiteData(build_py):
    """build_py, then a copy of the suite's files and the build record into the built package (not for
    editable installs, which read the checkout's files and git in place)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "conformance" / "suite_data"
        for name in SUITE_FILES:
            if Path(name).is_dir():
                self.copy_tree(name, str(target / name))
            else:
                self.mkpath(str((target / name).parent))
                self.copy_file(name, str(target / name))
        record = {"version": self.distribution.get_version(), "commit": source_commit(),
                  "built": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        (target / BUILD_INFO).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildPyWithSuiteData})
