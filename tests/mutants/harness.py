"""Running the whole conformance suite against one mutant: mock + proxy up, suite as a subprocess, down.

The three are `python -m` processes forked from a fork server that has their imports done
(tests/mutants/launcher.py): a run of a dozen cases costs about 1.5 s of CPU instead of 5.

Each run gets a fresh directory holding the mock's database, the logs of the mock, the proxy and the
suite, and the suite's `results.json`. A run is only evidence when the harness itself worked: the
suite exited 0 or 1 and wrote its results, and the proxy reported no rewrite error; anything else is
listed in `SuiteRun.problems` and makes the test error out instead of counting as a kill.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import requests

from conformance.cases.loader import CaseFileError
from tests.mutants.case_selection import (
    CASE_FILES_VARIABLE,
    CASE_IDS_VARIABLE,
    RESULTS_FILE_VARIABLE,
    case_files,
)
from tests.mutants.launcher import launch
from tests.mutants.mutant import Mutant
from tests.mutants.proxy import PROXY_ERROR_MARK

ROOT = Path(__file__).resolve().parents[2]
MOCK_OPTIONS = ("--host", "127.0.0.1", "--port", "0", "--admin", "--jobs-per-day", "1000000")
START_TIMEOUT_S = 30.0
SUITE_TIMEOUT_S = 900.0
FAILED_OUTCOMES = ("failed", "error")
PROPERTY_SEED = "20100601"
_SERVING = re.compile(r"serving on (https?://\S+)")


class ServerStartError(Exception):
    """The mock or the proxy did not come up."""


class Served:
    """A child process that prints `serving on URL`; its output goes to `log_path`. `command` is
    `[sys.executable, "-m", MODULE, *ARGS]`, launched from the fork server (launcher.py)."""

    def __init__(self, command: list, log_path: Path):
        self.command = command
        self.log_path = log_path
        self.url = ""
        self._process = launch(command, clean_environment(), log_path, ROOT)

    def wait_until_serving(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            match = _SERVING.search(self.log_path.read_text(encoding="utf-8", errors="replace"))
            if match:
                self.url = match.group(1).rstrip("/")
                break
            if self._process.poll() is not None:
                raise ServerStartError(f"{' '.join(self.command)} exited: {self.log_tail()}")
            time.sleep(0.05)
        while self.url and time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/_mock/clock", timeout=2).status_code == 200:
                    return self.url
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise ServerStartError(f"{' '.join(self.command)} did not answer in {START_TIMEOUT_S:g} s: {self.log_tail()}")

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)


def clean_environment() -> dict:
    """The environment without anything that would redirect or reconfigure the inner pytest run."""
    return {name: value for name, value in os.environ.items()
            if not name.startswith(("PYTEST_", "IMPORTEXPORT_", "AWS_"))}


@dataclass(frozen=True)
class RunSpec:
    """One suite run: against which mutant, with which extra pytest options; `case_ids` limits it
    to those cases (tests/mutants/case_selection.py), None runs the whole suite."""

    key: str
    mutant: Mutant
    pytest_args: tuple = ()
    auth: str = "both"
    random_order: bool = False
    case_ids: Optional[tuple] = None


@dataclass
class SuiteRun:
    """What one suite run produced."""

    spec: RunSpec
    workdir: Path
    returncode: Optional[int] = None
    cases: list = field(default_factory=list)
    duration_s: float = 0.0
    problems: list = field(default_factory=list)
    seed: Optional[str] = None

    @property
    def failed_items(self) -> list:
        """`CaseId[scheme]` of every item that failed or errored."""
        return sorted(f"{case['id']}[{case['scheme']}]" for case in self.cases if case["outcome"] in FAILED_OUTCOMES)

    @property
    def failing_case_ids(self) -> list:
        return sorted({case["id"] for case in self.cases if case["outcome"] in FAILED_OUTCOMES})

    def outcome_counts(self) -> dict:
        counts: dict = {}
        for case in self.cases:
            counts[case["outcome"]] = counts.get(case["outcome"], 0) + 1
        return counts


def mock_command(mutant: Mutant, db_path: Path) -> list:
    if mutant.patch is not None:
        return [sys.executable, "-m", "tests.mutants.patched_mock", mutant.name, *MOCK_OPTIONS, "--db", str(db_path)]
    return [sys.executable, "-m", "mockserver", *MOCK_OPTIONS, "--db", str(db_path)]


def suite_command(spec: RunSpec, endpoint_url: str, report_dir: Path, order_seed: Optional[str]) -> tuple:
    """The suite's command line and environment against the proxy at `endpoint_url`. Every run draws
    the same property-based examples (`--property-seed`), so runs differ only by their mutant.

    The run loads only the plugins it uses (`PYTEST_DISABLE_PLUGIN_AUTOLOAD`: the suite's own,
    pytest-randomly for a random order, the case selection), not xdist, pytest-benchmark or
    hypothesis's pytest plugin (the property items call hypothesis with explicit settings and seed;
    the plugin serves `@given` test functions, of which the suite has none, and its terminal summary
    alone cost 0.5 s a run). `--assert=plain`: case items raise on a failed check and never use
    `assert`, and the plugin, imported by the fork server, could not be rewritten anyway. Option
    values are attached (`--report-dir=PATH`): detached, the suite's plugin would restart pytest to
    attach them. A run limited to case ids reads only the case files that define them and writes
    its item records to `results.json` in `report_dir` (tests/mutants/case_selection.py); a
    whole-suite run writes the suite's full report there.
    """
    order = ("-p", "randomly", f"--randomly-seed={order_seed}") if order_seed else ("-p", "no:randomly")
    command = [sys.executable, "-m", "pytest", "fixtures", "-q", "--assert=plain", "-p", "conformance.plugin",
               *order, "-p", "no:cacheprovider", f"--auth={spec.auth}", f"--property-seed={PROPERTY_SEED}",
               *spec.pytest_args]
    environment = clean_environment()
    environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if spec.case_ids is None:
        command.append(f"--report-dir={report_dir}")
    else:
        command += ["-p", "tests.mutants.case_selection"]
        environment[CASE_IDS_VARIABLE] = ",".join(spec.case_ids)
        environment[CASE_FILES_VARIABLE] = ",".join(case_files(ROOT, spec.case_ids))
        environment[RESULTS_FILE_VARIABLE] = str(report_dir / "results.json")
    command += [f"--endpoint-url={endpoint_url}", f"--control-url={endpoint_url}/_mock"]
    return command, environment


def database_dir() -> Path:
    """Where the mocks keep their databases: a tmpfs when there is one (SQLite's per-commit fsync
    on a real disk makes a suite run about 40% slower), else the system's temporary directory."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def run_suite(spec: RunSpec, workdir: Path) -> SuiteRun:
    """Start the (patched) mock and the proxy, run the suite through the proxy, stop both.

    Logs and the suite's report stay in `workdir`; the mock's database lives in `database_dir()`
    and is removed afterwards.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    run = SuiteRun(spec, workdir)
    started = time.monotonic()
    servers = []
    db_dir = Path(tempfile.mkdtemp(prefix="mutant-db-", dir=database_dir()))
    try:
        mock = Served(mock_command(spec.mutant, db_dir / "mock.db"), workdir / "mock.log")
        servers.append(mock)
        proxy = Served([sys.executable, "-m", "tests.mutants.proxy", "--mutant", spec.mutant.name,
                        "--backend", mock.wait_until_serving()], workdir / "proxy.log")
        servers.append(proxy)
        endpoint_url = proxy.wait_until_serving()
        report_dir = workdir / "report"
        run.seed = str(secrets.randbelow(2 ** 32)) if spec.random_order else None
        command, environment = suite_command(spec, endpoint_url, report_dir, run.seed)
        suite = launch(command, environment, workdir / "suite.log", ROOT)
        try:
            run.returncode = suite.wait(timeout=SUITE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            suite.kill()
            suite.wait(timeout=10)
            raise
        run.problems.extend(_server_problems(servers))
        run.problems.extend(_read_results(run, report_dir))
    except (ServerStartError, subprocess.TimeoutExpired, OSError, CaseFileError) as error:
        run.problems.append(f"{type(error).__name__}: {error}")
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(db_dir, ignore_errors=True)
        run.duration_s = time.monotonic() - started
    return run


def _server_problems(servers: list) -> list:
    problems = [f"{server.log_path.stem} exited during the run: {server.log_tail()}"
                for server in servers if not server.alive]
    for server in servers:
        log = server.log_path.read_text(encoding="utf-8", errors="replace")
        if PROXY_ERROR_MARK in log:
            first = log[log.index(PROXY_ERROR_MARK):][:3000]
            problems.append(f"the proxy failed to rewrite a request or response:\n{first}")
    return problems


def _read_results(run: SuiteRun, report_dir: Path) -> list:
    suite_log = (run.workdir / "suite.log").read_text(encoding="utf-8", errors="replace")
    if run.returncode not in (0, 1):
        return [f"the suite exited with status {run.returncode}:\n" + "\n".join(suite_log.splitlines()[-20:])]
    try:
        run.cases = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))["cases"]
    except (OSError, ValueError, KeyError) as error:
        return [f"no usable results.json: {error}"]
    if not run.cases:
        return ["results.json lists no cases"]
    return []
