"""Which cases can see a member-level mutant that rewrites one operation's success documents.

Such a mutant changes only `<Op>Response` documents of its operation; it never touches the mock's
state. A case that never calls that operation therefore gets byte-for-byte the answers it would get
from the unmodified mock and cannot fail because of the mutant. So the whole suite restricted to the
cases that call the operation (`Case.operations`, as the engine's loader records it) plus every case
with a `raw:` step (whose bytes may name another action than the step declares) finds exactly the
kills the whole suite finds. `bench/mutants_full.py` uses it for those mutants; mutants of
`ErrorResponse`, `Artifact` and the hand-written ones run the whole suite.
"""
from __future__ import annotations

from functools import lru_cache

from conformance.cases.definitions import ApiStep
from conformance.run.collection import load_all_cases
from tests.mutants.harness import ROOT


def _has_raw_step(steps: tuple) -> bool:
    return any(isinstance(step, ApiStep) and (step.raw is not None or _has_raw_step(step.state)) for step in steps)


@lru_cache(maxsize=1)
def _cases() -> tuple:
    return tuple(load_all_cases(ROOT))


def cases_seeing(operation: str | None) -> tuple | None:
    """Case ids that can see a rewrite of `operation`'s success documents; None (the whole suite) when
    the mutant is not tied to one operation."""
    if operation is None:
        return None
    return tuple(sorted(case.id for case in _cases()
                        if operation in case.operations or _has_raw_step(case.steps + case.teardown)))
