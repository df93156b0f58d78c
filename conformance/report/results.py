"""results.json: one record per case item plus run totals (written with `--report-dir DIR`).

The `run` part identifies the run (suite version and commit, command line, seeds, selection:
report/run_info.py), says whether it completed (`complete`, `exit_status`, `incomplete_reasons`:
a run that stopped early, was interrupted, left selected items unrun or got no answer for some
items did not), lists every item of the suite (`suite_items`, so that `importexport-report diff`
tells a case the other run did not select from a case added or removed), and scores it by level and
by operation (report/scores.py). A failed item's record carries the
failing step, its mismatches, its exchange (request as sent, curl line, response with a capped body)
and every step that ran (run/failure.py renders each exchange).

Case metadata travels on each test report (`report.importexport_case`, a JSON-ready dict), so the
collector works unchanged in the xdist controller, which only sees reports. Outcomes: passed,
failed, skipped, xfailed, xpassed (including a strict XPASS, which fails the run), error, and
no_answer (a step's exchange got no response at all: no verdict on conformance, and the run is
incomplete). A skipped item's record says why (`skip_reason`), and the run counts the items not run
by reason (`not_run`).
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from conformance.cases.definitions import ApiStep, Case
from conformance.references import cited
from conformance.report.scores import LEVELS, NO_ANSWER, not_run_by_reason, scores_by_level, scores_by_operation

REPORT_ATTRIBUTE = "importexport_case"
FORMAT_VERSION = 2
COMPLETE_EXIT_STATUSES = (0, 1)


def utc_now() -> str:
    """The current time as `2026-11-28T22:40:00Z`."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _status_json(status):
    return list(status) if isinstance(status, tuple) else status


def _api_steps(steps) -> list:
    found = []
    for step in steps:
        if isinstance(step, ApiStep):
            found.append(step)
            found.extend(_api_steps(step.state))
    return found


def expected_outcome(case: Case) -> tuple:
    """(expected_status, expected_code) from the case's steps: the last stated status, and the code
    of the last expectation with a code (alternatives of `one_of` are merged into lists)."""
    return expected_outcome_of(_api_steps(case.steps))


def expected_outcome_of(steps: list) -> tuple:
    """(status, code) over `steps` as expected_outcome reads them."""
    status, code = None, None
    for step in steps:
        alternatives = step.expect.one_of or (step.expect,)
        statuses = [_status_json(alt.status) for alt in alternatives if alt.status is not None]
        codes = [item for alt in alternatives for item in (alt.code or ())]
        if statuses:
            status = statuses[0] if len(statuses) == 1 else statuses
        if codes:
            code = codes[0] if len(codes) == 1 else codes
    return status, code


def _steps_with_labels(steps) -> list:
    found = []
    for step in steps:
        found.append(step)
        found.extend(_steps_with_labels(getattr(step, "state", ())))
    return found


def step_expectation(case: Case, label: str) -> dict | None:
    """{status, code} that the step labelled `label` expects (alternatives of `one_of` as lists), so
    that a failure shows the expectation of the step that failed, not the case's last one."""
    for step in _steps_with_labels((*case.steps, *case.teardown)):
        if isinstance(step, ApiStep) and step.label == label:
            status, code = expected_outcome_of([step])
            return {"status": status, "code": code}
    return None


def case_metadata(case: Case, scheme: str, source_file: str) -> dict:
    """The JSON-ready metadata of one item, attached to its reports."""
    status, code = expected_outcome(case)
    return {
        "id": case.id, "scheme": scheme, "operation": case.operation, "level": case.level,
        "tags": list(case.tags), "example": case.example, "expected_status": status,
        "expected_code": code, "source": case.source, "doc": case.doc, "decision": case.decision,
        "references": [reference.as_dict() for reference in cited(case.source, case.decision)],
        "file": source_file,
    }


def skip_reason(report) -> str | None:
    """Why a skipped phase report did not run its item (`Skipped: ` taken off), or None."""
    if not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    message = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return message.removeprefix("Skipped: ")


def suite_item_keys(cases: list[Case]) -> list[str]:
    """Every item of the suite under every scheme its case declares (`Case.Id[sigv4]`, or the id of an
    unsigned case), sorted."""
    return sorted(case.id if scheme == "none" else f"{case.id}[{scheme}]" for case in cases for scheme in case.auth)


def completeness(records: list[dict], exit_status: int, selected: int | None, stopped: str | None) -> dict:
    """`complete`, `exit_status` and, for an incomplete run, the reasons (one short phrase each)."""
    reasons = []
    if exit_status not in COMPLETE_EXIT_STATUSES:
        reasons.append(f"the suite exited with status {exit_status}")
    if stopped:
        reasons.append(f"the run stopped early: {stopped}")
    if selected is not None and selected > len(records):
        reasons.append(f"{selected - len(records)} of {selected} selected items did not run")
    no_answer = sum(1 for record in records if record["outcome"] == NO_ANSWER)
    if no_answer:
        reasons.append(f"{no_answer} item{'s' if no_answer != 1 else ''} got no answer")
    return {"complete": not reasons, "exit_status": exit_status, "incomplete_reasons": reasons}


def _phase_outcome(report) -> str | None:
    if report.when in ("setup", "teardown"):
        if report.failed:
            return "error"
        if report.skipped:
            return "xfailed" if hasattr(report, "wasxfail") else "skipped"
        return None
    if report.skipped:
        return "xfailed" if hasattr(report, "wasxfail") else "skipped"
    if report.passed:
        return "xpassed" if hasattr(report, "wasxfail") else "passed"
    if str(report.longrepr).startswith("[XPASS(strict)]"):
        return "xpassed"
    if (getattr(report, REPORT_ATTRIBUTE, None) or {}).get(NO_ANSWER):
        return NO_ANSWER
    return "failed"


class ResultsCollector:
    """Gathers item outcomes from test reports and writes results.json."""

    def __init__(self, auth: tuple):
        self.auth = auth
        self.started = utc_now()
        self.deselected = 0
        self._records: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report) -> None:
        """pytest hook (this collector is registered as a plugin): fold in one phase report."""
        self.add(report)

    def pytest_deselected(self, items) -> None:
        """pytest hook: count the items `-k`, `-m` and other plugins deselected."""
        self.deselected += len(items)

    def add(self, report) -> None:
        """Fold one phase report (setup, call or teardown) into its item's record."""
        metadata = getattr(report, REPORT_ATTRIBUTE, None)
        if metadata is None:
            return
        record = self._records.setdefault(report.nodeid, {"node_id": report.nodeid, "outcome": None,
                                                          "duration_s": 0.0})
        record.update(metadata)
        record["duration_s"] = round(record["duration_s"] + report.duration, 6)
        outcome = _phase_outcome(report)
        reason = skip_reason(report)
        if reason is not None:
            record.setdefault("skip_reason", reason)
        if outcome is not None and (record["outcome"] is None or outcome == "error"):
            record["outcome"] = outcome

    def records(self) -> list[dict]:
        """The item records so far, by node id (an item without an outcome counts as an error)."""
        cases = sorted(self._records.values(), key=lambda record: record["node_id"])
        for record in cases:
            record["outcome"] = record["outcome"] or "error"
        return cases

    def results(self, endpoint: str, info: dict | None = None) -> dict:
        """The results.json document; `info` is the run's identity (report/run_info.py)."""
        cases = self.records()
        by_level = {level: dict(Counter(r["outcome"] for r in cases if r["level"] == level)) for level in LEVELS}
        return {
            "format": FORMAT_VERSION,
            "run": {
                **(info or {}),
                "endpoint": endpoint,
                "auth": list(self.auth),
                "started": self.started,
                "finished": utc_now(),
                "counts": dict(Counter(record["outcome"] for record in cases)),
                "counts_by_level": by_level,
                "not_run": not_run_by_reason(cases),
                "scores_by_level": scores_by_level(cases),
                "scores_by_operation": scores_by_operation(cases),
            },
            "cases": cases,
        }

    def write(self, directory: Path, endpoint: str, info: dict | None = None) -> dict:
        """Write `results.json` into `directory` (created if needed) and return the document."""
        directory.mkdir(parents=True, exist_ok=True)
        document = self.results(endpoint, info)
        (directory / "results.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return document

