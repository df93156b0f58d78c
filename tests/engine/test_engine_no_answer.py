"""What counts as "no answer" (wire/transport.py), and what `send_fresh` re-sends: only an exchange with
no status line at all, rebuilt (a fresh signature) for each attempt; never one that got any answer."""
from __future__ import annotations

import socket

import pytest

from conformance.wire.request_builder import build_get
from conformance.wire.transport import OutgoingRequest, Transport
from tests.support.loopback_server import LoopbackServer, read_request

OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\n<a/>\n"


class ScriptedServer(LoopbackServer):
    """Answers the n-th request with `answers[n]` (bytes to send, then the connection closes)."""

    def __init__(self, *answers: bytes):
        self.answers = list(answers)
        self.seen: list[bytes] = []
        super().__init__()

    def handle(self, connection: socket.socket) -> None:
        with connection:
            request = read_request(connection)
            if request is None:
                return
            self.seen.append(request[0])
            answer = self.answers[min(len(self.seen), len(self.answers)) - 1]
            if answer:
                connection.sendall(answer)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("answer, no_answer", [
    (b"", True),  # closed after reading the request: RemoteDisconnected
    (b"garbage\r\n\r\n", False),  # bytes that are no status line: an answer, judged as such
    (b"HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n<Lis", False),  # cut after the status line
])
def test_only_an_exchange_without_any_byte_back_is_no_answer(answer, no_answer):
    server = ScriptedServer(answer)
    transport = Transport(5.0, 1024 * 1024, retries=2)
    try:
        exchange = transport.send_fresh(lambda: build_get(f"{server.url}/"))
    finally:
        transport.close()
        server.close()
    assert exchange.no_answer is no_answer
    assert len(server.seen) == (3 if no_answer else 1)  # re-sent twice only when nothing came back
    assert transport.resent == (2 if no_answer else 0)


def test_a_refused_connection_is_no_answer_and_a_malformed_request_is_not():
    transport = Transport(2.0, 1024)
    try:
        refused = transport.send(build_get(f"http://127.0.0.1:{_closed_port()}/"))
        malformed = transport.send(OutgoingRequest("GET", f"http://127.0.0.1:{_closed_port()}/",
                                                   (("X-Broken", "a\r\nInjected: yes"),)))
    finally:
        transport.close()
    assert refused.response is None and refused.no_answer
    assert malformed.response is None and not malformed.no_answer


def test_each_resend_is_built_again_and_the_earlier_errors_are_kept():
    server = ScriptedServer(b"", OK)
    transport = Transport(5.0, 1024 * 1024, retries=2)
    built = []

    def build():
        built.append(len(built))
        return build_get(f"{server.url}/attempt-{len(built)}")

    try:
        exchange = transport.send_fresh(build)
    finally:
        transport.close()
        server.close()
    assert exchange.response is not None and exchange.response.status == 200 and not exchange.no_answer
    assert [head.split(b" ")[1] for head in server.seen] == [b"/attempt-1", b"/attempt-2"]
    assert len(exchange.earlier_attempts) == 1 and "RemoteDisconnected" in exchange.earlier_attempts[0]
