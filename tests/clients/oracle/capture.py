"""Record the suite's judged API steps against the bundled mock, once per test session.

Runs `pytest` on the six operations' case directories (fixtures/<Operation>/) as a child process, with
the `suite_capture` plugin, against the bundled mock the suite starts itself; the pickle it writes
holds every judged step (suite_capture.JudgedStep).
"""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from tests.clients.oracle.suite_capture import JudgedStep
from tests.support.mock_process import worktree_environment

REPO = Path(__file__).resolve().parents[3]
OPERATIONS = ("CreateJob", "UpdateJob", "CancelJob", "GetStatus", "ListJobs", "GetShippingLabel")
CASE_PATHS = tuple(f"fixtures/{operation}" for operation in OPERATIONS)
TIMEOUT_S = 600


class CaptureFailed(AssertionError):
    """The suite run that records the steps did not pass against the bundled mock."""


def capture_steps(workdir: Path) -> list[JudgedStep]:
    """Every API step the suite judged on the operations' cases, from one run against the bundled mock."""
    output = workdir / "judged-steps.pickle"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-p", "tests.clients.oracle.suite_capture", "--oracle-capture", str(output),
               "--report-dir", str(workdir / "report"), *CASE_PATHS]
    finished = subprocess.run(command, cwd=REPO, env=worktree_environment(), capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    if finished.returncode != 0 or not output.is_file():
        raise CaptureFailed(f"the suite's run against the bundled mock failed (exit {finished.returncode}):\n"
                            + finished.stdout[-3000:] + finished.stderr[-2000:])
    return pickle.loads(output.read_bytes())
