"""Assertions the three client test modules share."""
from __future__ import annotations

from .drivers import ClientDriver, ScenarioResult
from .steps import Endpoint

# Against the mock (and any server whose controlled clock also moves the request-expiry window),
# a client signing with the real time gets RequestExpired after POST /_mock/clock {"advance_s": ...}.
EXPIRY_NEEDS_MOCK_FIX = (
    "mock bug: POST /_mock/clock also moves the 15-minute request-expiry window (docs/contract.md §2), so a "
    "real client signing with the real time gets 403 RequestExpired instead of ExpiredJobIdException; "
    "only clients whose signing clock is patched can see expiry"
)


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
