"""The whole default run against hostile endpoints ends cleanly (issue 13 item 5).

For each misbehaviour in `hostile_servers.BEHAVIOURS`, the suite runs as a subprocess against an
endpoint that answers ListJobs/GetStatus properly and attacks everything else. The run must end in
bounded time with exit code 1, one clear verdict per failed case, no traceback or INTERNALERROR,
nothing of the XXE file in the report and no request to the host a redirect points at. Fast
misbehaviours run every SigV4 case; hang and drip cost a full timeout per request, so they run a
slice (`hostile_run.SLICE`); `bench/hostile_suite.py` runs everything against each. The runs go at once
in a background pool (`conftest.hostile_runs`), each test judging its own.
"""
from __future__ import annotations

import pytest

from tests.hostile.hostile_run import problems, selection_for
from tests.hostile.hostile_servers import BEHAVIOURS


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_suite_run_against_hostile_endpoint_ends_cleanly(hostile_runs, behaviour):
    run = hostile_runs.result(behaviour, selection_for(behaviour))
    assert run.endpoint_requests > 0, f"the suite never reached the {behaviour} endpoint: {run.summary}"
    found = problems(run)
    assert not found, f"{behaviour}: {' '.join(run.command)}\n" + "\n".join(found[:5])
