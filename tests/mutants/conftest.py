"""Fixtures of the mutant tests: a pool running the selected suite runs concurrently, and the kill
matrix written to reports/ when the session ends.

The pool starts every selected run (baselines and mutants) as soon as the first test asks for one;
each test then waits for its own run. `MUTANT_WORKERS` sets how many runs go at once (default: the
number of CPUs, at least 2). Run it without `-n`: the pool is the concurrency. Under xdist each
worker runs only the suite runs of its own tests, one at a time. A run of every test writes
`reports/kill-matrix.{json,md}`; a subset (`-k`, xdist workers) writes `kill-matrix-partial[-gwN].*`
instead, so the full matrix is never overwritten by a partial one.
"""
from __future__ import annotations

import pytest

from tests.mutants.harness import ROOT, RunSpec
from tests.mutants.killmatrix import KillMatrix
from tests.mutants.plan import ALL_SPECS
from tests.mutants.pool import RunPool, pool_workers

KILL_MATRIX_KEY = pytest.StashKey[KillMatrix]()
REPORT_DIR = ROOT / "reports"


@pytest.fixture(scope="session")
def kill_matrix(request) -> KillMatrix:
    return request.config.stash.setdefault(KILL_MATRIX_KEY, KillMatrix())


def _xdist_worker(config: pytest.Config) -> str | None:
    return getattr(config, "workerinput", {}).get("workerid")


@pytest.fixture(scope="session")
def suite_runs(request, tmp_path_factory, kill_matrix) -> RunPool:
    """The pool, started with every run the selected tests need (under xdist: started per test)."""
    selected = sorted({item.callspec.params["spec"] for item in request.session.items
                       if hasattr(item, "callspec") and isinstance(item.callspec.params.get("spec"), RunSpec)
                       and item.callspec.params["spec"] in ALL_SPECS},
                      key=ALL_SPECS.index)
    base_dir = tmp_path_factory.mktemp("mutant-runs")
    if _xdist_worker(request.config) is None:
        pool = RunPool(selected, base_dir, pool_workers())
        kill_matrix.complete = {spec.key for spec in selected} == {spec.key for spec in ALL_SPECS}
    else:
        pool = RunPool([], base_dir, 1)
    kill_matrix.workers = pool.workers
    yield pool
    pool.close()
    kill_matrix.wall_s = pool.wall_s


def pytest_sessionfinish(session: pytest.Session) -> None:
    matrix = session.config.stash.get(KILL_MATRIX_KEY, None)
    if matrix is not None and (matrix.mutant_runs or matrix.baseline_runs):
        worker = _xdist_worker(session.config)
        name = "kill-matrix" if matrix.complete else "kill-matrix-partial"
        matrix.write(REPORT_DIR, name if worker is None else f"{name}-{worker}")
