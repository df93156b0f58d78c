"""Socket-level test servers: one that records the exact request bytes, one that misbehaves.

`CaptureServer` answers every request with a fixed XML success and keeps the raw bytes it received.
`HostileServer` answers by path: `/xxe` and `/laughs` send entity attacks, `/huge` an endless-looking
50 MiB body, `/hang` headers-less silence, `/drip` a body trickling one byte at a time.
"""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.loopback_server import LoopbackServer, read_request

SUCCESS = (b'<CancelJobResponse xmlns="http://importexport.amazonaws.com/doc/2010-06-01/"><CancelJobResult>'
           b"<Success>true</Success></CancelJobResult><ResponseMetadata><RequestId>"
           b"6f8a7c2e-0000-11df-a381-155bec6f7c93</RequestId></ResponseMetadata></CancelJobResponse>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<CancelJobResponse xmlns="http://importexport.amazonaws.com/doc/2010-06-01/">&x;</CancelJobResponse>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">'
          + b"".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(2, 10))
          + b"]><lolz>&lol9;</lolz>")
HUGE_BYTES = 50 * 1024 * 1024


class CaptureServer(LoopbackServer):
    """Records each raw request (headers + Content-Length body) and answers with SUCCESS."""

    def __init__(self):
        self.requests: list[bytes] = []
        super().__init__()

    def handle(self, connection: socket.socket) -> None:
        with connection:
            request = read_request(connection)
            if request is None:
                return
            head, body, _ = request
            self.requests.append(head + b"\r\n\r\n" + body)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n"
                               b"Content-Length: %d\r\n\r\n" % len(SUCCESS) + SUCCESS)


class _HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        return

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.do_GET()

    def do_GET(self) -> None:
        if self.path == "/xxe":
            self._send(XXE)
        elif self.path == "/laughs":
            self._send(LAUGHS)
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"<a>" + b"x" * (1024 * 1024 - 3)
            try:
                for _ in range(HUGE_BYTES // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                return
        elif self.path == "/hang":
            time.sleep(30)
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                return


class HostileServer:
    """A threaded HTTP server whose answers attack the client (see module docstring)."""

    def __init__(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _HostileHandler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
