"""Fixtures of the variant tests: the mutants' run pool carrying variant server runs (suite + real clients),
and the variant table written to reports/ when the session ends.

`MUTANT_WORKERS` sets how many runs go at once, as for the mutants. A run of every variant writes
`reports/variant-matrix.{json,md}`; a subset (`-k`) writes `variant-matrix-partial.*`.
"""
from __future__ import annotations

import pytest

from tests.mutants.harness import ROOT, RunSpec
from tests.mutants.pool import RunPool, pool_workers
from tests.variants.matrix import VariantMatrix
from tests.variants.plan import VARIANT_SPECS
from tests.variants.runs import run_variant

VARIANT_MATRIX_KEY = pytest.StashKey[VariantMatrix]()
REPORT_DIR = ROOT / "reports"


@pytest.fixture(scope="session")
def variant_matrix(request) -> VariantMatrix:
    return request.config.stash.setdefault(VARIANT_MATRIX_KEY, VariantMatrix())


@pytest.fixture(scope="session")
def variant_runs(request, tmp_path_factory, variant_matrix) -> RunPool:
    """The pool, started with the run of every selected variant server."""
    selected = sorted({item.callspec.params["spec"] for item in request.session.items
                       if hasattr(item, "callspec") and isinstance(item.callspec.params.get("spec"), RunSpec)
                       and item.callspec.params["spec"] in VARIANT_SPECS},
                      key=VARIANT_SPECS.index)
    pool = RunPool(selected, tmp_path_factory.mktemp("variant-runs"), pool_workers(), runner=run_variant)
    variant_matrix.complete = len(selected) == len(VARIANT_SPECS)
    variant_matrix.workers = pool.workers
    yield pool
    pool.close()
    variant_matrix.wall_s = pool.wall_s


def pytest_sessionfinish(session: pytest.Session) -> None:
    matrix = session.config.stash.get(VARIANT_MATRIX_KEY, None)
    if matrix is not None and matrix.runs:
        matrix.write(REPORT_DIR, "variant-matrix" if matrix.complete else "variant-matrix-partial")
