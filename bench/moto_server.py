"""moto's ThreadedMotoServer on a free 127.0.0.1 port, as a child process of the benchmark.

Prints `moto: serving on http://127.0.0.1:PORT` and serves until terminated.
"""
from __future__ import annotations

import signal
import socket
import threading

from moto.server import ThreadedMotoServer


def main() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"moto: serving on http://127.0.0.1:{port}", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    server.stop()


if __name__ == "__main__":
    main()
