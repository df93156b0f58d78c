"""The mock's HTTP server: waitress, with two repairs so that every answer is an ErrorResponse or a result.

`create_server` builds the waitress server the command line runs (and the tests serve in-process).
It passes waitress a channel class of ours that changes two things:

1. **`Expect: 100-continue` on a request that is already complete** (waitress 3.0.2 bug). The parser
   marks a request `completed` as soon as its head is read when there is no body to wait for
   (`Content-Length: 0`, or no length at all) or when the head is in error (431, 413 from the
   Content-Length, 400). `HTTPChannel.received` then still sees `expect_continue` and calls
   `send_continue`, which writes `HTTP/1.1 100 Continue` *and sets `request.completed = False`*: the
   request is never queued, no body ever comes, and the client waits forever. Our parser drops
   `expect_continue` once a request is complete; RFC 9110 section 10.1.1 lets a server omit the 100
   when it already has the whole request (or answers it with a final status). Requests whose body is
   still to come get their `100 Continue` as before.
2. **Waitress's own error answers** (the parser's 400 for a malformed head, 431 for a head over
   `max_request_header_size`, 413 for a body over `max_request_body_size`, 501 for an unknown
   Transfer-Encoding, 500 if the application raised) are plain text. Our error task answers them with
   the mock's `ErrorResponse` XML (`protocol.serialize.error_response`), a fresh RequestId in the body
   and in `x-amzn-RequestId`, and logs one access line. The status is kept for the 4xx; the 501 is a
   malformed request to the mock and becomes a 400 (the mock never answers a client's error with a
   5xx). The connection is closed after such an answer, as waitress does; the server serves the next
   connection as usual.

It also fixes glibc's mmap threshold at 128 KiB (`mallopt(M_MMAP_THRESHOLD)`, where the C library has
`mallopt`), so that request-sized buffers (bodies up to 1 MiB, manifests, query strings) are mapped
and unmapped rather than kept in each worker thread's malloc arena. By default glibc raises the
threshold after the first large free, and the arenas of 16 workers (waitress's pool, before the
mock served on its I/O thread: `loop_dispatch`) then held on to their largest
requests: over 20,000 fuzzed requests the RSS grew by about 145 MiB, with the threshold fixed by 55 MiB
(bench/fuzz_mock.py, seed 20261130). Elsewhere the call is skipped.
"""
from __future__ import annotations

import ctypes
import logging
from typing import Any

import waitress
from waitress import utilities as waitress_errors
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from mockserver import exceptions
from mockserver.loop_dispatch import LoopChannelMixin, LoopTaskDispatcher, serve_on_loop
from mockserver.protocol.serialize import error_response, new_request_id

MMAP_THRESHOLD_BYTES = 128 * 1024
_M_MMAP_THRESHOLD = -3  # glibc malloc.h

ACCESS_LOG = logging.getLogger("mockserver.access")

# waitress error class -> the mock's error class (same status unless the mapping says otherwise)
_ERRORS: dict[type[waitress_errors.Error], type[exceptions.ApiError]] = {
    waitress_errors.BadRequest: exceptions.BadRequest,
    waitress_errors.RequestHeaderFieldsTooLarge: exceptions.RequestHeaderFieldsTooLarge,
    waitress_errors.RequestEntityTooLarge: exceptions.RequestEntityTooLarge,
    waitress_errors.ServerNotImplemented: exceptions.BadRequest,
    waitress_errors.InternalServerError: exceptions.InternalError,
}


class CompleteRequestParser(HTTPRequestParser):
    """waitress's parser, except that a complete request no longer expects a `100 Continue` (fix 1)."""

    def received(self, data: bytes) -> int:
        consumed = super().received(data)
        if self.completed:
            self.expect_continue = False
        return consumed


class XmlErrorTask(ErrorTask):
    """Answers a request waitress refused itself with the mock's `ErrorResponse` XML (fix 2)."""

    def execute(self) -> None:
        error = self.request.error
        request_id = new_request_id()
        api_error = _api_error(error)
        response = error_response(api_error, request_id)
        body = response.get_data()
        self.status = f"{response.status_code} {_reason(error, response.status_code)}"
        self.response_headers.extend([
            ("Content-Type", response.headers["Content-Type"]),
            ("x-amzn-RequestId", request_id),
        ])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)
        ACCESS_LOG.info(
            "%s %s action=- status=%d request_id=%s refused_by_http_layer=%s",
            getattr(self.request, "command", None) or "-", getattr(self.request, "path", None) or "-",
            response.status_code, request_id,
            type(error).__name__,
        )


class MockChannel(LoopChannelMixin, HTTPChannel):
    """A waitress channel using the two repairs above, serving on the I/O loop (`loop_dispatch`)."""

    parser_class = CompleteRequestParser
    error_task_class = XmlErrorTask


def create_server(application: Any, host: str, port: int, worker_threads: int = 0) -> Any:
    """A waitress server for `application` on host:port (bound, not yet running), with `MockChannel`.

    `worker_threads=0` (the default) runs each request on the server's I/O thread
    (`loop_dispatch`); a positive count uses waitress's usual pool of that many workers instead (kept
    to measure the two side by side: bench/wrk_capacity.py). Raises OSError when the address cannot be
    bound.
    """
    fix_mmap_threshold()
    socket_map: dict[int, Any] = {}
    dispatcher = LoopTaskDispatcher() if worker_threads == 0 else None
    server = waitress.create_server(application, map=socket_map, host=host, port=port,
                                    threads=max(worker_threads, 1), _dispatcher=dispatcher)
    for listener in socket_map.values():
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = MockChannel
            if dispatcher is not None:
                serve_on_loop(listener, dispatcher)
    return server


def fix_mmap_threshold() -> bool:
    """Have large allocations mapped and returned to the system on free (glibc); False where unsupported."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, TypeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1


def _api_error(error: waitress_errors.Error) -> exceptions.ApiError:
    error_class = _ERRORS.get(type(error), exceptions.BadRequest)
    if error_class is exceptions.InternalError:
        return exceptions.InternalError("The server encountered an internal error")
    return error_class(f"{error.reason}: {error.body}")


def _reason(error: waitress_errors.Error, status: int) -> str:
    return error.reason if error.code == status else "Bad Request"
