""""No answer" as an outcome of its own in the terminal: an item whose exchange got no response at all
(refused or cut connection, timeout before a status line; `run/runner.py` `NoAnswer`).

pytest still counts such an item as failed (the run exits 1: it did not judge everything it
selected), but its status is `no answer` (letter `N`, word `NO ANSWER`), so the summary line says
`2 no answer` apart from `failed`, and it is left out of the FAILURES section; a section of its own
lists each item with the step and the transport error, one line each. The number of exchanges
re-sent under `--transport-retries` is printed too. results.json, junit.xml (property
`importexport_outcome`), index.html and `importexport-report diff` carry the same outcome.
"""
from __future__ import annotations

import pytest

from conformance.report.results import NO_ANSWER, REPORT_ATTRIBUTE

CATEGORY = "no answer"
JUNIT_PROPERTY = "importexport_outcome"


def is_no_answer(report: pytest.TestReport) -> bool:
    """True for the call-phase report of an item whose failing step got no answer."""
    metadata = getattr(report, REPORT_ATTRIBUTE, None) or {}
    return report.when == "call" and report.failed and bool(metadata.get(NO_ANSWER))


def no_answer_line(report: pytest.TestReport) -> str:
    """`node id: step: transport error` for the terminal."""
    metadata = getattr(report, REPORT_ATTRIBUTE, None) or {}
    error = (metadata.get("exchange") or {}).get("error") or "no answer"
    return f"{report.nodeid}: {metadata.get('failed_step')}: {error}"


class NoAnswerTerminal:
    """pytest hooks (registered by the plugin in a run of the cases) for the `no answer` status."""

    def __init__(self, retries: int):
        self.retries = retries
        self.resent = 0

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config):
        if is_no_answer(report):
            return CATEGORY, "N", "NO ANSWER"
        return None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.resent += (getattr(report, REPORT_ATTRIBUTE, None) or {}).get("transport_resent", 0)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        reports = [report for report in terminalreporter.stats.get(CATEGORY, []) if is_no_answer(report)]
        if reports:
            terminalreporter.write_sep("-", f"importexport: no answer ({len(reports)}): not a verdict on "
                                            "conformance, but the run is incomplete")
            for report in reports:
                terminalreporter.write_line(no_answer_line(report))
            if not self.retries:
                terminalreporter.write_line("rerun, or let the suite re-send exchanges that got no answer: "
                                            "--transport-retries N")
        if self.resent:
            terminalreporter.write_line(f"importexport: {self.resent} exchange(s) got no answer and were re-sent "
                                        f"(--transport-retries {self.retries})", yellow=True)
