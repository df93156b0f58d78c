"""A raw-socket TCP server on a free 127.0.0.1 port, for test servers that must control every byte.

Subclasses implement `handle(connection)`; the accept loop runs in a daemon thread and ends when
`close()` closes the listening socket. `read_request` reads one HTTP/1.1 request (head and
Content-Length body) off a connection, keeping what follows it for the next request.
"""
from __future__ import annotations

import socket
import threading


class LoopbackServer:
    """Accepts connections on 127.0.0.1 and hands each to `handle`, in the accept thread or (with
    `thread_per_connection`) in a thread of its own. Set attributes `handle` uses before `__init__`."""

    def __init__(self, thread_per_connection: bool = False):
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self._thread_per_connection = thread_per_connection
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            if self._thread_per_connection:
                threading.Thread(target=self.handle, args=(connection,), daemon=True).start()
            else:
                self.handle(connection)

    def close(self) -> None:
        self._socket.close()


def read_request(connection: socket.socket, buffered: bytes = b"") -> tuple[bytes, bytes, bytes] | None:
    """(head, body, leftover) of the next request on `connection` after `buffered`; None when the peer
    closes first. `head` is the request line and headers without the blank line."""
    while b"\r\n\r\n" not in buffered:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        buffered += chunk
    head, _, rest = buffered.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(rest) < length:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head, rest[:length], rest[length:]
