"""Running one case under one scheme: steps in order, saves, read-backs, control and fetch steps,
then teardown, always.

A step that does not conform stops the case (later steps depend on it); the teardown still runs,
and a case that moved the mock's clock or set a quota gets the clock (offset 0) or the quotas (the
run's baseline) restored afterwards so one case cannot leak into the next. Requests are signed
with the target's clock: after a clock control call the runner reads the mock's offset back and
signs with `now + offset` from then on.
Every conforming success answer is also held against what the run itself knows (`run/truth.py`).
A `fetch:` step contacts only the target and the origins given with `--fetch-origin`: a URL on another
scheme, host or port is not fetched, and a case that otherwise conforms is then skipped with the URL
named (a hostile endpoint cannot send the suite to other hosts).
A step whose exchange got no answer at all (refused or cut connection, timeout before a status
line; `--transport-retries` re-sends those first, built and signed afresh) ends the case as
`NoAnswer`, which the reports keep apart from a nonconformant answer.
"""
from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from conformance.cases.definitions import ApiStep, Case, ControlStep, Expectation, FetchStep, Pairs
from conformance.cases.templating import TemplateError, render
from conformance.run.checks import CheckContext, Mismatch, check_exchange
from conformance.run.target import Target
from conformance.run.truth import CaseTruth, Window
from conformance.wire.request_builder import build_api_request, build_get, build_raw_request
from conformance.wire.transport import Exchange, OutgoingRequest
from conformance.xmldoc import XmlError, parse_document, qualified, string_values

CLOCK_CALLS = ("advance_clock", "set_clock")


@dataclass
class StepRecord:
    """What one step did: its exchange (if it sent one), its mismatches and the expectation (as rendered)
    the exchange was checked against."""

    label: str
    exchange: Exchange | None = None
    mismatches: list[Mismatch] = field(default_factory=list)
    expect: Expectation | None = None

    def summary(self) -> str:
        """`steps[0] CreateJob -> 200 OK` for the history shown on failure."""
        if self.exchange is None or self.exchange.response is None:
            outcome = "no response" if self.exchange is not None else "no request sent"
        else:
            outcome = f"{self.exchange.response.status} {self.exchange.response.reason}".strip()
        return f"{self.label} -> {outcome}" + (" (did not conform)" if self.mismatches else "")


class CaseFailed(Exception):
    """A case that did not conform; carries everything the failure report shows."""

    def __init__(self, case: Case, scheme: str, failed: StepRecord, history: list[StepRecord], notes: list[str]):
        super().__init__(f"{case.id}[{scheme}]: {failed.label} did not conform")
        self.case = case
        self.scheme = scheme
        self.failed = failed
        self.history = history
        self.notes = notes


class NoAnswer(CaseFailed):
    """A case whose failing step got no answer at all: no verdict on the target's conformance."""


class CaseRunner:
    """Runs one case under one scheme against a `Target`."""

    def __init__(self, case: Case, scheme: str, target: Target):
        self.case = case
        self.scheme = scheme
        self.target = target
        self.clock_offset_s: float = 0
        self.clock_at_baseline = True  # the last clock offset read is 0: nothing to restore
        self.seen_request_ids: set = set()
        self.history: list[StepRecord] = []
        self.not_fetched: list[str] = []
        self.truth = CaseTruth()
        settings = target.settings
        self.variables = {
            "primary.access_key_id": settings.primary.access_key_id,
            "host": urlsplit(target.endpoint_url).netloc,
            "unique": uuid.uuid4().hex[:16],
            **{f"bucket.{field.name}": getattr(settings.buckets, field.name)
               for field in dataclasses.fields(settings.buckets)},
        }
        if settings.secondary is not None:
            self.variables["secondary.access_key_id"] = settings.secondary.access_key_id

    def now(self) -> datetime:
        """The target's idea of now: the local clock plus the mock's clock offset."""
        return datetime.now(timezone.utc) + timedelta(seconds=self.clock_offset_s)

    def run(self) -> None:
        """Run the case; raise CaseFailed when any step (or the teardown) does not conform."""
        failure = self.run_steps(self.case.steps)
        notes: list[str] = []
        teardown_failure = self.run_teardown(notes)
        calls = self.case.control_calls
        restore_clock = bool(calls & set(CLOCK_CALLS)) and not self.clock_at_baseline
        if (restore_clock or "set_quota" in calls) and self.target.control is not None:
            for result in self.target.control.restore_clock_and_quota(clock=restore_clock,
                                                                      quota="set_quota" in calls):
                if result.problem is not None:
                    notes.append(f"restoring the mock's clock and quotas after the case: {result.problem}")
        if failure is None and teardown_failure is not None:
            failure, teardown_failure = teardown_failure, None
        if teardown_failure is not None:
            notes.append(f"teardown also failed: {teardown_failure.summary()}: "
                         + "; ".join(mismatch.message for mismatch in teardown_failure.mismatches))
        if failure is not None:
            got_no_answer = failure.exchange is not None and failure.exchange.no_answer
            raise (NoAnswer if got_no_answer else CaseFailed)(self.case, self.scheme, failure, self.history, notes)
        if self.not_fetched:
            pytest.skip("not fetched, the suite contacts only the target "
                        f"{_origin(self.target.endpoint_url)} (allow others with --fetch-origin): "
                        + "; ".join(self.not_fetched))

    def run_steps(self, steps) -> StepRecord | None:
        """Run `steps` in order; the first record with mismatches, or None."""
        for step in steps:
            failure = self.run_step(step)
            if failure is not None:
                return failure
        return None

    def run_teardown(self, notes: list[str]) -> StepRecord | None:
        """Run every teardown step; a step naming a value never saved is skipped with a note."""
        first_failure = None
        for step in self.case.teardown:
            try:
                failure = self.run_step(step)
            except TemplateError as error:
                notes.append(f"teardown {step.label} skipped: {error}")
                continue
            if failure is not None and first_failure is None:
                first_failure = failure
        return first_failure

    def fetchable_origins(self) -> set[tuple]:
        """The target's origin and those the settings allow (`--fetch-origin`)."""
        return _origin_of_each((self.target.endpoint_url, *self.target.settings.fetch_origins))

    def record(self, label: str, exchange: Exchange | None, mismatches: list,
               expect: Expectation | None = None) -> StepRecord | None:
        step_record = StepRecord(label, exchange, list(mismatches), expect)
        self.history.append(step_record)
        return step_record if mismatches else None

    def run_step(self, step) -> StepRecord | None:
        """Run one step (and its read-backs); its failure record, or None."""
        if isinstance(step, ControlStep):
            return self.run_control(step)
        if isinstance(step, FetchStep):
            url = render(step.url, self.variables)
            if _origin(url) not in self.fetchable_origins():
                self.not_fetched.append(f"{step.label} {url}")
                return None
            exchange = self.target.transport.send_fresh(lambda: build_get(url))
            mismatches = check_exchange(step.expect, exchange, CheckContext(None, None, self.seen_request_ids))
            return self.record(step.label, exchange, mismatches, step.expect)
        return self.run_api(step)

    def run_api(self, step: ApiStep) -> StepRecord | None:
        rendered = render(dataclasses.replace(step, state=()), self.variables)
        settings = self.target.settings
        signed_at = self.now()

        def build() -> OutgoingRequest:  # called again for a re-send: a fresh timestamp and signature
            nonlocal signed_at
            signed_at = self.now()
            if rendered.raw is not None:
                return build_raw_request(rendered.raw, self.target.endpoint_url)
            return build_api_request(rendered.request, rendered.operation, self.scheme,
                                     settings.account(rendered.account), self.target.endpoint_url,
                                     signed_at, self.variables)

        exchange = self.target.transport.send_fresh(build)
        request = exchange.request
        context = CheckContext(rendered.operation, self.target.schema, self.seen_request_ids)
        mismatches = check_exchange(rendered.expect, exchange, context)
        if not mismatches:
            mismatches = self.truth_mismatches(rendered.label, rendered.operation, request, exchange,
                                               Window(signed_at, self.now()))
        if not mismatches and rendered.save:
            mismatches = self.save_values(rendered.save, exchange)
        failure = self.record(rendered.label, exchange, mismatches, rendered.expect)
        return failure if failure is not None else self.run_steps(step.state)

    def truth_mismatches(self, label: str, operation: str, request: OutgoingRequest, exchange: Exchange,
                         window: Window) -> list[Mismatch]:
        """A conforming success answer against the run's own knowledge (`run/truth.py`); errors pass."""
        response = exchange.response
        if response is None or not 200 <= response.status < 300:
            return []
        try:
            root = parse_document(response.body)
        except XmlError:
            return []
        if root.tag != qualified(f"{operation}Response"):
            return []
        return self.truth.check(label, operation, request, window, root)

    def save_values(self, save: Pairs, exchange: Exchange) -> list[Mismatch]:
        """Store each `save:` value from the response; a mismatch for each that selects nothing."""
        assert exchange.response is not None, "values are saved only from an exchange that conformed"
        try:
            root = parse_document(exchange.response.body)
        except XmlError as error:
            return [Mismatch("save", f"cannot save values: {error}")]
        mismatches = []
        for name, expression in save:
            values = string_values(root, expression)
            if not values or not values[0]:
                mismatches.append(Mismatch("save", f"save {name}: {expression} selected no value"))
            else:
                self.variables[name] = values[0]
        return mismatches

    def run_control(self, step: ControlStep) -> StepRecord | None:
        arguments = render(dict(step.arguments), self.variables)
        settings = self.target.settings
        access_keys = {"primary": settings.primary.access_key_id}
        if settings.secondary is not None:
            access_keys["secondary"] = settings.secondary.access_key_id
        control = self.target.control
        assert control is not None, "a case with control steps is skipped when the target has no control API"
        result = control.call(step.call, arguments, access_keys)
        if step.call in CLOCK_CALLS:
            self.clock_at_baseline = False  # until the new offset is known
        if result.problem is not None:
            return self.record(step.label, result.exchange, [Mismatch("control", result.problem)])
        self.record(step.label, result.exchange, [])
        self.truth.observe_control(step.label, step.call, arguments)
        if step.call in CLOCK_CALLS:
            # the offset the answer reports, else read back with GET /_mock/clock (docs/contract.md §2)
            offset = control.answered_offset_s(result)
            if offset is None:
                clock, offset = control.clock_offset_s()
                if offset is None:
                    return self.record(f"{step.label} (reading the clock back)", clock.exchange,
                                       [Mismatch("control", clock.problem or "control API: no clock offset")])
            self.clock_offset_s = offset
            self.clock_at_baseline = offset == 0
        return None


def _origin_of_each(urls: tuple[str, ...]) -> set[tuple]:
    return {_origin(url) for url in urls}


def _origin(url: str) -> tuple:
    """(scheme, host, port) of `url`; a URL that cannot be split is its own origin (and fails to fetch)."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return (url,)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port
