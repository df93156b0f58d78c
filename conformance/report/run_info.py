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


def selection(config: pytest.Config) -> dict:
    """What part of the suite the run selected: paths and node ids (relative to the suite root when
    under it), `-k`, `-m`, the deviations file. A run of the whole suite has paths ["fixtures"] and no
    expressions."""
    root = config.rootpath
    paths = []
    for argument in config.args:
        file_part, separator, rest = str(argument).partition("::")
        path = Path(file_part)
        paths.append((str(path.relative_to(root)) if path.is_absolute() and path.is_relative_to(root)
                      else file_part) + separator + rest)
    deviations = config.getoption("deviations", default=None)
    return {"paths": paths, "keyword": config.option.keyword or None, "markers": config.option.markexpr or None,
            "deviations": str(deviations) if deviations else None}


def target(settings, endpoint: str) -> dict:
    """Where the run went: endpoint (or the bundled mock), control API, signature schemes, timeout."""
    control_url = settings.control_url or ("the bundled mock's" if settings.endpoint_url is None else None)
    return {"endpoint": endpoint, "control_url": control_url, "auth": list(settings.auth),
            "timeout_s": settings.timeout_s, "has_secondary_account": settings.secondary is not None}


def run_info(config: pytest.Config, settings=None, endpoint: str | None = None) -> dict:
    """The run's identifying fields for the reports."""
    info = {
        "suite_version": suite_version(),
        "suite_commit": suite_commit(),
        "command_line": command_line(config),
        "seeds": seeds(config),
        "selection": selection(config),
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
