"""Clock steps against a control API: the offset an answer reports is used, else read back with GET;
the clock is restored after a case unless its last clock step left it at the run's baseline."""
from __future__ import annotations

import dataclasses

import pytest

from conformance.cases.sources import CaseFileSource
from conformance.run.control_client import ControlClient, ControlResult, RunBaseline
from conformance.run.runner import CaseRunner
from tests.engine.conftest import make_target

CASE = """\
concern: Control steps.
cases:
- id: T.Clock
  operation: ListJobs
  level: documented
  source: F17
  requires: [control]
  doc: Moves the clock and back.
  steps:
  - control: {call: advance_clock, seconds: 60}
  teardown:
  - control: {call: set_clock, offset_s: 0}
"""


class RecordingControl(ControlClient):
    """A control client that answers every call itself and records what the engine asked."""

    def __init__(self, reports_offset: bool, clock_base_s: int = 0):
        super().__init__("http://control.invalid/_mock", transport=None)  # type: ignore[arg-type]
        self.baseline = RunBaseline(clock_base_s=clock_base_s)
        self.reports_offset = reports_offset
        self.offset = 0.0
        self.calls: list[str] = []

    def _post(self, path: str, payload: dict) -> ControlResult:
        self.calls.append(f"POST {path} {sorted(payload.items())}")
        if "advance_s" in payload:
            self.offset += payload["advance_s"]
        elif "offset_s" in payload:
            self.offset = payload["offset_s"]
        answer = {"ok": True, **({"offset_s": self.offset} if self.reports_offset else {})}
        return ControlResult(None, answer, None)  # type: ignore[arg-type]

    def clock_offset_s(self) -> tuple[ControlResult, float | None]:
        self.calls.append("GET /clock")
        return ControlResult(None, {"ok": True, "offset_s": self.offset}, None), self.offset  # type: ignore[arg-type]


def run_with(control: RecordingControl, tmp_path, stub_endpoint, mini_xsd) -> CaseRunner:
    (tmp_path / "fixtures").mkdir()
    path = tmp_path / "fixtures" / "clock.yaml"
    path.write_text(CASE)
    (case,) = CaseFileSource(path, tmp_path / "fixtures").cases()
    runner = CaseRunner(case, "sigv2", dataclasses.replace(make_target(stub_endpoint, mini_xsd), control=control))
    runner.run()
    return runner


def test_an_answer_with_the_offset_saves_the_read_back_and_a_clock_left_at_zero_is_not_restored(
        tmp_path, stub_endpoint, mini_xsd):
    control = RecordingControl(reports_offset=True)
    run_with(control, tmp_path, stub_endpoint, mini_xsd)
    assert control.calls == ["POST /clock [('advance_s', 60)]", "POST /clock [('offset_s', 0)]"]


def test_an_answer_without_the_offset_is_read_back_with_get(tmp_path, stub_endpoint, mini_xsd):
    control = RecordingControl(reports_offset=False)
    runner = run_with(control, tmp_path, stub_endpoint, mini_xsd)
    assert control.calls == ["POST /clock [('advance_s', 60)]", "GET /clock", "POST /clock [('offset_s', 0)]",
                             "GET /clock"]
    assert runner.clock_offset_s == 0


@pytest.mark.parametrize("reports_offset", [True, False])
def test_a_clock_not_back_at_zero_after_the_case_is_restored(tmp_path, stub_endpoint, mini_xsd, reports_offset):
    # against a target that holds jobs, set_clock lands on the run's clock base (docs/engine.md)
    control = RecordingControl(reports_offset=reports_offset, clock_base_s=86400)
    run_with(control, tmp_path, stub_endpoint, mini_xsd)
    assert "POST /clock [('offset_s', 86400)]" in control.calls
    assert control.calls[-1] == "POST /clock [('offset_s', 0)]" and control.offset == 0
