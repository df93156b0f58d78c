"""The suite runs `pytest tests/mutants` makes: three baselines of the unmodified mock, one run per mutant.

Every run goes through the same proxy. The baselines prove the harness itself causes no failure:
once plainly, once with 8 cases in flight (`--concurrency 8`, the suite's parallel mode against one
endpoint), once in random order (pytest-randomly).
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
    RunSpec("baseline-concurrency", IDENTITY, pytest_args=("--concurrency", "8")),
    RunSpec("baseline-random-order", IDENTITY, random_order=True),
)
RECORDING = load_recording()
MEMBER_MUTANTS_RUN = tuple(mutant for mutant in MEMBER_MUTANTS if free_reason(mutant.name) is None)
MUTANT_SPECS = tuple(RunSpec(mutant.name, mutant, auth=mutant.auth,
                             case_ids=shortcut_case_ids(mutant.name, RECORDING))
                     for mutant in MUTANTS + MEMBER_MUTANTS_RUN)
ALL_SPECS = BASELINE_SPECS + MUTANT_SPECS
