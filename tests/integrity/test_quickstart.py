"""The README opens with the server implementers' Quickstart, then the contributors' one, whose
commands `.ci/run` runs verbatim (so CI proves what the README tells a contributor to type)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IMPLEMENTERS = "## Quickstart for server implementers"
CONTRIBUTORS = "## Quickstart for contributors"


def first_sh_block(text: str) -> list[str]:
    block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_quickstarts_come_first_and_ci_runs_the_contributors_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sections = [line for line in readme.splitlines() if line.startswith("## ")]
    assert sections[:2] == [IMPLEMENTERS, CONTRIBUTORS], sections[:3]

    implementers = readme[readme.index(IMPLEMENTERS):readme.index(CONTRIBUTORS)]
    commands = "\n".join(first_sh_block(implementers))
    assert "pip install" in commands and "endpoint_url:" in commands
    assert "importexport-conformance --target-config target.yaml" in commands
    assert "--deviations" in implementers and "importexport-report diff" in implementers

    contributors = readme[readme.index(CONTRIBUTORS):]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ci_commands = [line for line in ci_lines[ci_lines.index('cd "$(dirname "$0")/.."') + 1:] if line.strip()]
    assert ci_commands == first_sh_block(contributors)
