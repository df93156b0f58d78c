"""What identifies a run in every report: suite version and commit, target, selection, command line, seeds.

The version and commit come from conformance/identity.py (a wheel's build record, or the checkout).
The target is where the run went (endpoint, control API, schemes); the selection is what part of the
suite it ran (paths or node ids, `-k`, `-m`, deviations file), so a report says what it covers.
"""
from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from conformance.identity import suite_commit, suite_version
from conformance.locations import PROGRAM as SUITE_PROGRAM


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
    """What the run selected: its paths or node ids (relative to the suite), `-k`, `-m`, the deviations
    file, and how many items were selected and deselected (None where this process cannot know: the
    xdist controller does not see its workers' deselection)."""
    deviations = config.getoption("deviations", default=None)
    return {
        "paths": [_shown_path(str(argument), config.rootpath, config.invocation_params.dir)
                  for argument in config.args],
        "keyword": config.option.keyword or None,
        "markers": config.option.markexpr or None,
        "deviations": str(deviations) if deviations else None,
        "selected": selected,
        "deselected": deselected,
    }


def target(settings, endpoint: str) -> dict:
    """Where the run went: endpoint (or the bundled mock), control API, signature schemes, timeout."""
    control_url = settings.control_url or ("the bundled mock's" if settings.endpoint_url is None else None)
    return {"endpoint": endpoint, "control_url": control_url, "auth": list(settings.auth),
            "timeout_s": settings.timeout_s, "has_secondary_account": settings.secondary is not None}


def run_info(config: pytest.Config, settings=None, endpoint: str | None = None) -> dict:
    """The run's identifying fields for the reports (the selection with its counts is added by the
    plugin at the end of the run)."""
    info = {
        "suite_version": suite_version(),
        "suite_commit": suite_commit(),
        "command_line": command_line(config),
        "seeds": seeds(config),
        "selection": selection(config, None, None),
    }
    if settings is not None and endpoint is not None:
        info["target"] = target(settings, endpoint)
    return info


def junit_properties(config: pytest.Config, settings, endpoint: str) -> list[tuple[str, str]]:
    """The run's identity as junit.xml `<property>` elements of the test suite."""
    info = run_info(config, settings, endpoint)
    return [("importexport.suite_version", str(info["suite_version"])),
            ("importexport.suite_commit", str(info["suite_commit"])),
            ("importexport.command_line", info["command_line"]),
            ("importexport.target", json.dumps(info["target"], sort_keys=True)),
            ("importexport.selection", json.dumps(info["selection"], sort_keys=True))]
