"""Fixtures for the client tests: the mock as a black-box process, one per test module.

`python -m mockserver --port 0 --admin` is started with a fresh temporary database; its startup line
('importexport-mock: serving on http://HOST:PORT ...') gives the URL. Nothing is imported from
mockserver/ or conformance/.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .steps import Credentials, Endpoint

PRIMARY = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
STARTUP_LINE = re.compile(r"serving on (http://\S+)")
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mock_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    database = tmp_path_factory.mktemp("client-mock") / "jobs.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "--port", "0", "--admin", "--db", str(database),
         "--jobs-per-day", "1000"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        started = STARTUP_LINE.search(line)
        assert started, f"the mock did not report where it serves: {line!r} (exit code {process.poll()})"
        url = started.group(1)
        yield Endpoint(url=url, credentials=PRIMARY, control_url=f"{url}/_mock")
    finally:
        process.terminate()
        process.wait(timeout=30)
