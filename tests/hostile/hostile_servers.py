"""Hostile HTTP endpoints for running the whole suite against: one server per misbehaviour.

Every server speaks raw sockets (so it can also break HTTP itself), answers a proper minimal
`ListJobs` (no jobs) and `GetStatus` (a Pending job) success, so a preflight check against it passes,
and is hostile for every other request. `BEHAVIOURS` names them:

  laughs     a 200 whose XML body is a billion-laughs entity bomb
  xxe        a 200 whose XML body pulls a local file in through an external entity (`secret_file`)
  huge       a 200 announcing and sending a 100 MB body
  hang       accepts and reads the request, never answers
  drip       a 200 whose body trickles one byte per second
  redirect301, redirect307
             a redirect to another port on 127.0.0.1, served by a `RecordingServer` that counts hits
  garbage    a garbage status line
  cutoff     a Content-Length of 4096, 100 bytes of body, then the connection closes
  wronglength
             a Content-Length shorter than the body, the rest left on a kept-alive connection
  labelurl   answers every action with a plausible success, and GetShippingLabel with a
             ShippingLabelURL on another port (a `RecordingServer`): the suite must not fetch it

Run as a module (`python -m tests.hostile.hostile_servers BEHAVIOUR`) it serves one behaviour and prints its URL.
"""
from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.support.loopback_server import LoopbackServer, read_request

NS = "http://importexport.amazonaws.com/doc/2010-06-01/"
HUGE_BYTES = 100 * 1024 * 1024
XXE_MARKER = "HOSTILE-XXE-MARKER-7f3a"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">'
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10))
          + f']><CreateJobResponse xmlns="{NS}">&lol9;</CreateJobResponse>').encode()
BEHAVIOURS = ("laughs", "xxe", "huge", "hang", "drip", "redirect301", "redirect307",
              "garbage", "cutoff", "wronglength", "labelurl")
# Behaviours whose every request costs the client its whole timeout: tests run a slice of the suite.
SLOW_BEHAVIOURS = ("hang", "drip")


def _success(operation: str, result: str) -> bytes:
    body = (f'<{operation}Response xmlns="{NS}"><{operation}Result>{result}</{operation}Result>'
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            f"</{operation}Response>").encode()
    return _head(200, len(body)) + body


def _head(status: int, length: int, extra: str = "", content_type: str = "text/xml") -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 307: "Temporary Redirect"}.get(status, "X")
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


PREFLIGHT_ANSWERS = {
    "ListJobs": lambda: _success("ListJobs", "<Jobs></Jobs><IsTruncated>false</IsTruncated>"),
    "GetStatus": lambda: _success(
        "GetStatus",
        "<JobId>ABCDE</JobId><JobType>Import</JobType><LocationCode>Pending</LocationCode>"
        "<LocationMessage>The specified job has not started.</LocationMessage>"
        "<ProgressCode>Pending</ProgressCode><ProgressMessage>The specified job has not started."
        "</ProgressMessage><Carrier>UPS</Carrier><TrackingNumber></TrackingNumber>"
        "<LogBucket></LogBucket><LogKey></LogKey><ErrorCount>0</ErrorCount>"
        "<Signature>abc</Signature><SignatureFileContents>version:2.0</SignatureFileContents>"
        "<CurrentManifest>manifestVersion: 2.0</CurrentManifest>"
        "<CreationDate>2010-04-01T00:00:00Z</CreationDate>",
    ),
}


class RecordingServer(LoopbackServer):
    """Counts every connection it accepts (a host the client must never reach) and answers 200."""

    def __init__(self):
        self.hits = 0
        super().__init__()

    @property
    def url(self) -> str:
        return f"{super().url}/"

    def handle(self, connection: socket.socket) -> None:
        self.hits += 1
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(_head(200, 0))
            except OSError:
                pass


class HostileEndpoint(LoopbackServer):
    """A raw-socket HTTP server: preflight calls succeed, everything else meets `behaviour`."""

    def __init__(self, behaviour: str):
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}; one of {', '.join(BEHAVIOURS)}")
        self.behaviour = behaviour
        self.recorder: RecordingServer | None = (
            RecordingServer() if behaviour.startswith("redirect") or behaviour == "labelurl" else None)
        self._scratch = tempfile.TemporaryDirectory(prefix="hostile-")
        self.secret_file = Path(self._scratch.name) / "secret.txt"
        self.secret_file.write_text(XXE_MARKER + "\n")
        self._closed = threading.Event()
        self.requests = 0
        super().__init__(thread_per_connection=True)

    def close(self) -> None:
        self._closed.set()
        super().close()
        if self.recorder is not None:
            self.recorder.close()
        self._scratch.cleanup()

    def handle(self, connection: socket.socket) -> None:
        with connection:
            buffered = b""
            try:
                while not self._closed.is_set():
                    action, buffered = _read_request(connection, buffered)
                    if action is None:
                        return
                    self.requests += 1
                    answer = PREFLIGHT_ANSWERS.get(action)
                    if answer is not None:
                        connection.sendall(answer())
                    elif not self._attack(connection, action):
                        return
            except OSError:
                return

    def _attack(self, connection: socket.socket, action: str) -> bool:
        """Misbehave on `connection`; True when the connection may serve another request."""
        attacks: dict[str, Callable[[socket.socket], bool]] = {
            "laughs": lambda c: _send(c, _head(200, len(LAUGHS)) + LAUGHS),
            "xxe": self._xxe,
            "huge": _huge,
            "hang": self._hang,
            "drip": self._drip,
            "redirect301": lambda c: self._redirect(c, 301),
            "redirect307": lambda c: self._redirect(c, 307),
            "garbage": lambda c: _send(c, b"HTTX/9.Z \x00\xff garbage\r\nno header here\r\n\r\n", keep=False),
            "cutoff": lambda c: _send(c, _head(200, 4096) + b"<CreateJobResponse>" + b"x" * 81, keep=False),
            "wronglength": lambda c: _send(c, _head(200, 20) + _success("CreateJob", "<JobId>X</JobId>")),
            "labelurl": lambda c: _send(c, self._plausible(action)),
        }
        return attacks[self.behaviour](connection)

    def _plausible(self, action: str) -> bytes:
        assert self.recorder is not None
        results = {
            "CreateJob": "<JobId>ABCDE</JobId><JobType>Import</JobType><Signature>c2ln</Signature>"
                         "<SignatureFileContents>version:2.0</SignatureFileContents><WarningMessage></WarningMessage>",
            "GetShippingLabel": f"<ShippingLabelURL>{self.recorder.url}label.pdf</ShippingLabelURL>",
            "CancelJob": "<Success>true</Success>",
            "UpdateJob": "<Success>true</Success><WarningMessage></WarningMessage>",
        }
        return _success(action, results.get(action, ""))

    def _xxe(self, connection: socket.socket) -> bool:
        body = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{self.secret_file.as_uri()}">]>'
                f'<CreateJobResponse xmlns="{NS}"><CreateJobResult><JobId>&x;</JobId></CreateJobResult>'
                f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
                f"</CreateJobResponse>").encode()
        return _send(connection, _head(200, len(body)) + body)

    def _hang(self, connection: socket.socket) -> bool:
        self._closed.wait()
        return False

    def _drip(self, connection: socket.socket) -> bool:
        connection.sendall(_head(200, 1000))
        for _ in range(1000):
            if self._closed.wait(1.0):
                break
            connection.sendall(b"<")
        return False

    def _redirect(self, connection: socket.socket, status: int) -> bool:
        assert self.recorder is not None
        return _send(connection, _head(status, 0, f"Location: {self.recorder.url}\r\n"))


def _send(connection: socket.socket, data: bytes, keep: bool = True) -> bool:
    connection.sendall(data)
    return keep


def _huge(connection: socket.socket) -> bool:
    connection.sendall(_head(200, HUGE_BYTES))
    chunk = b"<a>" + b"x" * (1024 * 1024 - 3)
    for _ in range(HUGE_BYTES // len(chunk)):
        connection.sendall(chunk)
    return True


def _read_request(connection: socket.socket, buffered: bytes) -> tuple[str | None, bytes]:
    """Read one request; return its Action ("" when it has none, None when the peer closed) and the leftover."""
    request = read_request(connection, buffered)
    if request is None:
        return None, b""
    head, body, leftover = request
    request_line = head.decode("latin-1").split("\r\n")[0].split(" ")
    fields = parse_qs(urlsplit(request_line[1] if len(request_line) > 1 else "/").query)
    fields.update(parse_qs(body.decode("utf-8", "replace")))
    return fields.get("Action", [""])[0], leftover


def main(argv: list[str]) -> int:
    endpoint = HostileEndpoint(argv[0] if argv else "hang")
    print(f"hostile endpoint ({endpoint.behaviour}) at {endpoint.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        endpoint.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
