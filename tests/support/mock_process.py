"""The mock endpoint started as a real process: `python -m mockserver --port 0 ARGS`, its URL, its output.

Tests that treat the mock as a black box (a deployment's view: a crash, a leak or a log line shows up
exactly as an operator would see it) start it with `MockProcess(*args).start()` (or `with MockProcess(...)`).
The URL comes from the one line the mock writes to stdout on startup,
'importexport-mock: serving on http://HOST:PORT[ (control API at /_mock/)][ with S3 at URL]';
`startup_line` keeps it for tests of that line. stderr (the access log) goes to `log_path`, or to a
temporary file, never to an unread pipe that would fill up and block the mock. `stop()` sends SIGTERM
(the mock exits cleanly on it), `kill()` SIGKILL (no shutdown handler runs, as in a power cut).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Self

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVING_LINE = re.compile(r"serving on (?P<url>https?://[^\s/]+)")
STOP_TIMEOUT_S = 30.0


class MockStartError(AssertionError):
    """The child exited or wrote something else before its `serving on` line."""


def worktree_environment(**extra: str) -> dict[str, str]:
    """This process's environment with this checkout first on PYTHONPATH, so the child runs its code."""
    python_path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": python_path, **extra}


class MockProcess:
    """One mock child process. `program` replaces `python -m mockserver` (an installed console script,
    a patched mock); `env` replaces `worktree_environment()`; `--port 0` and `args` follow it."""

    def __init__(self, *args: str, program: list[str] | None = None, log_path: Path | None = None,
                 env: dict[str, str] | None = None, cwd: Path = REPO_ROOT):
        self.command = [*(program or [sys.executable, "-m", "mockserver"]), "--port", "0", *args]
        self.log_path = log_path
        self.env = env
        self.cwd = cwd
        self.startup_line = ""
        self.url = ""
        self.stdout = ""
        self._log: IO[str] | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> Self:
        """Start the child and wait for its startup line; raise `MockStartError` (with its stderr) if it fails."""
        self._log = (open(self.log_path, "a+", encoding="utf-8") if self.log_path is not None
                     else tempfile.TemporaryFile(mode="w+", encoding="utf-8"))
        self._process = subprocess.Popen(
            self.command, cwd=self.cwd, env=worktree_environment() if self.env is None else self.env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log, text=True)
        assert self._process.stdout is not None
        self.startup_line = self._process.stdout.readline().rstrip("\n")
        match = SERVING_LINE.search(self.startup_line)
        if match is None:
            self.kill()
            raise MockStartError(f"the mock did not start: {self.startup_line!r}; stderr: {self.stderr()[-2000:]}")
        self.url = match.group("url")
        return self

    @property
    def host(self) -> str:
        """`HOST:PORT` of `url` (what a signer puts in the Host header)."""
        return self.url.split("://", 1)[1]

    @property
    def pid(self) -> int:
        assert self._process is not None, "the mock is not running"
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.returncode

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stderr(self) -> str:
        """Everything the mock wrote to stderr so far (its access log and errors)."""
        if self._log is None or self._log.closed:
            return "" if self.log_path is None else self.log_path.read_text(encoding="utf-8")
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def stop(self) -> int | None:
        """SIGTERM and wait (SIGKILL if it does not exit in time); the exit status. What the mock wrote
        to stdout after its startup line is in `stdout` afterwards, its stderr in `stderr()`."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        return self._collect()

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a power cut or an OOM kill."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        self._collect()

    def _collect(self) -> int | None:
        if self._process is None:
            return None
        if self._process.stdout is None or self._process.stdout.closed:  # collected by an earlier call
            return self._process.wait()
        try:
            rest, _ = self._process.communicate(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            rest, _ = self._process.communicate()
        self.stdout += rest or ""
        return self._process.returncode

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
