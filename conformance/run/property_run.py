"""Running a property-based case: hypothesis draws many cases of one property, and each runs like a case file's.

`PropertyRun` runs one property (`conformance.generate.property_cases.PROPERTIES`) under one scheme:
hypothesis (`max_examples` from `--property-examples`, seed from `--property-seed` or fresh per run,
no database, no deadline) draws steps, each draw goes through `cases_from_data` and `CaseRunner`, and
a failure is shrunk to a smallest failing case. `PropertyFailed` is that case's `CaseFailed` with the
run (seed, replay command, case data); `render_property_failure` shows them before the usual failure
report. A drawn case that got no answer (`NoAnswer`) is no verdict: hypothesis goes on drawing,
and when no drawn case failed the item ends as that `NoAnswer`.
"""
from __future__ import annotations

import secrets
import shlex
import threading
import traceback
from collections.abc import Callable

import yaml
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis.internal import lambda_sources

from conformance.cases.definitions import Case
from conformance.cases.loader import cases_from_data
from conformance.generate.property_cases import DEFAULT_EXAMPLES, Property
from conformance.locations import PROGRAM
from conformance.run.failure import render_failure
from conformance.run.runner import CaseFailed, CaseRunner, NoAnswer
from conformance.run.target import Target

_LAMBDA_DESCRIPTION_LOCK = threading.Lock()


def _one_thread_at_a_time(describe: Callable) -> Callable:
    def described(function: object) -> str:
        with _LAMBDA_DESCRIPTION_LOCK:
            return describe(function)

    return described


# With `--concurrency N` several properties run on several threads. hypothesis describes the
# lambdas of a strategy by parsing their source and keeps the descriptions in caches that are not
# safe for threads: once, two threads doing so at the same moment broke a property run with a
# SystemError from `ast`. One thread at a time describes a lambda (rare, and cached after the first).
lambda_sources.lambda_description = _one_thread_at_a_time(lambda_sources.lambda_description)


class PropertyFailed(CaseFailed):
    """A property with a drawn case that did not conform: the shrunk case's failure, with its run."""

    def __init__(self, run: PropertyRun, failure: CaseFailed):
        super().__init__(failure.case, failure.scheme, failure.failed, failure.history, failure.notes)
        self.run = run


class PropertyError(Exception):
    """A property run that broke for another reason (a strategy drawing invalid case data, a flaky
    target hypothesis could not reproduce); the message has the seed and the error's traceback."""


class PropertyRun:
    """One property under one scheme against a target, as hypothesis drives it."""

    def __init__(self, prop: Property, case: Case, scheme: str, target: Target, node_id: str,
                 examples: int = DEFAULT_EXAMPLES, seed_value: int | None = None):
        self.prop = prop
        self.case = case
        self.scheme = scheme
        self.target = target
        self.node_id = node_id
        self.examples = examples
        self.seed = seed_value if seed_value is not None else secrets.randbelow(2**32)
        self.runs = 0
        self.first_failure_at: int | None = None
        self.last_data: dict | None = None
        self.no_answer: NoAnswer | None = None

    @property
    def replay_command(self) -> str:
        """The command that replays this run's draws: `importexport-conformance` runs the suite the
        node id names from any directory, installed or in a checkout (there `pytest` takes the same
        arguments)."""
        command = f"{PROGRAM} {shlex.quote(self.node_id)} --property-seed {self.seed}"
        if self.examples != DEFAULT_EXAMPLES:
            command += f" --property-examples {self.examples}"
        if self.target.settings.endpoint_url is not None:
            command += "  (plus this run's target options)"
        return command

    def run_one(self, steps: list) -> None:
        """Run one drawn case; raise CaseFailed when it does not conform."""
        self.runs += 1
        self.last_data = self.prop.case_data(steps)
        case = cases_from_data(self.last_data, self.case.file, self.case.fixtures_root)[0]
        try:
            CaseRunner(case, self.scheme, self.target).run()
        except NoAnswer as no_answer:  # no verdict on this draw: hypothesis must not shrink towards it
            self.no_answer = self.no_answer or no_answer
        except CaseFailed:
            if self.first_failure_at is None:
                self.first_failure_at = self.runs
            raise

    def execute(self) -> None:
        """Draw and run up to `examples` cases; PropertyFailed with the shrunk failing case, if any."""
        @seed(self.seed)
        @settings(max_examples=self.examples, deadline=None, database=None, derandomize=False,
                  phases=(Phase.generate, Phase.shrink), report_multiple_bugs=False, print_blob=False,
                  verbosity=Verbosity.quiet, suppress_health_check=(HealthCheck.too_slow,))
        @given(self.prop.steps())
        def check(steps: list) -> None:
            self.run_one(steps)

        try:
            check()
        except CaseFailed as failure:
            raise PropertyFailed(self, failure) from None
        except Exception as error:  # noqa: BLE001 - whatever broke the run is reported with its seed
            raise PropertyError("\n".join(self.summary_lines()) + "\n\nThe run broke:\n"
                                + "".join(traceback.format_exception(error))) from None
        if self.no_answer is not None:
            raise self.no_answer

    def summary_lines(self) -> list[str]:
        return [f"  seed:     {self.seed}", f"  replay:   {self.replay_command}",
                f"  examples: up to {self.examples} drawn; {self.runs} run in all"
                + (f", the first failing one was number {self.first_failure_at}" if self.first_failure_at else "")]

    def metadata(self) -> dict:
        """The run's part of the item's results.json record."""
        return {"seed": self.seed, "max_examples": self.examples, "runs": self.runs}


class _CaseDumper(yaml.SafeDumper):
    """Case data as YAML, multi-line strings (manifests) as literal blocks."""


_CaseDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def render_property_failure(failed: PropertyFailed) -> str:
    """The property, its seed and replay command, the shrunk case's data, then its failure report."""
    run = failed.run
    prop = run.prop
    header = [f"Property {prop.id} [{run.scheme}] is falsified: a drawn case did not conform",
              f"  source:   {prop.source} (level: {prop.level})", f"  doc:      {prop.doc}", *run.summary_lines()]
    data = yaml.dump(run.last_data, Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=100)
    example = ("Smallest failing case found (case-file data: saved as a .yaml file under fixtures/ with a new "
               "id, it replays without hypothesis):\n" + "\n".join("    " + line for line in data.splitlines()))
    return "\n\n".join(["\n".join(header), example, render_failure(failed)])
