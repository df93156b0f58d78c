"""One interface over three real AWS clients: boto3, the AWS CLI v1 and the AWS SDK for JavaScript v2.

    driver = DRIVERS["js-sdk"]()
    result = driver.run_scenario("lifecycle", endpoint)     # any endpoint URL, any credentials
    assert result.problems == [], result.problems

A driver executes a scenario's steps (tests/clients/scenarios.py) with its client and reports one
`Outcome` per step: the response members as JSON, or the modeled error code the client surfaced
(boto3: ClientError's code; CLI: the `(Code)` of its stderr line; JS: `err.code`). Judging is the
same for all clients (`steps.verify`). Control steps go to `Endpoint.control_url`; a scenario that
needs one cannot run against an endpoint without it.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

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
        return ScenarioResult(self.name, scenario, self.run(scenario, endpoint))

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


class JsSdkDriver(ClientDriver):
    """The AWS SDK for JavaScript v2 (`aws-sdk` from the repository's package.json; SigV2,
    POST /?Operation=<Action>). A whole scenario runs in one node process: tests/clients/js/run_steps.js
    reads the steps as JSON on stdin and prints one outcome per step as JSON."""

    name = "js-sdk"

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
        environment = {**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"}
        done = subprocess.run(["node", str(JS_RUNNER)], input=json.dumps(request), capture_output=True, text=True,
                              env=environment, timeout=TIMEOUT_S)
        if "Cannot find module 'aws-sdk'" in done.stderr:
            raise RuntimeError("the npm package aws-sdk is not installed: run `npm ci` in the repository root")
        if done.returncode != 0:
            raise RuntimeError(f"{JS_RUNNER} failed (exit {done.returncode}): {done.stderr}")
        return [Outcome(item["step"], output=item.get("output"), error_code=item.get("errorCode"),
                        error_message=item.get("errorMessage") or "") for item in json.loads(done.stdout)]

    def call(self, endpoint: Endpoint, credentials: Credentials, operation: str, params: Mapping[str, Any],
             step: str) -> Outcome:
        scenario = Scenario("single-call", sequence=[Call(step, operation, params, expect=Expect(allow_success=True),
                                                          credentials=credentials)])
        return self.run(scenario, endpoint)[0]


DRIVERS: Mapping[str, type[ClientDriver]] = {
    driver.name: driver for driver in (Boto3Driver, AwsCliDriver, JsSdkDriver)
}

