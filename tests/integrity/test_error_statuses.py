"""Strictness where the sources speak: the error table's statuses and `Type` are asserted.

docs/sources.md F11 gives every Import/Export error code of the Developer Guide's table an HTTP status
(400; 403 for InvalidClientTokenIdException), and its example error and every live error (F30) carry `Type`
Sender. So an expectation alternative that accepts a tabled code asserts that status and `Type` Sender,
and never shares the alternative with a code of another (or no documented) status; those go into their own
`one_of` alternative. A `documented` case never accepts a bare 4xx: a class status (`4xx`) appears in a
documented case only for the modeled codes whose status no source states (decision W5).
"""
from __future__ import annotations

from pathlib import Path

from conformance.cases.definitions import ApiStep, Case, Expectation
from conformance.cases.error_table import TABLED_TYPE, UNDOCUMENTED_STATUS_CODES, tabled_status
from conformance.run.collection import load_all_cases

REPO = Path(__file__).resolve().parents[2]
ALL_CASES = load_all_cases(REPO)


def api_steps(steps):
    """Every API step, with the read-backs under `state:`."""
    for step in steps:
        if isinstance(step, ApiStep):
            yield step
            yield from api_steps(step.state)


def alternatives(case: Case):
    """(step label, alternative) for every expectation alternative of the case, teardown included."""
    for step in api_steps((*case.steps, *case.teardown)):
        for alternative in step.expect.one_of or (step.expect,):
            yield step.label, alternative


def table_problem(alternative: Expectation) -> str | None:
    statuses = {tabled_status(code) for code in alternative.code or ()}
    if statuses == {None} or not statuses:
        return None
    if len(statuses) > 1:
        return f"mixes codes of statuses {sorted(statuses, key=str)}: split them into one_of alternatives"
    (status,) = statuses
    if alternative.status != status:
        return f"accepts status {alternative.status!r}; the error table gives {status}"
    if alternative.error_type != TABLED_TYPE:
        return f"Type is {alternative.error_type!r}; the error table's codes are answered with Type {TABLED_TYPE}"
    return None


def test_tabled_codes_are_asserted_at_their_status_with_type_sender():
    problems = [f"{case.id} {label}: {alternative.code}: {problem}"
                for case in ALL_CASES for label, alternative in alternatives(case)
                if (problem := table_problem(alternative)) is not None]
    assert not problems, "\n".join(problems)


def test_documented_cases_accept_no_bare_4xx():
    problems = []
    for case in ALL_CASES:
        if case.level != "documented":
            continue
        for label, alternative in alternatives(case):
            status = alternative.status
            statuses = status if isinstance(status, tuple) else (status,)
            if not any(isinstance(item, str) and item[0] in "45" for item in statuses):
                continue
            if not alternative.code or not set(alternative.code) <= set(UNDOCUMENTED_STATUS_CODES):
                problems.append(f"{case.id} {label}: status {status!r} with codes {alternative.code}")
    assert not problems, "\n".join(problems)


def test_the_rules_catch_a_loose_expectation():
    loose = Expectation(status="4xx", code=("InvalidParameterException", "MissingParameterException"))
    mixed = Expectation(status=400, code=("InvalidParameterException", "InvalidClientTokenIdException"),
                        error_type="Sender")
    untyped = Expectation(status=400, code=("InvalidJobIdException",))
    assert "400" in table_problem(loose)
    assert "split" in table_problem(mixed)
    assert "Type" in table_problem(untyped)
    assert table_problem(Expectation(status="4xx", code=("SignatureDoesNotMatch",))) is None
