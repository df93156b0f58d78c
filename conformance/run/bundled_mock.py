"""Starting and stopping the bundled mock (`python -m mockserver`) as a child process.

The mock is started on 127.0.0.1 with an ephemeral port, its own database in a temporary directory,
the control API enabled and a practically unlimited CreateJob quota. Its first stdout line
(`importexport-mock: serving on http://127.0.0.1:PORT ...`) gives the URL; the suite then waits
until the control API answers. Later output goes to `mock.log` in the same directory.
"""
from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

SERVING_LINE = re.compile(r"serving on (?P<url>https?://\S+)")
START_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.05


class MockStartError(Exception):
    """The bundled mock did not start; the message includes the end of its log."""


class BundledMock:
    """One mock process for this pytest process (each xdist worker starts its own)."""

    def __init__(self, workdir: Path, project_root: Path):
        self.workdir = workdir
        self.project_root = project_root
        self.log_path = workdir / "mock.log"
        self.endpoint_url: str | None = None
        self._process: subprocess.Popen | None = None
        self._drain: threading.Thread | None = None

    def command(self) -> list[str]:
        """The command line used to start the mock."""
        return [
            sys.executable, "-m", "mockserver", "--host", "127.0.0.1", "--port", "0",
            "--db", str(self.workdir / "mock.db"), "--admin", "--jobs-per-day", "1000000",
        ]

    def _log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-20:]) or "(log is empty)"

    def _fail(self, reason: str) -> MockStartError:
        self.stop()
        return MockStartError(f"the bundled mock did not start: {reason}\n"
                              f"command: {' '.join(self.command())}\nlog {self.log_path}:\n{self._log_tail()}")

    def start(self) -> str:
        """Start the mock and return its endpoint URL once its control API answers."""
        log = self.log_path.open("ab")
        try:
            self._process = subprocess.Popen(self.command(), cwd=self.project_root, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.PIPE, stderr=log)
        except OSError as error:
            log.close()
            raise MockStartError(f"the bundled mock did not start: {error}") from None
        first_line: queue.Queue = queue.Queue()

        def drain(stream, sink) -> None:
            for number, line in enumerate(iter(stream.readline, b"")):
                if number == 0:
                    first_line.put(line.decode("utf-8", errors="replace"))
                sink.write(line)
                sink.flush()
            sink.close()

        self._drain = threading.Thread(target=drain, args=(self._process.stdout, log), daemon=True)
        self._drain.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        line = None
        while line is None and time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise self._fail(f"it exited with status {self._process.returncode}")
            try:
                line = first_line.get(timeout=POLL_INTERVAL_S)
            except queue.Empty:
                continue
        if line is None:
            raise self._fail(f"no 'serving on' line within {START_TIMEOUT_S:g} s")
        match = SERVING_LINE.search(line)
        if match is None:
            raise self._fail(f"unexpected first line {line.strip()!r}")
        self.endpoint_url = match["url"].rstrip("/")
        self._wait_until_answering(deadline)
        return self.endpoint_url

    def _wait_until_answering(self, deadline: float) -> None:
        session = requests.Session()
        session.trust_env = False
        try:
            while time.monotonic() < deadline:
                try:
                    if session.get(f"{self.endpoint_url}/_mock/clock", timeout=1).status_code == 200:
                        return
                except requests.RequestException:
                    pass
                time.sleep(POLL_INTERVAL_S)
        finally:
            session.close()
        raise self._fail(f"{self.endpoint_url}/_mock/clock did not answer within {START_TIMEOUT_S:g} s")

    def stop(self) -> None:
        """Terminate the mock (kill it if it does not exit within 5 s)."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        if self._drain is not None:
            self._drain.join(timeout=5)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None
