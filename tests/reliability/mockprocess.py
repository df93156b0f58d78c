"""The mock endpoint as a real process: start it on a database, read its URL, watch its memory, kill it.

Reliability tests and benchmarks treat the mock as a black box: they start `python -m mockserver`
and talk to it over HTTP only, so a crash or a leak shows up exactly as a deployment would see it.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

STARTUP_LINE = re.compile(r"serving on (http://\S+)")
STARTUP_TIMEOUT_S = 30.0
DEFAULT_JOBS_PER_DAY = 1_000_000


class MockProcess:
    """One `python -m mockserver` child on `db`; its access log goes to `log_path`."""

    def __init__(self, db: Path, log_path: Path, admin: bool = False,
                 jobs_per_day: int | None = DEFAULT_JOBS_PER_DAY, env: dict[str, str] | None = None):
        self.db = db
        self.log_path = log_path
        self.admin = admin
        self.jobs_per_day = jobs_per_day
        self.env = env
        self.url = ""
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None, "the mock is not running"
        return self._process.pid

    def start(self) -> MockProcess:
        command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(self.db)]
        if self.admin:
            command.append("--admin")
        if self.jobs_per_day is not None:
            command += ["--jobs-per-day", str(self.jobs_per_day)]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True,
                                             env=None if self.env is None else {**os.environ, **self.env})
        assert self._process.stdout is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        line = self._process.stdout.readline()
        match = STARTUP_LINE.search(line)
        if match is None or time.monotonic() > deadline:
            self.kill()
            raise RuntimeError(f"the mock did not start: {line!r}; see {self.log_path}")
        self.url = match.group(1)
        return self

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def rss_bytes(self) -> int:
        """Resident set size of the mock process, from /proc/<pid>/status (VmRSS, in kB)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert match is not None, "no VmRSS line in /proc status"
        return int(match.group(1)) * 1024

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a power cut or an OOM kill."""
        if self._process is not None and self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def stop(self) -> None:
        """SIGTERM and wait (the mock exits cleanly on it)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> MockProcess:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
