"""What identifies a run in results.json: suite version and commit, command line, seeds, selection.

The version comes from the installed package's metadata; the commit from git, when the suite runs
from a checkout (a wheel install has none, and the field is then null).
"""
from __future__ import annotations

import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from conformance.locations import PROGRAM as SUITE_PROGRAM

DISTRIBUTION = "importexport-conformance"
SUITE_DIRECTORY = Path(__file__).resolve().parents[2]


def suite_version() -> str | None:
    """The installed distribution's version, or None when the suite is not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def suite_commit(directory: Path = SUITE_DIRECTORY) -> str | None:
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


def command_line(config: pytest.Config) -> str:
    """The command that started the run, as a shell line: for `importexport-conformance`, the
    arguments it was given (not the pytest arguments it adds them to)."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "pytest"
    if program == SUITE_PROGRAM:
        return shlex.join([program, *sys.argv[1:]])
    words = ["python", "-m", "pytest"] if program in ("__main__.py", "-c", "") else [program]
    return shlex.join([*words, *(str(arg) for arg in config.invocation_params.args)])


def seeds(config: pytest.Config) -> dict:
    """The seeds that make the run repeatable: --property-seed, and pytest-randomly's when it is active."""
    randomly_active = config.pluginmanager.has_plugin("randomly")
    randomly_seed = config.getoption("randomly_seed", default=None) if randomly_active else None
    return {
        "property_seed": config.getoption("property_seed", default=None),
        "randomly_seed": randomly_seed if isinstance(randomly_seed, int) else None,
    }


def seed_lines(run_seeds: dict) -> list[str]:
    """The terminal summary's lines naming the seeds in force and the options that replay them."""
    lines = []
    if run_seeds.get("randomly_seed") is not None:
        lines.append(f"random order seed {run_seeds['randomly_seed']} "
                     f"(replay this order: -p randomly --randomly-seed={run_seeds['randomly_seed']})")
    if run_seeds.get("property_seed") is not None:
        lines.append(f"property seed {run_seeds['property_seed']} (--property-seed={run_seeds['property_seed']})")
    return lines


def _shown_path(argument: str, rootpath: Path, invocation_dir: Path) -> str:
    """A path or node id argument relative to the suite root when it lies inside it."""
    path, _, node = argument.partition("::")
    try:
        relative = (invocation_dir / path).resolve().relative_to(rootpath.resolve()).as_posix()
    except ValueError:
        return argument
    return relative + (f"::{node}" if node else "")


def selection(config: pytest.Config, selected: int | None, deselected: int | None) -> dict:
    """What the run selected: its paths or node ids (relative to the suite), `-k`, `-m`, the schemes,
    and how many items were selected and deselected (None where this process cannot know: the xdist
    controller does not see its workers' deselection)."""
    return {
        "paths": [_shown_path(str(argument), config.rootpath, config.invocation_params.dir)
                  for argument in config.args],
        "keyword": config.option.keyword or None,
        "markers": config.option.markexpr or None,
        "selected": selected,
        "deselected": deselected,
    }


def run_info(config: pytest.Config) -> dict:
    """The run's identifying fields for results.json."""
    return {
        "suite_version": suite_version(),
        "suite_commit": suite_commit(),
        "command_line": command_line(config),
        "seeds": seeds(config),
    }
