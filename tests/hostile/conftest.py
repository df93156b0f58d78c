"""Fixtures of the hostile tests: the pool that runs the suite against every selected hostile endpoint.

The pool starts every selected run as soon as the first test asks for one, the slow behaviours
(`hang`, `drip`: a full client timeout per request, CPU mostly idle) first, and each test then waits
for its own run. At most one run per CPU runs beside the slow ones. Under xdist each worker starts
only its own tests' runs, one at a time, when each test asks.
"""
from __future__ import annotations

import os

import pytest

from tests.hostile.hostile_run import DEADLINE_S, HostileRunPool, selection_for
from tests.hostile.hostile_servers import SLOW_BEHAVIOURS


@pytest.fixture(scope="session")
def hostile_runs(request) -> HostileRunPool:
    """The pool, started with the run of every selected hostile-suite test (under xdist: empty)."""
    if hasattr(request.config, "workerinput"):
        pool = HostileRunPool([], DEADLINE_S, 1)
    else:
        selected = {item.callspec.params["behaviour"] for item in request.session.items
                    if item.originalname == "test_suite_run_against_hostile_endpoint_ends_cleanly"}
        ordered = sorted(selected, key=lambda behaviour: behaviour not in SLOW_BEHAVIOURS)
        workers = sum(behaviour in SLOW_BEHAVIOURS for behaviour in selected) + (os.cpu_count() or 2)
        pool = HostileRunPool([(behaviour, selection_for(behaviour)) for behaviour in ordered], DEADLINE_S, workers)
    yield pool
    pool.close()
