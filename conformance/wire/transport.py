"""Sending one HTTP request and capturing both sides exactly, with limits against hostile endpoints.

The request goes out with exactly the headers listed (the session adds none, ignores proxy and netrc
settings from the environment, and never follows redirects), so `OutgoingRequest.wire_bytes()` is
what the endpoint received. The response is read as a stream: the read timeout applies to every
socket read, the whole body must arrive within the same number of seconds, and reading stops at a
size cap (8 MiB by default). A hang, a slow drip or an endless body becomes an `Exchange` with an
`error`, never a stuck or bloated test run.

An exchange that got **no answer** (`Exchange.no_answer`: the connection was refused, reset or
closed, or the time ran out, before a status line arrived) is not a verdict on the target: the
reports keep it apart from a nonconformant answer. Bytes that came back but do not make a status
line (a garbled one, one too long) are an answer. `send_fresh` re-sends, up to `retries` times
(`--transport-retries`, default 0), only an exchange that got no answer, building the request again
each time (a fresh signature and timestamp); an answer cut off after its status line is never
re-sent. The exchange that counts records the errors of the attempts before it (`earlier_attempts`).
"""
from __future__ import annotations

import dataclasses
import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import urllib3

READ_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class OutgoingRequest:
    """A request exactly as it goes on the wire (plus the string that was signed, for display)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    string_to_sign: str = ""

    @property
    def target(self) -> str:
        """The request-target of the request line: path plus query."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def wire_bytes(self) -> bytes:
        """Request line, headers and body as sent (HTTP/1.1)."""
        head = f"{self.method} {self.target} HTTP/1.1\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in self.headers)
        return head.encode("latin-1", errors="replace") + b"\r\n" + self.body


@dataclass(frozen=True)
class ReceivedResponse:
    """The status line, headers (duplicates kept, in order) and body bytes that came back."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool = False

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True)
class Exchange:
    """One request and what came back; `error` says why the exchange did not complete, `no_answer`
    that no status line came back at all, `earlier_attempts` the errors of the sends before this one."""

    request: OutgoingRequest
    response: ReceivedResponse | None
    error: str | None = None
    elapsed_s: float = 0.0
    no_answer: bool = False
    earlier_attempts: tuple[str, ...] = ()


def _causes(error: BaseException) -> list[BaseException]:
    """`error` and every exception it wraps (causes, contexts, urllib3's `reason` and wrapped args)."""
    found: list[BaseException] = []
    pending = [error]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None),
                  *(arg for arg in current.args if isinstance(arg, BaseException))]
        pending.extend(item for item in linked if isinstance(item, BaseException))
    return found


def got_bytes(error: BaseException) -> bool:
    """True when the failure shows that bytes of a response arrived (a garbled or overlong status line)."""
    return any(isinstance(cause, (http.client.BadStatusLine, http.client.LineTooLong))
               and not isinstance(cause, http.client.RemoteDisconnected) for cause in _causes(error))


class Transport:
    """Sends `OutgoingRequest`s with fixed limits: one requests.Session per thread (a session is not
    meant to be shared between threads; `--concurrency` sends from several), each keeping its
    connection alive."""

    def __init__(self, timeout_s: float, max_body_bytes: int, retries: int = 0):
        self.timeout_s = timeout_s
        self.max_body_bytes = max_body_bytes
        self.retries = retries
        self.resent = 0  # exchanges re-sent after no answer, over this transport's life
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers.clear()
            session.trust_env = False
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every thread's pooled connections."""
        with self._sessions_lock:
            for session in self._sessions:
                session.close()

    def send(self, request: OutgoingRequest) -> Exchange:
        """Send `request` and capture the response within the time and size limits."""
        started = time.monotonic()
        try:
            prepared = self._session.prepare_request(requests.Request(
                method=request.method, url=request.url, headers=dict(request.headers),
                data=request.body or None,
            ))
        except (requests.RequestException, ValueError) as error:  # cannot be sent as given: not a network fault
            return Exchange(request, None, f"request failed: {type(error).__name__}: {error}")
        try:
            response = self._session.send(prepared, stream=True, timeout=(self.timeout_s, self.timeout_s),
                                          allow_redirects=False)
        except requests.Timeout:
            return Exchange(request, None, f"no response within {self.timeout_s:g} s (--timeout)",
                            time.monotonic() - started, no_answer=True)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as error:
            network = isinstance(error, (requests.ConnectionError, urllib3.exceptions.ProtocolError, OSError))
            return Exchange(request, None, f"request failed: {type(error).__name__}: {error}",
                            time.monotonic() - started, no_answer=network and not got_bytes(error))
        try:
            body, truncated, read_error = self._read_body(response, started)
        finally:
            response.close()
        received = ReceivedResponse(
            status=response.status_code,
            reason=response.reason or "",
            headers=tuple(response.raw.headers.items()),
            body=body,
            truncated=truncated,
        )
        return Exchange(request, received, read_error, time.monotonic() - started)

    def send_fresh(self, build: Callable[[], OutgoingRequest]) -> Exchange:
        """Send `build()`; while the exchange got no answer and retries remain, build the request again
        (fresh timestamp and signature) and re-send it."""
        exchange = self.send(build())
        earlier: list[str] = []
        while exchange.no_answer and len(earlier) < self.retries:
            earlier.append(exchange.error or "no answer")
            with self._sessions_lock:  # counted from several threads under --concurrency
                self.resent += 1
            exchange = self.send(build())
        return dataclasses.replace(exchange, earlier_attempts=tuple(earlier)) if earlier else exchange

    def _read_body(self, response: requests.Response, started: float) -> tuple:
        chunks: list[bytes] = []
        size = 0
        deadline = started + self.timeout_s
        try:
            while True:
                if time.monotonic() > deadline:
                    return b"".join(chunks), True, (
                        f"the response body did not finish within {self.timeout_s:g} s (--timeout)")
                chunk = response.raw.read1(READ_CHUNK_BYTES, decode_content=False)
                if not chunk:
                    return b"".join(chunks), False, None
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_body_bytes:
                    return b"".join(chunks)[: self.max_body_bytes], True, (
                        f"the response body exceeds the {self.max_body_bytes} byte limit; reading stopped")
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as error:
            return b"".join(chunks), True, f"reading the response body failed: {type(error).__name__}: {error}"
