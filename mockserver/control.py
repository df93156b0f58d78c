"""The mock's control API under `/_mock/` (docs/contract.md §2), served only with `--admin`.

JSON in, JSON out, unsigned: reset, job status changes, the mock clock, quotas, a job listing and
error injection. Every answer is `{"ok": true, ...}` or a 4xx with `{"ok": false, "error": "..."}`.
Only loopback clients are served (403 for others) unless `allow_remote` (`--admin-allow-remote`).
"""
from __future__ import annotations

import ipaddress
import json
import re
from typing import Any, Callable

from werkzeug.wrappers import Request, Response

from mockserver.config import MockConfig
from mockserver.model import ApiError
from mockserver.params import OPERATIONS
from mockserver.runtime import RuntimeState, format_timestamp
from mockserver.status import LOCATION_MESSAGES, PROGRESS_MESSAGES
from mockserver.store import STATUS_COLUMNS, JobStore

CONTROL_PREFIX = "/_mock/"
MODELED_ERROR_CODES = frozenset({
    "BucketPermissionException", "CanceledJobIdException", "CreateJobQuotaExceededException",
    "ExpiredJobIdException", "InvalidAccessKeyIdException", "InvalidAddressException",
    "InvalidCustomsException", "InvalidFileSystemException", "InvalidJobIdException",
    "InvalidManifestFieldException", "InvalidParameterException", "InvalidVersionException",
    "MalformedManifestException", "MissingCustomsException", "MissingManifestFieldException",
    "MissingParameterException", "MultipleRegionsException", "NoSuchBucketException",
    "UnableToCancelJobIdException", "UnableToUpdateJobIdException",
})
_JOB_STATE_PATH = re.compile(r"jobs/([^/]+)/state")
_TEXT_STATUS_FIELDS = ("carrier", "tracking_number", "log_bucket", "log_key")
MAX_CLOCK_OFFSET_S = 1e10
MAX_CONTROL_BODY_BYTES = 65536


class ControlError(Exception):
    """A control request that cannot be carried out; answered with `{"ok": false}`."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class ControlApi:
    """Dispatches `/_mock/<call>` requests to the store and the runtime state."""

    def __init__(self, config: MockConfig, store: JobStore, runtime: RuntimeState, allow_remote: bool = False):
        self.config = config
        self.store = store
        self.runtime = runtime
        self.allow_remote = allow_remote
        self._routes: dict[tuple[str, str], Callable[[dict], dict]] = {
            ("POST", "reset"): self.reset,
            ("POST", "clock"): self.set_clock,
            ("GET", "clock"): self.get_clock,
            ("POST", "quota"): self.set_quota,
            ("GET", "jobs"): self.list_jobs,
            ("POST", "inject"): self.inject,
        }

    def handle(self, request: Request) -> Response:
        call = request.path[len(CONTROL_PREFIX):]
        if not self.allow_remote and not _is_loopback(request.remote_addr):
            return _json_response({"ok": False, "error": "the control API serves loopback clients only "
                                   "(start the mock with --admin-allow-remote to allow others)"}, 403)
        try:
            state_match = _JOB_STATE_PATH.fullmatch(call)
            if state_match and request.method == "POST":
                result = self.set_job_state(state_match.group(1), _json_body(request))
            elif (request.method, call) in self._routes:
                result = self._routes[(request.method, call)](_json_body(request))
            elif state_match or any(route_call == call for _, route_call in self._routes):
                raise ControlError(f"method {request.method} not allowed for /_mock/{call}", 405)
            else:
                raise ControlError(f"no control call /_mock/{call}", 404)
        except ControlError as error:
            return _json_response({"ok": False, "error": str(error)}, error.status)
        return _json_response({"ok": True, **result}, 200)

    def reset(self, body: dict) -> dict:
        self.store.delete_everything()
        self.runtime.reset()
        return {}

    def set_job_state(self, job_id: str, body: dict) -> dict:
        changes = _status_changes(body)
        job = self.store.set_status(job_id, changes)
        if job is None:
            raise ControlError(f"no job {job_id}", 404)
        return {"job": _job_json(job)}

    def set_clock(self, body: dict) -> dict:
        _only_keys(body, {"advance_s", "offset_s"})
        if len(body) != 1:
            raise ControlError("give exactly one of advance_s, offset_s")
        (key, value), = body.items()
        if not _is_number(value):
            raise ControlError(f"{key} must be a number")
        offset = self.runtime.offset_s + value if key == "advance_s" else value
        if abs(offset) > MAX_CLOCK_OFFSET_S:
            raise ControlError(f"the clock offset must stay within {MAX_CLOCK_OFFSET_S:.0f} seconds")
        self.runtime.set_clock_offset(offset)
        return self.get_clock({})

    def get_clock(self, body: dict) -> dict:
        return {"offset_s": self.runtime.offset_s, "now": format_timestamp(self.runtime.now())}

    def set_quota(self, body: dict) -> dict:
        _only_keys(body, {"access_key_id", "jobs_per_day"})
        if "jobs_per_day" not in body:
            raise ControlError("jobs_per_day is required (an integer >= 0, or null)")
        jobs_per_day = body["jobs_per_day"]
        if jobs_per_day is not None and (not _is_int(jobs_per_day) or jobs_per_day < 0):
            raise ControlError("jobs_per_day must be an integer >= 0 or null")
        access_key_id = body.get("access_key_id")
        if access_key_id is not None and access_key_id not in self.config.accounts:
            raise ControlError(f"access_key_id {access_key_id!r} is not a configured account")
        self.runtime.set_quota(access_key_id, jobs_per_day)
        return {}

    def list_jobs(self, body: dict) -> dict:
        return {"jobs": [_job_json(job) for job in self.store.all_jobs()]}

    def inject(self, body: dict) -> dict:
        _only_keys(body, {"operation", "code", "message"})
        operation, code = body.get("operation"), body.get("code")
        if operation not in OPERATIONS:
            raise ControlError(f"operation must be one of {', '.join(OPERATIONS)}")
        if code not in MODELED_ERROR_CODES:
            raise ControlError("code must be the name of a modeled error shape, e.g. InvalidJobIdException")
        message = body.get("message", f"Injected {code}")
        if not isinstance(message, str):
            raise ControlError("message must be a string")
        self.runtime.inject_error(operation, ApiError(code, message))
        return {}


def _status_changes(body: dict) -> dict:
    _only_keys(body, set(STATUS_COLUMNS))
    if "progress_code" in body and body["progress_code"] not in PROGRESS_MESSAGES:
        raise ControlError(f"progress_code must be one of {', '.join(sorted(PROGRESS_MESSAGES))}")
    if "location_code" in body and body["location_code"] not in LOCATION_MESSAGES:
        raise ControlError(f"location_code must be one of {', '.join(sorted(LOCATION_MESSAGES))}")
    for key in _TEXT_STATUS_FIELDS:
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise ControlError(f"{key} must be a string or null")
    if "error_count" in body and (not _is_int(body["error_count"]) or body["error_count"] < 0):
        raise ControlError("error_count must be an integer >= 0")
    return dict(body)


def _job_json(job) -> dict:
    return {**job.as_dict(), "creation_date": format_timestamp(job.created_at)}


def _json_body(request: Request) -> dict:
    raw = request.stream.read(MAX_CONTROL_BODY_BYTES + 1)
    if len(raw) > MAX_CONTROL_BODY_BYTES:
        raise ControlError(f"the body is larger than {MAX_CONTROL_BODY_BYTES} bytes", 413)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ControlError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _only_keys(body: dict, allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ControlError(f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _is_loopback(address: Any) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return parsed.is_loopback or (mapped is not None and mapped.is_loopback)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and abs(value) <= MAX_CLOCK_OFFSET_S


def _json_response(document: dict, status: int) -> Response:
    return Response(json.dumps(document), status=status, content_type="application/json")
