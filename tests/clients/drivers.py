"""One interface over five real AWS clients: boto3, the AWS CLI v1, the AWS SDK for JavaScript v2, the AWS
SDK for Go v1 and the AWS SDK for Ruby v1.

    driver = DRIVERS["js-sdk"]()
    result = driver.run_scenario("lifecycle", endpoint)     # any endpoint URL, any credentials
    assert result.problems == [], result.problems

A driver executes a scenario's steps (tests/clients/scenarios.py) with its client and reports one
`Outcome` per step: the response members as JSON, or the modeled error code the client surfaced
(boto3: ClientError's code; CLI: the `(Code)` of its stderr line; JS: `err.code`; Go: `awserr.Error`'s
code; Ruby: the error's `code`). Judging is the same for all clients (`steps.verify`). The JS, Go and
Ruby SDKs run a whole scenario in one process of their own (`StepProgramDriver`). A call a client's
SDK cannot make at all (`cannot_call`) is left out and named in the result's `left_out`. Control
steps go to `Endpoint.control_url`; a scenario that needs one cannot run against an endpoint without it.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import boto3
import requests
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

from . import sdk_builds
from .manifests import DEFAULT_BUCKETS, Buckets
from .scenarios import SCENARIOS
from .steps import Call, Control, Credentials, Endpoint, Expect, Outcome, Scenario, fill, remember, unresolved, verify

JS_RUNNER = Path(__file__).resolve().parent / "js" / "run_steps.js"
CLI_ERROR = re.compile(r"An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)", re.S)
TIMEOUT_S = 120


class ScenarioUnsupported(Exception):
    """The scenario needs something the endpoint does not offer (a control API)."""


@dataclass(frozen=True)
class ScenarioResult:
    client: str
    scenario: Scenario
    outcomes: Sequence[Outcome]
    left_out: Mapping[str, str] = field(default_factory=dict)   # call name -> why this client cannot make it

    @property
    def problems(self) -> list[str]:
        return [f"[{self.client}] {problem}" for problem in verify(self.scenario, self.outcomes)]

    def outcome(self, step: str) -> Outcome:
        return next(outcome for outcome in self.outcomes if outcome.step == step)


def control(endpoint: Endpoint, step: Control, saved: Mapping[str, str]) -> Outcome:
    """POST a control call; a refused call is reported as an outcome with error code `ControlFailed`."""
    assert endpoint.control_url is not None
    url = f"{endpoint.control_url.rstrip('/')}/{fill(step.path, saved)}"
    response = requests.post(url, json=fill(step.body, saved), timeout=30)
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code == 200 and isinstance(answer, dict) and answer.get("ok") is True:
        return Outcome(step.name, output=answer)
    problem = f"{url}: {response.status_code} {response.text}"
    return Outcome(step.name, error_code="ControlFailed", error_message=problem)


class ClientDriver(ABC):
    """Runs scenarios with one client. Subclasses implement `call` (and may batch `run`)."""

    name: str
    probe_workers = 1
    all_probes_by_default = True

    def run_scenario(self, scenario_name: str, endpoint: Endpoint, buckets: Buckets = DEFAULT_BUCKETS,
                     all_probes: bool | None = None) -> ScenarioResult:
        """Run a scenario of `SCENARIOS`; `all_probes=False` keeps one probe per error code and
        per operation (the default for slow clients, see `all_probes_by_default`)."""
        scenario = SCENARIOS[scenario_name](endpoint, buckets)
        if not (self.all_probes_by_default if all_probes is None else all_probes):
            scenario = scenario.one_probe_per_code_and_operation()
        if scenario.needs_control and endpoint.control_url is None:
            raise ScenarioUnsupported(f"scenario {scenario_name} needs a control API; {endpoint.url} has none")
        left_out = {call.name: reason for call in scenario.calls if (reason := self.cannot_call(call))}
        scenario = scenario.without(set(left_out))
        return ScenarioResult(self.name, scenario, self.run(scenario, endpoint), left_out)

    def cannot_call(self, call: Call) -> str | None:
        """Why this client cannot make `call` at all (its SDK lacks the operation or a parameter), or None.
        Such calls are left out of the scenario and listed in `ScenarioResult.left_out`."""
        return None

    def run(self, scenario: Scenario, endpoint: Endpoint) -> list[Outcome]:
        saved: dict[str, str] = {}
        outcomes: list[Outcome] = []
        try:
            for step in scenario.sequence:
                outcomes.append(self._step(step, endpoint, saved))
            with ThreadPoolExecutor(max_workers=self.probe_workers) as pool:
                outcomes += pool.map(lambda probe: self._step(probe, endpoint, dict(saved)), scenario.probes)
        finally:
            outcomes += [control(endpoint, step, saved) for step in scenario.teardown]
        return outcomes

    def _step(self, step: Call | Control, endpoint: Endpoint, saved: dict[str, str]) -> Outcome:
        if isinstance(step, Control):
            return control(endpoint, step, saved)
        params = fill(step.params, saved)
        missing = unresolved(params)
        if missing:
            return Outcome(step.name, error_code="Unresolved", error_message=f"no saved value for {missing}")
        outcome = self.call(endpoint, step.credentials or endpoint.credentials, step.operation, params, step.name)
        remember(step, outcome, saved)
        return outcome

    @abstractmethod
    def call(self, endpoint: Endpoint, credentials: Credentials, operation: str, params: Mapping[str, Any],
             step: str) -> Outcome:
        """Make one API call with this client and report what the client surfaced."""


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class Boto3Driver(ClientDriver):
    """boto3 (SigV4, POST / with Action=...), one client per credentials."""

    name = "boto3"

    def __init__(self) -> None:
        self._session = boto3.session.Session()
        self._clients: dict[tuple[str, str, Credentials], Any] = {}

    def _client(self, endpoint: Endpoint, credentials: Credentials) -> Any:
        key = (endpoint.url, endpoint.region, credentials)
        if key not in self._clients:
            self._clients[key] = self._session.client(
                "importexport", endpoint_url=endpoint.url, region_name=endpoint.region,
                aws_access_key_id=credentials.access_key_id, aws_secret_access_key=credentials.secret_access_key,
                config=Config(retries={"max_attempts": 1}),
            )
        return self._clients[key]

    def call(self, endpoint: Endpoint, credentials: Credentials, operation: str, params: Mapping[str, Any],
             step: str) -> Outcome:
        client = self._client(endpoint, credentials)
        try:
            output = getattr(client, xform_name(operation))(**params)
        except ClientError as error:
            return Outcome(step, error_code=error.response["Error"].get("Code"), error_message=str(error))
        output.pop("ResponseMetadata", None)
        return Outcome(step, output=_as_json(output))


class AwsCliDriver(ClientDriver):
    """The AWS CLI v1, one `python -m awscli importexport <command>` process per call. Each process
    takes about half a second to start, so probes run on a small thread pool and, unless asked for
    all, only one probe per error code and per operation runs (the CLI surfaces every error through
    the same code path; the full matrix runs with boto3 and the JS SDK)."""

    name = "awscli"
    probe_workers = 4
    all_probes_by_default = False

    def call(self, endpoint: Endpoint, credentials: Credentials, operation: str, params: Mapping[str, Any],
             step: str) -> Outcome:
        command = [sys.executable, "-m", "awscli", "importexport", xform_name(operation, "-"),
                   *self.arguments(params), "--endpoint-url", endpoint.url, "--output", "json"]
        environment = {
            **os.environ, "AWS_ACCESS_KEY_ID": credentials.access_key_id,
            "AWS_SECRET_ACCESS_KEY": credentials.secret_access_key, "AWS_DEFAULT_REGION": endpoint.region,
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
        }
        done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=TIMEOUT_S)
        if done.returncode == 0:
            return Outcome(step, output=json.loads(done.stdout) if done.stdout.strip() else {})
        parsed = CLI_ERROR.search(done.stderr)
        if parsed is None:
            return Outcome(step, error_code=None, error_message=f"exit {done.returncode}: {done.stderr}")
        return Outcome(step, error_code=parsed.group(1), error_message=parsed.group(2))

    @staticmethod
    def arguments(params: Mapping[str, Any]) -> list[str]:
        """botocore-shaped parameters as CLI options (`jobIds` -> `--job-ids A B`, booleans as flags)."""
        arguments: list[str] = []
        for name, value in params.items():
            option = "--" + xform_name(name, "-")
            if isinstance(value, bool):
                arguments.append(option if value else "--no-" + option[2:])
            elif isinstance(value, list):
                arguments += [option, *map(str, value)]
            else:
                arguments += [option, str(value)]
        return arguments


class StepProgramDriver(ClientDriver):
    """A client driven by a program in another language that runs a whole scenario in one process: it
    reads the steps as JSON on stdin and prints one outcome per step as JSON (the protocol of
    tests/clients/js/run_steps.js)."""

    def command(self) -> list[str]:
        """The program's command line."""
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def run(self, scenario: Scenario, endpoint: Endpoint) -> list[Outcome]:
        def encode(step: Call | Control) -> dict:
            if isinstance(step, Control):
                return {"kind": "control", "name": step.name, "path": step.path, "body": step.body}
            credentials = step.credentials or endpoint.credentials
            return {"kind": "call", "name": step.name, "operation": step.operation, "params": step.params,
                    "save": step.save, "accessKeyId": credentials.access_key_id,
                    "secretAccessKey": credentials.secret_access_key}

        request = {
            "endpoint": endpoint.url, "region": endpoint.region, "controlUrl": endpoint.control_url,
            "sequence": [encode(step) for step in scenario.sequence],
            "probes": [encode(step) for step in scenario.probes],
            "teardown": [encode(step) for step in scenario.teardown],
        }
        command = self.command()
        done = subprocess.run(command, input=json.dumps(request), capture_output=True, text=True,
                              env=self.environment(), timeout=TIMEOUT_S)
        self.check_exit(done)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}): {done.stderr}")
        return [Outcome(item["step"], output=item.get("output"), error_code=item.get("errorCode"),
                        error_message=item.get("errorMessage") or "") for item in json.loads(done.stdout)]

    def check_exit(self, done: subprocess.CompletedProcess) -> None:
        """Raise a clear error when the program says its SDK is missing."""

    def call(self, endpoint: Endpoint, credentials: Credentials, operation: str, params: Mapping[str, Any],
             step: str) -> Outcome:
        scenario = Scenario("single-call", sequence=[Call(step, operation, params, expect=Expect(allow_success=True),
                                                          credentials=credentials)])
        return self.run(scenario, endpoint)[0]


class JsSdkDriver(StepProgramDriver):
    """The AWS SDK for JavaScript v2 (`aws-sdk` from the repository's package.json; SigV2,
    POST / with Action=<Action>): tests/clients/js/run_steps.js in one node process per scenario."""

    name = "js-sdk"

    def command(self) -> list[str]:
        return ["node", str(JS_RUNNER)]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"}

    def check_exit(self, done: subprocess.CompletedProcess) -> None:
        if "Cannot find module 'aws-sdk'" in done.stderr:
            raise RuntimeError("the npm package aws-sdk is not installed: run `npm ci` in the repository root")


class GoSdkDriver(StepProgramDriver):
    """The AWS SDK for Go v1 with an importexport client made by the SDK's own generator from botocore's
    model (tests/clients/sdk_builds.py builds it once, cached; SigV2, POST /?Operation=<Action>, the SDK's
    query XML unmarshaler): tests/clients/go in `steps` mode."""

    name = "go-sdk"

    def command(self) -> list[str]:
        return sdk_builds.go_client_command("steps")


class RubySdkDriver(StepProgramDriver):
    """The AWS SDK for Ruby v1 (Debian's ruby-aws-sdk, AWS::ImportExport::Client: SigV2, its own API
    configuration ImportExport-2010-06-01.yml and XML parser): tests/clients/ruby/run_steps.rb.

    Its API configuration lacks two things the botocore model has, so the calls that need them are left
    out (`left_out`, reported per run, never silently): the GetShippingLabel operation, and the
    APIVersion parameter of every operation (the client raises "unexpected option api_version")."""

    name = "ruby-sdk"
    MISSING_OPERATIONS: ClassVar[dict[str, str]] = {
        "GetShippingLabel": "the SDK's API configuration has no GetShippingLabel operation"}
    MISSING_PARAMETERS: ClassVar[dict[str, str]] = {
        "APIVersion": "the SDK's API configuration has no APIVersion parameter"}

    def command(self) -> list[str]:
        return sdk_builds.ruby_steps_command()

    def cannot_call(self, call: Call) -> str | None:
        if call.operation in self.MISSING_OPERATIONS:
            return self.MISSING_OPERATIONS[call.operation]
        return next((reason for parameter, reason in self.MISSING_PARAMETERS.items() if parameter in call.params),
                    None)


DRIVERS: Mapping[str, type[ClientDriver]] = {
    driver.name: driver for driver in (Boto3Driver, AwsCliDriver, JsSdkDriver, GoSdkDriver, RubySdkDriver)
}

