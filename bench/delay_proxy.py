"""A TCP proxy on 127.0.0.1 that delays every byte by a fixed time each way, like a network link.

`DelayProxy(upstream_port, one_way_ms)` listens on a free 127.0.0.1 port and forwards each
connection to `127.0.0.1:upstream_port`. Every chunk read in either direction is written on after
`one_way_ms` milliseconds (kept in order, later chunks not held up by earlier ones' waits), so a
request and its answer take one round trip of `2 * one_way_ms` more, and keep-alive connections,
pipelining and many connections at once behave as across a link with that latency. Bytes pass
unchanged (the Host header stays the proxy's, so signatures made for the proxy URL verify).

Bounded on purpose: loopback only (both ends), at most `MAX_ONE_WAY_MS` each way.

    python bench/delay_proxy.py --upstream-port 8080 --one-way-ms 25    # prints its URL, Ctrl-C stops
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
import time

LOOPBACK = "127.0.0.1"
MAX_ONE_WAY_MS = 1000
READ_BYTES = 65536


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay_s: float) -> None:
    """Copy `reader` to `writer`, each chunk `delay_s` after it arrived; close `writer` at the end."""
    queue: asyncio.Queue = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, chunk = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if chunk is None:
                break
            writer.write(chunk)
            await writer.drain()

    delivering = asyncio.ensure_future(deliver())
    try:
        while chunk := await reader.read(READ_BYTES):
            queue.put_nowait((time.monotonic() + delay_s, chunk))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((time.monotonic() + delay_s, None))
    with contextlib.suppress(ConnectionError, OSError):
        await delivering
    with contextlib.suppress(ConnectionError, OSError):
        writer.close()
        await writer.wait_closed()


class DelayProxy:
    """Serves on a free loopback port from a background thread until `close()`."""

    def __init__(self, upstream_port: int, one_way_ms: float):
        if not 0 <= one_way_ms <= MAX_ONE_WAY_MS:
            raise ValueError(f"one_way_ms must be from 0 to {MAX_ONE_WAY_MS}, got {one_way_ms}")
        self.upstream_port = upstream_port
        self.delay_s = one_way_ms / 1000
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), name="delay-proxy", daemon=True)
        self._thread.start()
        started.wait()
        assert self._server is not None, "started"
        self.port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://{LOOPBACK}:{self.port}"

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._connection, LOOPBACK, 0))
        started.set()
        self._loop.run_forever()

    async def _connection(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(LOOPBACK, self.upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, upstream_writer, self.delay_s),
                             _pipe(upstream_reader, client_writer, self.delay_s))

    def close(self) -> None:
        """Stop accepting, drop open connections and stop the thread."""
        def shutdown() -> None:
            assert self._server is not None, "started"
            self._server.close()
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            self._loop.stop()

        self._loop.call_soon_threadsafe(shutdown)
        self._thread.join(timeout=10)

    def __enter__(self) -> DelayProxy:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream-port", type=int, required=True, help="port of the server on 127.0.0.1")
    parser.add_argument("--one-way-ms", type=float, default=25.0,
                        help=f"delay each way in milliseconds, 0 to {MAX_ONE_WAY_MS} (default 25: 50 ms round trip)")
    arguments = parser.parse_args()
    try:
        proxy = DelayProxy(arguments.upstream_port, arguments.one_way_ms)
    except ValueError as error:
        parser.error(str(error))
    print(f"delay proxy: serving on {proxy.url} -> {LOOPBACK}:{arguments.upstream_port}, "
          f"{arguments.one_way_ms:g} ms each way", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    proxy.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
