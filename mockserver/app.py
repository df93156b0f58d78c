"""The mock's WSGI application: routing, the request pipeline, error envelopes and the access log.

werkzeug's `Map` routes: `GET`/`POST /` is the Query API; `/_mock/...` is the control API
(`mockserver.admin`) when enabled; any other path is a stored shipping label (`GET`, no
authentication) or `NotFound`. An API request goes through: body size and strict decoding
(`protocol.http_request`) -> action (`protocol.params`) -> signature (`protocol.signatures`) ->
injected error -> versions -> the action's handler (`protocol.responses`) -> the backend
(`backend.jobs`). Routing faults (404, 405) and every `ApiError` become an `ErrorResponse`; an
unexpected exception becomes a 500 `InternalError` envelope (never a traceback) and is logged. Every
response carries a fresh RequestId (in the XML body and the `x-amzn-RequestId` header). Each request
logs one access record (text line or JSON, `mockserver.logs`) naming the signer's access key id.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from werkzeug import exceptions as http
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from mockserver import exceptions
from mockserver.admin import ControlApi
from mockserver.backend.buckets import BucketDirectory, ConfigBuckets, S3Buckets
from mockserver.backend.jobs import JobsBackend
from mockserver.backend.store import JobStore
from mockserver.config import MockConfig
from mockserver.exceptions import ApiError
from mockserver.protocol import params
from mockserver.protocol.http_request import read_wire_request
from mockserver.protocol.responses import ApiCall, ImportExportResponses
from mockserver.protocol.serialize import error_response, new_request_id, success_response
from mockserver.protocol.signatures import authenticate
from mockserver.runtime import RuntimeState

ACCESS_LOG = logging.getLogger("mockserver.access")
API_METHODS = ("GET", "POST")
_API_RULES = [
    Rule("/", methods=API_METHODS, endpoint="api"),
    Rule("/<path:label_path>", endpoint="label"),
]
_ADMIN_RULES = [Rule("/_mock/<tail:call>", endpoint="control")]
_ROUTING_ENVIRON_KEYS = (
    "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME",
    "SERVER_PORT", "HTTP_CONNECTION", "HTTP_UPGRADE",
)
_MAX_REMEMBERED_ROUTES = 1024
_LONGEST_REMEMBERED_KEY = 1024  # characters of path, host...: a client's long paths cannot fill memory


class _TailConverter(BaseConverter):
    """The rest of the path, whatever it holds (empty, or starting with a slash)."""

    regex = ".*"
    part_isolating = False


@dataclass
class _Exchange:
    """What the access log line reports about one request."""

    request_id: str
    action: str = "-"
    account: str | None = None


class MockApplication:
    """A WSGI callable serving the Import/Export API (and, with `admin`, the control API)."""

    def __init__(self, config: MockConfig, db_path: Path, admin: bool = False, admin_allow_remote: bool = False):
        self.config = config
        self.store = JobStore(db_path)
        self.runtime = RuntimeState(config.jobs_per_day)
        buckets: BucketDirectory = (
            S3Buckets(config.s3_endpoint_url, config.accounts) if config.s3_endpoint_url
            else ConfigBuckets(config.buckets, self.store)
        )
        self.backend = JobsBackend(config, self.store, self.runtime, buckets)
        self.responses = ImportExportResponses(self.backend)
        self.control = (ControlApi(config, self.store, self.runtime, admin_allow_remote, backend=self.backend)
                        if admin else None)
        rules = (_ADMIN_RULES if admin else []) + _API_RULES
        self.url_map = Map(
            [rule.empty() for rule in rules], converters={"tail": _TailConverter}, merge_slashes=False
        )
        self._endpoints: dict[tuple[Any, ...], str] = {}

    def warm_up(self) -> None:
        """Do the slow first-use work before serving (the label renderer: fpdf2 import, first PDF)."""
        self.backend.warm_up()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        started = time.perf_counter()
        request = Request(environ)
        exchange = _Exchange(new_request_id())
        try:
            response = self._route(request, exchange)
        except ApiError as error:
            response = error_response(error, exchange.request_id)
        except Exception:  # noqa: BLE001 - the contract: never a traceback, always an ErrorResponse
            ACCESS_LOG.exception("unexpected error in request %s", exchange.request_id)
            response = error_response(
                exceptions.InternalError("The server encountered an internal error"), exchange.request_id
            )
        response.headers["x-amzn-RequestId"] = exchange.request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        access = {
            "method": request.method, "path": request.path, "action": exchange.action,
            "status": response.status_code, "request_id": exchange.request_id,
            "duration_ms": duration_ms, "access_key_id": exchange.account,
        }
        ACCESS_LOG.info(
            "%s %s action=%s status=%d request_id=%s duration_ms=%.1f",
            request.method, request.path, exchange.action, response.status_code,
            exchange.request_id, duration_ms, extra={"access": access},
        )
        return response(environ, start_response)

    def close(self) -> None:
        self.store.close()

    def _route(self, request: Request, exchange: _Exchange) -> Response:
        try:
            endpoint = self._endpoint_of(request.environ)
        except http.MethodNotAllowed:
            raise _method_not_allowed(request.method) from None
        except http.HTTPException:
            raise _not_found() from None
        if endpoint == "control" and self.control is not None:
            exchange.action = "control"
            return self.control.handle(request)
        if endpoint == "api":
            # werkzeug lets HEAD through wherever GET is allowed; the API answers only GET and POST.
            if request.method not in API_METHODS:
                raise _method_not_allowed(request.method)
            return self._api(request, exchange)
        if request.method == "GET":
            pdf = self.store.load_label(request.path)
            if pdf is not None:
                exchange.action = "label"
                return Response(pdf, content_type="application/pdf")
        raise _not_found()

    def _endpoint_of(self, environ: dict[str, Any]) -> str:
        """The endpoint werkzeug's `Map` matches for this request; a match is remembered by everything
        `bind_to_environ` and `match` read from the environ (the query string only shapes redirects,
        which are exceptions and never remembered)."""
        key = tuple(environ.get(name) for name in _ROUTING_ENVIRON_KEYS)
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            endpoint, _ = self.url_map.bind_to_environ(environ).match()
            if sum(len(part) for part in key if isinstance(part, str)) <= _LONGEST_REMEMBERED_KEY:
                if len(self._endpoints) >= _MAX_REMEMBERED_ROUTES:
                    self._endpoints.clear()
                self._endpoints[key] = endpoint
        return endpoint

    def _api(self, request: Request, exchange: _Exchange) -> Response:
        wire = read_wire_request(request)
        operation = params.operation_of(wire.params)
        exchange.action = operation
        now = self.runtime.now()
        clocks = [datetime.fromtimestamp(moment, tz=timezone.utc) for moment in (now, time.time())]
        signer = authenticate(wire, self.config.accounts, clocks)
        exchange.account = signer
        injected = self.runtime.take_injected_error(operation)
        if injected is not None:
            raise injected
        params.check_versions(wire.params)
        result = self.responses.dispatch(operation, ApiCall(wire.params, signer, wire.host, now))
        return success_response(operation, result, exchange.request_id)


def _not_found() -> ApiError:
    return exceptions.NotFound("The requested resource does not exist")


def _method_not_allowed(method: str) -> ApiError:
    return exceptions.MethodNotAllowed(f"The method {method} is not allowed; use GET or POST")
