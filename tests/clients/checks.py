"""Assertions the three client test modules share."""
from __future__ import annotations

from .drivers import ClientDriver, ScenarioResult
from .steps import Endpoint


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
