"""The mock's WSGI application: routing, the request pipeline, error envelopes and the access log.

`POST /` (form body) and `GET /` (query string) are the Query API; `GET /<bucket>/<label>.pdf` serves
shipping labels without authentication; `/_mock/` is the control API when enabled. A request goes
through: body size -> strict parameter decoding -> action -> authentication -> injected error ->
versions -> the action. Every response carries a fresh RequestId (in the XML body and the
`x-amzn-RequestId` header); an unexpected exception is answered with a 500 `InternalError`
envelope (never a traceback) and logged.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from werkzeug.wrappers import Request, Response

from mockserver import params
from mockserver.actions import ActionRequest, Actions
from mockserver.auth import authenticate
from mockserver.config import MockConfig
from mockserver.control import CONTROL_PREFIX, ControlApi
from mockserver.model import ApiError
from mockserver.responses import error_response, new_request_id, success_response
from mockserver.runtime import RuntimeState
from mockserver.store import JobStore
from mockserver.wire import read_wire_request

ACCESS_LOG = logging.getLogger("mockserver.access")
API_METHODS = ("GET", "POST")


@dataclass
class _Exchange:
    """What the access log line reports about one request."""

    request_id: str
    action: str = "-"


class MockApplication:
    """A WSGI callable serving the Import/Export API (and, with `admin`, the control API)."""

    def __init__(self, config: MockConfig, db_path: Path, admin: bool = False, admin_allow_remote: bool = False):
        self.config = config
        self.store = JobStore(db_path)
        self.runtime = RuntimeState(config.jobs_per_day)
        self.actions = Actions(config, self.store, self.runtime)
        self.control = ControlApi(config, self.store, self.runtime, admin_allow_remote) if admin else None

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        started = time.perf_counter()
        request = Request(environ)
        exchange = _Exchange(new_request_id())
        try:
            response = self._route(request, exchange)
        except ApiError as error:
            response = error_response(error, exchange.request_id)
        except Exception:
            ACCESS_LOG.exception("unexpected error in request %s", exchange.request_id)
            response = error_response(
                ApiError("InternalError", "The server encountered an internal error", 500, "Receiver"),
                exchange.request_id,
            )
        response.headers["x-amzn-RequestId"] = exchange.request_id
        ACCESS_LOG.info(
            "%s %s action=%s status=%d request_id=%s duration_ms=%.1f",
            request.method, request.path, exchange.action, response.status_code,
            exchange.request_id, (time.perf_counter() - started) * 1000,
        )
        return response(environ, start_response)

    def close(self) -> None:
        self.store.close()

    def _route(self, request: Request, exchange: _Exchange) -> Response:
        if request.path == "/":
            if request.method not in API_METHODS:
                raise _method_not_allowed(request.method)
            return self._api(request, exchange)
        if self.control is not None and request.path.startswith(CONTROL_PREFIX):
            exchange.action = "control"
            return self.control.handle(request)
        if request.method == "GET":
            pdf = self.store.load_label(request.path)
            if pdf is not None:
                exchange.action = "label"
                return Response(pdf, content_type="application/pdf")
        raise ApiError("NotFound", "The requested resource does not exist", 404)

    def _api(self, request: Request, exchange: _Exchange) -> Response:
        wire = read_wire_request(request)
        operation = params.operation_of(wire.params)
        exchange.action = operation
        now = self.runtime.now()
        signer = authenticate(wire, self.config.accounts, datetime.fromtimestamp(now, tz=timezone.utc))
        injected = self.runtime.take_injected_error(operation)
        if injected is not None:
            raise injected
        params.check_versions(wire.params)
        result = self.actions.run(operation, ActionRequest(wire.params, signer, wire.host, now))
        return success_response(operation, result, exchange.request_id)


def _method_not_allowed(method: str) -> ApiError:
    return ApiError("MethodNotAllowed", f"The method {method} is not allowed; use GET or POST", 405)
