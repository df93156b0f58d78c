"""Running the whole conformance suite in a subprocess against one hostile endpoint, and judging the run.

`run_suite` starts a `HostileEndpoint`, runs `pytest -p no:randomly --endpoint-url URL --timeout T -q`
from the repository root (plus any selection), and returns the exit code, wall time, report text and
what the endpoint saw. `HostileRunPool` carries out several such runs at once in background threads
(the runs against `hang` and `drip` mostly wait on timeouts, so they overlap with the others).
`problems` lists what is wrong with such a run: an exit code other than 1
("tests failed"), a Python traceback or INTERNALERROR in the report, a failure section that is not one
clear conformance verdict, the XXE file's contents in the report, or any hit on the redirect target.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.hostile.hostile_servers import SLOW_BEHAVIOURS, XXE_MARKER, HostileEndpoint

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 1
_SECTION = re.compile(r"^_{3,} (.+?) _{3,}$", re.MULTILINE)
_SUMMARY = re.compile(r"^=+ short test summary info =+$", re.MULTILINE)
_VERDICT = re.compile(r"^Case \S+ \[\w+\] did not conform", re.MULTILINE)
_HEADLINE = re.compile(r"(Case \S+ \[\w+\] did not conform|Property \S+ \[\w+\] is falsified)")
_FAILURES_HEADER = re.compile(r"^=+ FAILURES =+$", re.MULTILINE)
# 48 cases across every operation, errors and paging (each costs a full timeout per request).
SLICE = ["-k", "(UnknownJobId or MissingJobId or ListJobs.) and sigv4"]
FULL = ["--auth", "sigv4"]
DEADLINE_S = 240


@dataclass
class SuiteRun:
    behaviour: str
    command: list[str]
    returncode: int
    wall_s: float
    output: str
    endpoint_requests: int
    foreign_hits: int

    @property
    def summary(self) -> str:
        """pytest's last line (counts and duration)."""
        lines = self.output.strip().splitlines()
        return lines[-1] if lines else ""


def run_suite(behaviour: str, selection: list[str], deadline_s: float) -> SuiteRun:
    """Run the suite against a fresh `behaviour` endpoint; kill it (and say so) after `deadline_s`."""
    endpoint = HostileEndpoint(behaviour)
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider",
               "--endpoint-url", endpoint.url, "--timeout", str(TIMEOUT_S), "-q", *selection]
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    started = time.monotonic()
    try:
        completed = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True,
                                   text=True, errors="replace", timeout=deadline_s)
        returncode, output = completed.returncode, completed.stdout + completed.stderr
    except subprocess.TimeoutExpired as expired:
        returncode, output = -1, f"run killed after {deadline_s} s\n{expired.stdout or ''}"
    wall_s = time.monotonic() - started
    foreign = endpoint.recorder.hits if endpoint.recorder is not None else 0
    run = SuiteRun(behaviour, command, returncode, wall_s, output, endpoint.requests, foreign)
    endpoint.close()
    return run


def selection_for(behaviour: str) -> list[str]:
    """What of the suite runs against `behaviour`: a slice for the slow behaviours, every SigV4 case else."""
    return SLICE if behaviour in SLOW_BEHAVIOURS else FULL


class HostileRunPool:
    """Suite runs against hostile endpoints in background threads, `workers` at a time, in submission
    order; `result` waits for one run (submitting it first if it was not yet)."""

    def __init__(self, runs: list[tuple[str, list[str]]], deadline_s: float, workers: int):
        self._deadline_s = deadline_s
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="hostile-run")
        self._futures: dict[str, Future] = {}
        for behaviour, selection in runs:
            self._submit(behaviour, selection)

    def _submit(self, behaviour: str, selection: list[str]) -> Future:
        with self._lock:
            if behaviour not in self._futures:
                self._futures[behaviour] = self._executor.submit(run_suite, behaviour, selection, self._deadline_s)
            return self._futures[behaviour]

    def result(self, behaviour: str, selection: list[str]) -> SuiteRun:
        """The run against `behaviour` with `selection`, started now unless it already was."""
        return self._submit(behaviour, selection).result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def failure_sections(output: str) -> dict[str, str]:
    """Each failed test's section of the report, by its header."""
    start = _FAILURES_HEADER.search(output)
    if start is None:
        return {}
    end = _SUMMARY.search(output, start.end())
    text = output[start.end(): end.start() if end else len(output)]
    headers = list(_SECTION.finditer(text))
    return {
        header.group(1): text[header.end(): headers[index + 1].start() if index + 1 < len(headers) else len(text)]
        for index, header in enumerate(headers)
    }


def problems(run: SuiteRun) -> list[str]:
    """Everything that makes `run` an unclean run against a hostile endpoint (empty when clean)."""
    found = []
    if run.returncode != 1:
        found.append(f"pytest exited {run.returncode}, not 1 (tests failed): {run.summary}")
    for marker in ("Traceback", "INTERNALERROR", XXE_MARKER):
        if marker in run.output:
            index = run.output.index(marker)
            found.append(f"{marker!r} in the report: ...{run.output[max(0, index - 300): index + 300]}...")
    sections = failure_sections(run.output)
    if run.returncode == 1 and not sections:
        found.append("no failure sections in the report")
    for name, section in sections.items():
        verdicts = len(_VERDICT.findall(section))
        if not _HEADLINE.match(section.lstrip()) or verdicts != 1:
            found.append(f"failure {name} is not one clear verdict ({verdicts} verdicts):\n"
                         f"{section[:600]}")
    if run.foreign_hits:
        found.append(f"{run.foreign_hits} request(s) reached a host other than the target")
    return found
