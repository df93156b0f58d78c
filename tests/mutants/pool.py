"""The pool that carries out suite runs in background threads, `MUTANT_WORKERS` at a time.

Shared by the mutants (tests/mutants/conftest.py) and the legal variants (tests/variants/conftest.py):
every selected run is submitted when the pool starts, and each test waits for its own. `runner`
is what one run does (default: `harness.run_suite`, the whole suite against one server).
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from tests.mutants.harness import RunSpec, run_suite


class RunPool:
    """Suite runs executing in background threads, `workers` at a time, in submission order."""

    def __init__(self, specs: list, base_dir: Path, workers: int, runner: Callable = run_suite):
        self.workers = workers
        self._runner = runner
        self._base_dir = base_dir
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._last_finished = self._started
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mutant-run")
        self._futures = {}
        for spec in specs:
            self._submit(spec)

    def _submit(self, spec: RunSpec) -> Future:
        with self._lock:
            if spec.key not in self._futures:
                workdir = self._base_dir / re.sub(r"[^\w.-]", "_", spec.key)
                self._futures[spec.key] = self._executor.submit(self._run, spec, workdir)
            return self._futures[spec.key]

    def _run(self, spec: RunSpec, workdir: Path):
        run = self._runner(spec, workdir)
        with self._lock:
            self._last_finished = max(self._last_finished, time.monotonic())
        return run

    def result(self, spec: RunSpec):
        """The run of `spec`, started now unless it already was; waits for it to finish."""
        return self._submit(spec).result()

    @property
    def wall_s(self) -> float:
        """From the first start to the last finish (so far)."""
        with self._lock:
            return self._last_finished - self._started

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def pool_workers() -> int:
    """`MUTANT_WORKERS`, else the number of CPUs (at least 2)."""
    configured = os.environ.get("MUTANT_WORKERS")
    return int(configured) if configured else max(2, os.cpu_count() or 2)
