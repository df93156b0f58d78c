"""Client for the mock's control API (docs/contract.md §2): JSON in, `{"ok": true, ...}` out.

Every call goes through the same transport as API requests, so a failing control call is reported
with the request as sent, a curl command and the response, like any other step.

The client also holds the run's baseline (`RunBaseline`): the CreateJob quota the run raised for
every account and the clock base that `set_clock` offsets count from. Restoring after a case goes
back to that baseline; `finish_run` goes back to the target's own configuration.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from conformance.wire.request_builder import build_get, build_json_post
from conformance.wire.transport import Exchange, OutgoingRequest, Transport


@dataclass(frozen=True)
class RunBaseline:
    """The control state a run works from: `jobs_per_day` for every account (None: the target's own
    configuration) and `clock_base_s`, added to every `set_clock` offset."""

    jobs_per_day: int | None = None
    clock_base_s: int = 0


@dataclass(frozen=True)
class ControlResult:
    """One control call: the exchange, the decoded answer, and what was wrong with it (if anything)."""

    exchange: Exchange
    answer: dict | None
    problem: str | None


class ControlClient:
    """Calls the control API under `base_url` (e.g. `http://127.0.0.1:8080/_mock`)."""

    def __init__(self, base_url: str, transport: Transport):
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.baseline = RunBaseline()

    def _exchange(self, request: OutgoingRequest) -> ControlResult:
        exchange = self.transport.send(request)
        response = exchange.response
        if exchange.error is not None or response is None:
            return ControlResult(exchange, None, f"control API: {exchange.error or 'no response'}")
        try:
            answer = json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return ControlResult(exchange, None, f"control API answered HTTP {response.status} without JSON")
        if not (200 <= response.status < 300 and isinstance(answer, dict) and answer.get("ok") is True):
            detail = answer.get("error") if isinstance(answer, dict) else None
            return ControlResult(exchange, answer if isinstance(answer, dict) else None,
                                 f"control API answered HTTP {response.status}: {detail or 'not ok'}")
        return ControlResult(exchange, answer, None)

    def _post(self, path: str, payload: dict) -> ControlResult:
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return self._exchange(build_json_post(self.base_url + path, body))

    def call(self, call: str, arguments: dict, access_key_for: dict) -> ControlResult:
        """Run one `control:` step; `access_key_for` maps `as:` roles to access key ids."""
        def quota_payload() -> dict:
            payload = {"jobs_per_day": arguments["jobs_per_day"]}
            if "as" in arguments:
                payload["access_key_id"] = access_key_for[arguments["as"]]
            return payload

        requests_by_call = {
            "set_state": lambda: (f"/jobs/{quote(arguments['job'], safe='')}/state",
                                  {key: value for key, value in arguments.items() if key != "job"}),
            "advance_clock": lambda: ("/clock", {"advance_s": arguments["seconds"]}),
            "set_clock": lambda: ("/clock", {"offset_s": arguments["offset_s"] + self.baseline.clock_base_s}),
            "set_quota": lambda: ("/quota", quota_payload()),
            "inject": lambda: ("/inject", dict(arguments)),
        }
        path, payload = requests_by_call[call]()
        return self._post(path, payload)

    @staticmethod
    def answered_offset_s(result: ControlResult) -> float | None:
        """The clock offset a `POST /_mock/clock` answer reports (`offset_s`, docs/contract.md §2), or
        None when the answer has none (then `clock_offset_s` reads it)."""
        offset = (result.answer or {}).get("offset_s")
        return None if isinstance(offset, bool) or not isinstance(offset, (int, float)) else offset

    def clock_offset_s(self) -> tuple[ControlResult, float | None]:
        """The mock's current clock offset in seconds (`GET /_mock/clock`)."""
        result = self._exchange(build_get(self.base_url + "/clock"))
        if result.problem is not None:
            return result, None
        offset = (result.answer or {}).get("offset_s")
        if isinstance(offset, bool) or not isinstance(offset, (int, float)):
            return ControlResult(result.exchange, result.answer, "control API: /clock has no numeric offset_s"), None
        return result, offset

    def start_run(self, baseline: RunBaseline) -> list[ControlResult]:
        """Adopt `baseline` and apply its quota to every account (clock offset 0 until a `set_clock`)."""
        self.baseline = baseline
        return self.restore_clock_and_quota()

    def restore_clock_and_quota(self, clock: bool = True, quota: bool = True) -> list[ControlResult]:
        """Clock offset back to 0 and every quota back to the run's baseline (or only one of them)."""
        return ([self._post("/clock", {"offset_s": 0})] if clock else []) + (
            [self._post("/quota", {"jobs_per_day": self.baseline.jobs_per_day})] if quota else [])

    def finish_run(self) -> list[ControlResult]:
        """Clock offset 0 and every quota back to the target's configuration, as before the run."""
        self.baseline = RunBaseline()
        return self.restore_clock_and_quota()
