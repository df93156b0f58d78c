"""The mock's control API under `/_mock/` (docs/contract.md §2), served only with `--admin`.

JSON in, JSON out, unsigned: reset, job status changes, the mock clock, quotas, a job listing and
error injection. Every answer is `{"ok": true, ...}` or a 4xx with `{"ok": false, "error": "..."}`.
Only loopback clients are served (403 for others) unless `allow_remote` (`--admin-allow-remote`).
"""
from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any

from werkzeug import exceptions as http
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from mockserver.backend.progress import LOCATION_MESSAGES, PROGRESS_MESSAGES
from mockserver.backend.records import JobRecord
from mockserver.backend.store import STATUS_COLUMNS, JobStore
from mockserver.config import MockConfig
from mockserver.exceptions import MODELED_ERROR_CODES, MODELED_ERRORS
from mockserver.protocol.params import OPERATIONS
from mockserver.runtime import RuntimeState, format_timestamp

CONTROL_PREFIX = "/_mock/"
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
        self._calls: dict[str, Callable[..., dict[str, Any]]] = {
            "reset": self.reset,
            "set_clock": self.set_clock,
            "get_clock": self.get_clock,
            "set_quota": self.set_quota,
            "list_jobs": self.list_jobs,
            "inject": self.inject,
            "set_job_state": self.set_job_state,
        }
        self.url_map = Map(
            [
                Rule("/_mock/reset", methods=["POST"], endpoint="reset"),
                Rule("/_mock/clock", methods=["POST"], endpoint="set_clock"),
                Rule("/_mock/clock", methods=["GET"], endpoint="get_clock"),
                Rule("/_mock/quota", methods=["POST"], endpoint="set_quota"),
                Rule("/_mock/jobs", methods=["GET"], endpoint="list_jobs"),
                Rule("/_mock/inject", methods=["POST"], endpoint="inject"),
                Rule("/_mock/jobs/<job_id>/state", methods=["POST"], endpoint="set_job_state"),
            ],
            merge_slashes=False,
        )

    def handle(self, request: Request) -> Response:
        """Answer one `/_mock/...` request with its JSON document."""
        if not self.allow_remote and not _is_loopback(request.remote_addr):
            return _json_response({"ok": False, "error": "the control API serves loopback clients only "
                                   "(start the mock with --admin-allow-remote to allow others)"}, 403)
        try:
            endpoint, arguments = self._match(request)
            result = self._calls[endpoint](_json_body(request), **arguments)
        except ControlError as error:
            return _json_response({"ok": False, "error": str(error)}, error.status)
        return _json_response({"ok": True, **result}, 200)

    def _match(self, request: Request) -> tuple[str, dict[str, Any]]:
        call = request.path[len(CONTROL_PREFIX):]
        try:
            endpoint, arguments = self.url_map.bind_to_environ(request.environ).match()
        except http.MethodNotAllowed:
            raise ControlError(f"method {request.method} not allowed for /_mock/{call}", 405) from None
        except http.HTTPException:
            raise ControlError(f"no control call /_mock/{call}", 404) from None
        if request.method == "HEAD":
            # werkzeug lets HEAD through wherever GET is allowed; the control API answers GET and POST.
            raise ControlError(f"method {request.method} not allowed for /_mock/{call}", 405)
        return str(endpoint), dict(arguments)

    def reset(self, body: dict[str, Any]) -> dict[str, Any]:
        self.store.delete_everything()
        self.runtime.reset()
        return {}

    def set_job_state(self, body: dict[str, Any], job_id: str) -> dict[str, Any]:
        changes = _status_changes(body)
        job = self.store.set_status(job_id, changes)
        if job is None:
            raise ControlError(f"no job {job_id}", 404)
        return {"job": _job_json(job)}

    def set_clock(self, body: dict[str, Any]) -> dict[str, Any]:
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

    def get_clock(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"offset_s": self.runtime.offset_s, "now": format_timestamp(self.runtime.now())}

    def set_quota(self, body: dict[str, Any]) -> dict[str, Any]:
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

    def list_jobs(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"jobs": [_job_json(job) for job in self.store.all_jobs()]}

    def inject(self, body: dict[str, Any]) -> dict[str, Any]:
        _only_keys(body, {"operation", "code", "message"})
        operation, code = body.get("operation"), body.get("code")
        if operation not in OPERATIONS:
            raise ControlError(f"operation must be one of {', '.join(OPERATIONS)}")
        if code not in MODELED_ERROR_CODES:
            raise ControlError("code must be the name of a modeled error shape, e.g. InvalidJobIdException")
        message = body.get("message", f"Injected {code}")
        if not isinstance(message, str):
            raise ControlError("message must be a string")
        self.runtime.inject_error(operation, MODELED_ERRORS[code](message))
        return {}


def _status_changes(body: dict[str, Any]) -> dict[str, Any]:
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


def _job_json(job: JobRecord) -> dict[str, Any]:
    return {**job.as_dict(), "creation_date": format_timestamp(job.created_at)}


def _json_body(request: Request) -> dict[str, Any]:
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


def _only_keys(body: dict[str, Any], allowed: set[str]) -> None:
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


def _json_response(document: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(document), status=status, content_type="application/json")
