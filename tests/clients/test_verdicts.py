"""The judging side of the client harness, without a server: `verify` rejects what it must, the
AWS CLI adapter parses errors and builds options as the CLI expects, control scenarios refuse to
run without a control API."""
from __future__ import annotations

from typing import Any

import pytest

from .drivers import CLI_ERROR, AwsCliDriver, Boto3Driver, ScenarioUnsupported
from .scenarios import control_errors, lifecycle, modeled_errors
from .steps import Credentials, Endpoint, Outcome, verify

ENDPOINT = Endpoint("http://127.0.0.1:9", Credentials("AKIAIOSFODNN7EXAMPLE", "secret"))


def _lifecycle_outcomes(**replaced: Outcome) -> list[Outcome]:
    good = {
        "create": Outcome("create", output={"JobId": "ABCDE", "JobType": "Import", "Signature": "c2ln"}),
        "status": Outcome("status", output={"JobId": "ABCDE", "JobType": "Import", "ProgressCode": "Pending"}),
        "list": Outcome("list", output={"Jobs": [{"JobId": "ABCDE"}]}),
        "update": Outcome("update", output={"Success": True}),
        "label": Outcome("label", error_code="InvalidJobIdException", error_message="no label"),
        "cancel": Outcome("cancel", output={"Success": True}),
        "status-after-cancel": Outcome("status-after-cancel", output={"ProgressCode": "Canceled"}),
    }
    return list({**good, **replaced}.values())


def test_verify_names_each_broken_expectation():
    problems = verify(lifecycle(ENDPOINT), _lifecycle_outcomes(
        list=Outcome("list", output={"Jobs": []}),
        cancel=Outcome("cancel", output={"Success": False}),
    ))
    assert [problem.split(" ", 1)[0] for problem in problems] == ["list", "label", "cancel"]


def test_verify_accepts_every_legal_reading_and_nothing_else():
    legal = Outcome("status-after-cancel", error_code="CanceledJobIdException")
    illegal = Outcome("status-after-cancel", error_code="InvalidJobIdException")
    assert not any("status-after-cancel" in p for p in verify(lifecycle(ENDPOINT), _lifecycle_outcomes(
        **{"status-after-cancel": legal})))
    assert any("status-after-cancel" in p for p in verify(lifecycle(ENDPOINT), _lifecycle_outcomes(
        **{"status-after-cancel": illegal})))


def test_verify_rejects_success_of_an_error_probe_and_a_missing_outcome():
    scenario = modeled_errors(ENDPOINT)
    created: dict[str, Any] = {"JobId": "ABCDE", "JobType": "Import", "Signature": "c2ln"}
    setup = {"create": created, "create-to-cancel": {**created, "JobId": "FGHIJ"}, "cancel": {"Success": True}}
    outcomes = [Outcome(call.name, output=setup[call.name]) if call.target is None
                else Outcome(call.name, error_code=call.target) for call in scenario.calls]
    assert verify(scenario, outcomes) == []
    outcomes[-1] = Outcome(outcomes[-1].step, output={"JobId": "KLMNO"})
    assert [problem.split(" ", 1)[0] for problem in verify(scenario, outcomes[1:])] == [
        "create:", outcomes[-1].step]


def test_cli_error_line_and_options():
    stderr = ("\nAn error occurred (CanceledJobIdException) when calling the CancelJob operation: "
              "Job ABCDE was canceled\n")
    parsed = CLI_ERROR.search(stderr)
    assert parsed and parsed.groups() == ("CanceledJobIdException", "Job ABCDE was canceled\n")
    assert AwsCliDriver.arguments({"jobIds": ["A", "B"], "ValidateOnly": False, "MaxJobs": 5, "APIVersion": "1.0",
                                   "stateOrProvince": "WA"}) == [
        "--job-ids", "A", "B", "--no-validate-only", "--max-jobs", "5", "--api-version", "1.0",
        "--state-or-province", "WA"]


def test_control_scenarios_need_a_control_url():
    with pytest.raises(ScenarioUnsupported, match="control-errors needs a control API"):
        Boto3Driver().run_scenario("control-errors", ENDPOINT)


def test_verify_reports_a_refused_control_call():
    scenario = control_errors(ENDPOINT)
    refused = Outcome("quota-zero", error_code="ControlFailed", error_message="http://x/_mock/quota: 404")
    outcomes = [refused if step.name == refused.step else Outcome(step.name, output={})
                for step in (*scenario.sequence, *scenario.teardown)]
    assert "quota-zero (control): http://x/_mock/quota: 404" in verify(scenario, outcomes)
