"""A proxy on 127.0.0.1 that cuts one request in `every` before it is answered, as a flaky network or a
load balancer does: the connection closes after the request was read, with no byte of an answer,
and the backend never sees that request. Every other request goes to the backend byte for byte (so
signatures still verify) and its answer comes back with an exact Content-Length. Which requests are
cut is fixed by their order (the `every`-th, the 2x`every`-th, ...), so a run is repeatable.

    python -m tests.hostile.cutting_proxy BACKEND_URL [EVERY]
"""
from __future__ import annotations

import http.client
import socket
import sys
import threading
from urllib.parse import urlsplit

from tests.support.loopback_server import LoopbackServer, read_request

DROPPED_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})
BACKEND_TIMEOUT_S = 60.0


class CuttingProxy(LoopbackServer):
    """Forwards to `backend_url`; closes the client connection instead of answering every `every`-th request."""

    def __init__(self, backend_url: str, every: int):
        parts = urlsplit(backend_url)
        self.backend = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.every = every
        self.requests = 0
        self.cut = 0
        self._lock = threading.Lock()
        super().__init__(thread_per_connection=True)

    def handle(self, connection: socket.socket) -> None:
        with connection:
            buffered = b""
            while True:
                try:
                    request = read_request(connection, buffered)
                except OSError:
                    return
                if request is None:
                    return
                head, body, buffered = request
                with self._lock:
                    self.requests += 1
                    cut = self.requests % self.every == 0
                    self.cut += cut
                if cut:
                    return  # closes the connection: no answer at all
                try:
                    connection.sendall(self._forward(head, body))
                except OSError:
                    return

    def _forward(self, head: bytes, body: bytes) -> bytes:
        method = head.split(b" ", 1)[0].decode("ascii", errors="replace")
        with socket.create_connection(self.backend, timeout=BACKEND_TIMEOUT_S) as backend:
            backend.sendall(head + b"\r\n\r\n" + body)
            response = http.client.HTTPResponse(backend, method=method)
            response.begin()
            data = response.read()
        lines = [f"HTTP/1.1 {response.status} {response.reason}"]
        lines += [f"{name}: {value}" for name, value in response.getheaders() if name.lower() not in DROPPED_HEADERS]
        lines.append(f"Content-Length: {len(data)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


def main(argv: list[str]) -> int:
    proxy = CuttingProxy(argv[0], int(argv[1]) if len(argv) > 1 else 200)
    print(f"cutting proxy (one request in {proxy.every}) at {proxy.url}", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
