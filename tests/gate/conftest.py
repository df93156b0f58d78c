"""The CI gate run twice, as examples/ci-gate.sh runs it in CI: once against the bundled mock
started as "the implementation" (the main-branch baseline), once against a broken server (the mock
with the `semantics.cancel_does_nothing` mutant: CancelJob answers Success and changes nothing),
diffed against the first. As in a user's CI, the script runs its default commands
(`importexport-conformance`, `importexport-report`, the console scripts installed beside this
Python) and the servers keep the mock's default daily quota. A slice of the suite
(`-k CancelJob --auth sigv4`) keeps it fast.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.mutants.harness import ROOT, clean_environment
from tests.support.mock_process import MockProcess

GATE_SCRIPT = ROOT / "examples" / "ci-gate.sh"
SLICE = "-k CancelJob --auth sigv4 -p no:randomly"
BROKEN_MUTANT = "semantics.cancel_does_nothing"
DEVIATION_ID = "CancelJob.FreshJobSucceeds"
GATE_TIMEOUT_S = 300
MOCK_OPTIONS = ("--host", "127.0.0.1", "--admin")
SCRIPTS_DIRECTORY = Path(sys.executable).parent


@dataclass
class GateRun:
    """One run of the gate script: its exit status, output and report directory."""

    status: int
    stdout: str
    stderr: str
    report_dir: Path


def run_gate(work: Path, name: str, server_url: str, deviations: str, baseline: Path | None,
             suite_args: str = SLICE) -> GateRun:
    """examples/ci-gate.sh against `server_url`, with its default commands from this Python's scripts."""
    target = work / f"{name}-target.yaml"
    target.write_text(f"endpoint_url: {server_url}\ncontrol_url: {server_url}/_mock\n", encoding="utf-8")
    deviations_file = work / f"{name}-deviations.yaml"
    deviations_file.write_text(deviations, encoding="utf-8")
    report_dir = work / f"{name}-reports"
    environment = {
        **clean_environment(),
        "TARGET_CONFIG": str(target), "DEVIATIONS": str(deviations_file), "REPORT_DIR": str(report_dir),
        "SUITE_ARGS": suite_args,
        "PATH": os.pathsep.join((str(SCRIPTS_DIRECTORY), os.environ.get("PATH", ""))),
    }
    if baseline is not None:
        environment["BASELINE"] = str(baseline)
    done = subprocess.run(["bash", str(GATE_SCRIPT)], cwd=work, env=environment, capture_output=True, text=True,
                          timeout=GATE_TIMEOUT_S, check=False)
    return GateRun(done.returncode, done.stdout, done.stderr, report_dir)


def _serve(log: Path, *program: str) -> MockProcess:
    """The mock (or `program`, a patched mock) with the gate's options, in a clean environment."""
    return MockProcess(*MOCK_OPTIONS, program=list(program) or None, log_path=log, env=clean_environment()).start()


@pytest.fixture(scope="session")
def gate_runs(tmp_path_factory) -> dict[str, GateRun]:
    """`clean` (the mock, no baseline, no deviations), `fixed` (the mock, baseline = clean, a subset
    run of one case that passes but is listed as a known deviation) and `broken` (the mutant,
    baseline = clean, one of its failures listed as a known deviation)."""
    work = tmp_path_factory.mktemp("gate")
    mock = _serve(work / "mock.log", str(SCRIPTS_DIRECTORY / "importexport-mock"))
    deviations = f"- id: {DEVIATION_ID}\n  reason: known, tracked in our ticket 12\n"
    try:
        clean = run_gate(work, "clean", mock.url, "[]\n", None)
        fixed = run_gate(work, "fixed", mock.url, deviations, clean.report_dir / "results.json",
                         f"-k {DEVIATION_ID} --auth sigv4 -p no:randomly")
    finally:
        mock.stop()
    broken_server = _serve(work / "broken.log", sys.executable, "-m", "tests.mutants.patched_mock", BROKEN_MUTANT)
    try:
        broken = run_gate(work, "broken", broken_server.url, deviations, clean.report_dir / "results.json")
    finally:
        broken_server.stop()
    return {"clean": clean, "fixed": fixed, "broken": broken}
