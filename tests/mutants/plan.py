"""The suite runs `pytest tests/mutants` makes: three baselines of the unmodified mock, one run per mutant.

Every run goes through the same proxy. The baselines prove the harness itself causes no failure:
once plainly, once split over two xdist workers (each with its own proxy and mock, as the bundled
mock would be: tests/mutants/worker_endpoints.py), once in random order (pytest-randomly).
"""
from __future__ import annotations

from tests.mutants.catalog import MUTANTS
from tests.mutants.harness import RunSpec
from tests.mutants.mutant import IDENTITY

BASELINE_SPECS = (
    RunSpec("baseline", IDENTITY),
    RunSpec("baseline-xdist", IDENTITY, pytest_args=("-p", "xdist", "-n", "2"), targets=2),
    RunSpec("baseline-random-order", IDENTITY, random_order=True),
)
MUTANT_SPECS = tuple(RunSpec(mutant.name, mutant, auth=mutant.auth) for mutant in MUTANTS)
ALL_SPECS = BASELINE_SPECS + MUTANT_SPECS
