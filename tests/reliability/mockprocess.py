"""The mock endpoint as a real process for reliability tests and benchmarks: on a database, with memory readings.

Reliability tests and benchmarks treat the mock as a black box: they start `python -m mockserver`
(`tests.support.mock_process`) and talk to it over HTTP only, so a crash or a leak shows up exactly
as a deployment would see it. This adds the database, quota and admin options they use and RSS readings.
"""
from __future__ import annotations

import re
from pathlib import Path

from tests.support.mock_process import MockProcess as _MockProcess
from tests.support.mock_process import worktree_environment

DEFAULT_JOBS_PER_DAY = 1_000_000


class MockProcess(_MockProcess):
    """One `python -m mockserver` child on `db`; its access log goes to `log_path`."""

    def __init__(self, db: Path, log_path: Path, admin: bool = False,
                 jobs_per_day: int | None = DEFAULT_JOBS_PER_DAY, env: dict[str, str] | None = None):
        options = ["--db", str(db), *(["--admin"] if admin else []),
                   *([] if jobs_per_day is None else ["--jobs-per-day", str(jobs_per_day)])]
        super().__init__(*options, log_path=log_path, env=worktree_environment(**(env or {})))
        self.db = db

    def rss_bytes(self) -> int:
        """Resident set size of the mock process, from /proc/<pid>/status (VmRSS, in kB)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert match is not None, "no VmRSS line in /proc status"
        return int(match.group(1)) * 1024
