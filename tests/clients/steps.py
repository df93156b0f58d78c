"""The vocabulary shared by scenarios and client drivers: endpoints, steps, expectations, outcomes.

A scenario is data: API calls named by their botocore operation and botocore-shaped parameters
(strings may hold `${name}` placeholders filled from earlier calls' `save`), control calls for
servers that offer a control API, and an expectation per call. Drivers only execute steps and
report `Outcome`s; `verify` judges outcomes against expectations, the same way for every client.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")

# check(output, saved variables) -> a problem description, or None when the output is right
OutputCheck = Callable[[Mapping[str, Any], Mapping[str, str]], str | None]


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom the clients talk; `control_url` only for servers with a control API."""

    url: str
    credentials: Credentials
    control_url: str | None = None
    region: str = "us-east-1"


@dataclass(frozen=True)
class Expect:
    """What a call may answer: success (checked by `check`), one of `codes`, or either."""

    allow_success: bool = False
    check: OutputCheck | None = None
    codes: tuple[str, ...] = ()

    @classmethod
    def success(cls, check: OutputCheck | None = None) -> Expect:
        return cls(allow_success=True, check=check)

    @classmethod
    def error(cls, *codes: str) -> Expect:
        return cls(codes=codes)


@dataclass(frozen=True)
class Call:
    """One API call. `target` names the modeled error code the call is built to trigger."""

    name: str
    operation: str
    params: Mapping[str, Any]
    expect: Expect
    save: Mapping[str, str] = field(default_factory=dict)
    credentials: Credentials | None = None
    target: str | None = None


@dataclass(frozen=True)
class Control:
    """One call of the control API: POST `body` as JSON to `<control_url>/<path>`."""

    name: str
    path: str
    body: Mapping[str, Any]


Step = Call | Control


@dataclass(frozen=True)
class Scenario:
    """`sequence` runs in order; `probes` are independent of each other (a driver may run them
    concurrently) and run after it; `teardown` runs last, whatever happened before."""

    name: str
    sequence: Sequence[Step]
    probes: Sequence[Call] = ()
    teardown: Sequence[Control] = ()

    @property
    def calls(self) -> list[Call]:
        return [step for step in (*self.sequence, *self.probes) if isinstance(step, Call)]

    def one_probe_per_code_and_operation(self) -> Scenario:
        """The same scenario with fewer probes: the first probe for each target code, and the first
        for each operation (for clients that are slow per call)."""
        codes: set[str | None] = set()
        operations: set[str] = set()
        kept = []
        for probe in self.probes:
            if probe.target not in codes or probe.operation not in operations:
                kept.append(probe)
                codes.add(probe.target)
                operations.add(probe.operation)
        return replace(self, probes=kept)

    def without(self, names: set[str]) -> Scenario:
        """The same scenario without the calls named in `names`."""
        if not names:
            return self
        return replace(self, sequence=[step for step in self.sequence if step.name not in names],
                       probes=[probe for probe in self.probes if probe.name not in names])

    @property
    def needs_control(self) -> bool:
        return any(isinstance(step, Control) for step in (*self.sequence, *self.teardown))


@dataclass(frozen=True)
class Outcome:
    """What a client reported for one step: its output members (JSON-shaped) or its error."""

    step: str
    output: Mapping[str, Any] | None = None
    error_code: str | None = None
    error_message: str = ""

    @property
    def succeeded(self) -> bool:
        return self.output is not None


def fill(value: Any, saved: Mapping[str, str]) -> Any:
    """`value` with every `${name}` replaced by the saved value (lists and mappings recursively)."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda match: saved.get(match.group(1), match.group(0)), value)
    if isinstance(value, list):
        return [fill(item, saved) for item in value]
    if isinstance(value, Mapping):
        return {key: fill(item, saved) for key, item in value.items()}
    return value


def unresolved(value: Any) -> list[str]:
    """Placeholders still left in a filled value (an earlier call that should save them failed)."""
    if isinstance(value, str):
        return PLACEHOLDER.findall(value)
    if isinstance(value, list):
        return [name for item in value for name in unresolved(item)]
    if isinstance(value, Mapping):
        return [name for item in value.values() for name in unresolved(item)]
    return []


def remember(call: Call, outcome: Outcome, saved: dict[str, str]) -> None:
    """Store the members `call.save` names from a successful outcome."""
    if outcome.output is None:
        return
    for variable, member in call.save.items():
        if member in outcome.output:
            saved[variable] = str(outcome.output[member])


def verify(scenario: Scenario, outcomes: Sequence[Outcome]) -> list[str]:
    """Every way the outcomes break the scenario's expectations, one line each (empty: all good)."""
    by_step = {outcome.step: outcome for outcome in outcomes}
    saved: dict[str, str] = {}
    problems = []
    for call in scenario.calls:
        outcome = by_step.get(call.name)
        if outcome is None:
            problems.append(f"{call.name}: no outcome reported")
            continue
        remember(call, outcome, saved)
        problem = _judge(call, outcome, saved)
        if problem:
            problems.append(f"{call.name} ({call.operation}): {problem}")
    for step in (*scenario.sequence, *scenario.teardown):
        reported = by_step.get(step.name)
        if isinstance(step, Control) and (reported is None or not reported.succeeded):
            problems.append(f"{step.name} (control): {reported.error_message if reported else 'not run'}")
    return problems


def _judge(call: Call, outcome: Outcome, saved: Mapping[str, str]) -> str | None:
    expect = call.expect
    if outcome.output is not None:
        if not expect.allow_success:
            return f"succeeded with {dict(outcome.output)!r}, expected an error in {list(expect.codes)}"
        return expect.check(outcome.output, saved) if expect.check else None
    if outcome.error_code in expect.codes:
        return None
    accepted = ["success"] if expect.allow_success else []
    if expect.codes:
        accepted.append(f"an error in {list(expect.codes)}")
    wanted = " or ".join(accepted)
    return f"failed with {outcome.error_code!r} ({outcome.error_message.strip()[:300]}), expected {wanted}"
