"""The stub endpoint of the reader oracle: answers each request with the document registered for it.

A real HTTP server on 127.0.0.1 (http.server, one thread per request). The document is chosen by the
access key id the client signs with, `ORACLE` followed by the six-digit document number
(`ORACLE000017`): read from the SigV2 parameter `AWSAccessKeyId` (form body or query string) or from
`Credential=` in a SigV4 `Authorization` header. Nothing is verified; any secret key is accepted.
Every request is recorded (method, path, query, headers, body) so request shapes can be captured.

    with StubEndpoint() as stub:
        stub.register(17, Answer(200, {"Content-Type": "text/xml"}, b"<GetStatusResponse ..."))
        ... a client signs with access key id `access_key_id(17)` and posts to `stub.url` ...
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KEY_PREFIX = "ORACLE"
_KEY = re.compile(rf"{KEY_PREFIX}(\d{{6}})")
_SIGV4_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)")
UNREGISTERED = b"""<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="http://importexport.amazonaws.com/doc/2010-06-01/"><Error><Type>Sender</Type>\
<Code>OracleStubUnregistered</Code><Message>no document is registered for this access key id</Message>\
</Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"""


def access_key_id(number: int) -> str:
    """`ORACLE000017` for document 17."""
    return f"{KEY_PREFIX}{number:06d}"


@dataclass(frozen=True)
class Answer:
    """What the stub sends back: status, headers (Content-Type at least) and the exact body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StubState:
    answers: dict[int, Answer] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def document_number(query: str, headers: dict[str, str], body: bytes) -> int | None:
    """The document number the request's access key id names, or None."""
    candidates = parse_qs(query).get("AWSAccessKeyId", [])
    content_type = headers.get("content-type", "")
    if "x-www-form-urlencoded" in content_type:
        candidates += parse_qs(body.decode("utf-8", errors="replace")).get("AWSAccessKeyId", [])
    credential = _SIGV4_CREDENTIAL.search(headers.get("authorization", ""))
    if credential:
        candidates.append(credential.group(1))
    for candidate in candidates:
        match = _KEY.fullmatch(candidate)
        if match:
            return int(match.group(1))
    return None


def _handler_class(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as separate writes

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            with state.lock:
                state.requests.append(RecordedRequest(self.command, parts.path, parts.query, headers, body))
                number = document_number(parts.query, headers, body)
                answer = state.answers.get(number) if number is not None else None
            if answer is None:
                answer = Answer(400, {"Content-Type": "text/xml"}, UNREGISTERED)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, format, *args) -> None:
            return

    return Handler


class _StubServer(ThreadingHTTPServer):
    """http.server with a listen backlog for five SDK readers at once: socketserver's default of 5
    overflowed on a loaded machine, and the Ruby SDK's connection was reset (ECONNRESET) once."""

    request_queue_size = 128


class StubEndpoint:
    """The stub server in a background thread; `url`, `register`, `requests`."""

    def __init__(self) -> None:
        self.state = StubState()
        self._server = _StubServer(("127.0.0.1", 0), _handler_class(self.state))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="oracle-stub", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def register(self, number: int, answer: Answer) -> None:
        with self.state.lock:
            self.state.answers[number] = answer

    @property
    def requests(self) -> list[RecordedRequest]:
        with self.state.lock:
            return list(self.state.requests)

    def start(self) -> StubEndpoint:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubEndpoint:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
