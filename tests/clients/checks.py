"""Assertions the three client test modules share."""
from __future__ import annotations

from .drivers import ClientDriver, ScenarioResult
from .recording_proxy import RecordedRequest, RecordingProxy
from .steps import Endpoint

# The scenarios every client runs in full (test_<client>.py parametrizes its `test_scenario` over them).
SHARED_SCENARIOS = ("lifecycle", "modeled-errors", "control-errors", "expiry-errors")


def passes(driver: ClientDriver, scenario: str, endpoint: Endpoint) -> ScenarioResult:
    """Run `scenario` with `driver`; every call meets its expectation, and every error call surfaces
    exactly the modeled code it targets (the mock answers each trigger with that code)."""
    result = driver.run_scenario(scenario, endpoint)
    assert result.problems == []
    missed = [
        f"{call.name}: {result.outcome(call.name).error_code!r} instead of {call.target}"
        for call in result.scenario.calls
        if call.target is not None and result.outcome(call.name).error_code != call.target
    ]
    assert missed == []
    return result


def posts_of_lifecycle_through_proxy(driver: ClientDriver, endpoint: Endpoint) -> list[RecordedRequest]:
    """Run the lifecycle with `driver` through a recording proxy (it must pass there too); the POSTs it sent."""
    with RecordingProxy(endpoint.url) as proxy:
        passes(driver, "lifecycle", Endpoint(proxy.url, endpoint.credentials, endpoint.control_url, endpoint.region))
    return [request for request in proxy.requests if request.method == "POST"]
