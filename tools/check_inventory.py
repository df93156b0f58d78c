"""The inventory of checks: every assertion of every case's every expectation, each with a stable id.

A check is one thing a step's expectation asserts: its `status`, its error `code`, its `Type`, each
`xpath:` assertion, a fetch's `body_starts_with`; the same for each `one_of` alternative, for the
read-backs under `state:` and for the teardown. The envelope, XSD and RequestId checks are the engine's
own and apply to every answer; they are not counted here (tests/engine covers them).

    <case id> | <step label> | [one_of[i] ]<kind>[ <xpath assertion> <path>]

e.g. `UpdateJob.MalformedManifest | steps[2].state[0] GetStatus | xpath[0] equals //ie:CurrentManifest`.
Property definitions are not in the inventory: their cases are drawn anew on every run (hypothesis),
so their checks have no stable identity.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conformance.cases.definitions import ApiStep, Case, Expectation, FetchStep
from conformance.run.collection import load_all_cases


@dataclass(frozen=True)
class CheckRef:
    """Where one check lives: its case, step, alternative (None without one_of), kind and xpath index."""

    case_id: str
    label: str
    operation: str | None
    alternative: int | None
    kind: str
    xpath_index: int | None = None
    xpath_text: str = ""
    expect: Expectation = field(default_factory=Expectation, compare=False, repr=False)

    @property
    def id(self) -> str:
        prefix = "" if self.alternative is None else f"one_of[{self.alternative}] "
        detail = "" if self.xpath_index is None else f"[{self.xpath_index}] {self.xpath_text}"
        return f"{self.case_id} | {self.label} | {prefix}{self.kind}{detail}"

    def alternative_of(self, expect: Expectation) -> Expectation:
        """This check's alternative within `expect` (the step's expectation, rendered or not)."""
        return expect if self.alternative is None else expect.one_of[self.alternative]


def checked_steps(steps) -> Iterator[ApiStep | FetchStep]:
    """Every API and fetch step, read-backs under `state:` included, in run order."""
    for step in steps:
        if isinstance(step, (ApiStep, FetchStep)):
            yield step
        if isinstance(step, ApiStep):
            yield from checked_steps(step.state)


def _alternative_checks(case: Case, step, alternative: int | None, expect: Expectation) -> Iterator[CheckRef]:
    operation = step.operation if isinstance(step, ApiStep) else None
    made = {"case_id": case.id, "label": step.label, "operation": operation, "alternative": alternative,
            "expect": step.expect}
    if expect.status is not None:
        yield CheckRef(kind="status", **made)
    if expect.code is not None:
        yield CheckRef(kind="code", **made)
    if expect.error_type is not None:
        yield CheckRef(kind="type", **made)
    if expect.body_starts_with is not None:
        yield CheckRef(kind="body_starts_with", **made)
    for index, check in enumerate(expect.xpath):
        yield CheckRef(kind="xpath", xpath_index=index, xpath_text=f"{check.kind} {check.path}", **made)


def case_checks(case: Case) -> Iterator[CheckRef]:
    """The checks of one case, in step order."""
    for step in checked_steps((*case.steps, *case.teardown)):
        if step.expect.one_of:
            for position, alternative in enumerate(step.expect.one_of):
                yield from _alternative_checks(case, step, position, alternative)
        else:
            yield from _alternative_checks(case, step, None, step.expect)


def inventory(repo: Path) -> dict[str, CheckRef]:
    """Check id -> CheckRef for every case under `repo`'s fixtures (ValueError on a repeated id)."""
    checks: dict[str, CheckRef] = {}
    for case in load_all_cases(repo):
        for check in case_checks(case):
            if check.id in checks:
                raise ValueError(f"check id {check.id!r} is not unique")
            checks[check.id] = check
    return checks
