"""The suite runs `pytest tests/mutants` makes: three baselines of the unmodified mock, one run per mutant.

Every run goes through the same proxy. The baselines prove the harness itself causes no failure:
once plainly, once split over two xdist workers (each with its own proxy and mock, as the bundled
mock would be: tests/mutants/worker_endpoints.py), once in random order (pytest-randomly).
A mutant runs only against the cases the recorded kill matrix allows (recording.py); the member-level
mutants listed free (free_members.py) are not run.
"""
from __future__ import annotations

from tests.mutants.catalog import MUTANTS
from tests.mutants.free_members import free_reason
from tests.mutants.harness import RunSpec
from tests.mutants.mutant import IDENTITY
from tests.mutants.mutations_members import MEMBER_MUTANTS
from tests.mutants.recording import load_recording, shortcut_case_ids

BASELINE_SPECS = (
    RunSpec("baseline", IDENTITY),
    RunSpec("baseline-xdist", IDENTITY, pytest_args=("-p", "xdist", "-n", "2"), targets=2),
    RunSpec("baseline-random-order", IDENTITY, random_order=True),
)
RECORDING = load_recording()
MEMBER_MUTANTS_RUN = tuple(mutant for mutant in MEMBER_MUTANTS if free_reason(mutant.name) is None)
MUTANT_SPECS = tuple(RunSpec(mutant.name, mutant, auth=mutant.auth,
                             case_ids=shortcut_case_ids(mutant.name, RECORDING))
                     for mutant in MUTANTS + MEMBER_MUTANTS_RUN)
ALL_SPECS = BASELINE_SPECS + MUTANT_SPECS
