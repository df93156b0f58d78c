"""Requests served on waitress's own I/O thread, one after another, instead of on a pool of workers.

Why: the mock's work per request is Python code holding the interpreter lock (parsing, signature
check, SQLite reads from the page cache, the XML answer), about 0.6 ms of CPU. With waitress's usual
pool, every request crosses two threads: the I/O thread reads and parses it, a worker runs it, and
the worker wakes the I/O thread again through the trigger pipe. Each crossing is a hand-over of the
interpreter lock, and with several connections busy the lock passes between up to 17 threads, each
hand-over a futex wake-up and a context switch. Measured with `wrk` against GetStatus (bench/
wrk_capacity.py, side by side): with the pool, 2.2 voluntary context switches per request at one
connection and 30-50 at 4-16 connections; the CPU per request doubled (0.9 -> 1.8-2.3 ms) and the
mock served 0.5-0.7 of its single-connection rate. Run on the I/O thread, a request costs no
hand-over at all: no context switch per request, the same CPU per request at 1 and 16 connections.

What it costs: requests of all connections are answered one at a time. The mock's requests never
wait on the network (with `--s3-endpoint-url`, the S3 calls of CreateJob and of labels do, and
serialize with everything else), and SQLite's commit with `synchronous=FULL` (about 1 ms here) is the
only wait; durability is unchanged: a job is committed before its answer is written. Reading and
writing of sockets stays asynchronous: a slow or stalled client holds no request slot, because a
request runs only once waitress has read all of it, and its answer is flushed by the loop as the
client reads it.

`LoopTaskDispatcher` is waitress's `task_dispatcher` seam (`waitress.create_server(_dispatcher=...)`):
waitress's channels hand it each complete request; `LoopChannelMixin` runs them right after the read
that completed them (not inside it: waitress calls `add_task` holding the channel's request lock,
which `service` takes again), and never waits for another thread to flush output.
"""
from __future__ import annotations

import copy
import threading
from collections import deque
from typing import Any


class LoopTaskDispatcher:
    """A waitress task dispatcher without threads: tasks queue until the I/O loop runs them."""

    def __init__(self) -> None:
        self._pending: deque[Any] = deque()
        self.loop_thread: int | None = None

    def set_thread_count(self, count: int) -> None:
        """waitress's pool-size call; there is no pool."""

    def add_task(self, channel: Any) -> None:
        self._pending.append(channel)

    def run_pending(self) -> None:
        """Serve every queued request, in arrival order (a channel's next pipelined request re-queues it)."""
        self.loop_thread = threading.get_ident()
        while self._pending:
            self._pending.popleft().service()

    def on_loop_thread(self) -> bool:
        return self.loop_thread == threading.get_ident()

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        while self._pending:
            self._pending.popleft().cancel()
        return True


class LoopChannelMixin:
    """For a waitress `HTTPChannel`: run the requests a read completed, once the read is done, and
    send each answer (status line, headers and body) in one `send`.

    waitress writes the head and the body of an answer separately and, with its default
    `send_bytes=1`, sends each at once: two system calls and two TCP segments per answer. On the
    loop thread the channel buffers the head and sends it with the first bytes of the body, as soon
    as the application returns them (before waitress's own bookkeeping of the request, so that the
    client can already send its next request: sending after the whole request was measurably slower
    at one connection).
    """

    server: Any
    adj: Any

    def handle_read(self) -> None:
        super().handle_read()  # type: ignore[misc]
        dispatcher = self.server.task_dispatcher
        if isinstance(dispatcher, LoopTaskDispatcher):
            dispatcher.run_pending()

    def service(self) -> None:
        if not self._on_loop_thread():
            super().service()  # type: ignore[misc]
            return
        self.adj = self.server.loop_adjustments  # the head is buffered (see `write_soon`)
        try:
            super().service()  # type: ignore[misc]
        finally:
            self.adj = self.server.adj
        if self.total_outbufs_len:  # type: ignore[attr-defined]  # an answer without a body: its head alone
            self._flush_exception(self._flush_some, do_close=False)  # type: ignore[attr-defined]

    def write_soon(self, data: Any) -> int:
        """The first write of a request on the loop thread (its head) is only buffered; the server's
        own adjustments come back for the next (the body), which sends both at once."""
        written = super().write_soon(data)  # type: ignore[misc]
        if data:
            self.adj = self.server.adj
        return written

    def _flush_outbufs_below_high_watermark(self) -> None:
        """waitress waits here for the I/O thread to flush; on the I/O thread itself that would never end."""
        if self._on_loop_thread():
            if self.total_outbufs_len > self.adj.outbuf_high_watermark:  # type: ignore[attr-defined]
                with self.outbuf_lock:  # type: ignore[attr-defined]
                    self._flush_exception(self._flush_some, do_close=False)  # type: ignore[attr-defined]
            return  # the loop flushes the rest as the client reads
        super()._flush_outbufs_below_high_watermark()  # type: ignore[misc]

    def _on_loop_thread(self) -> bool:
        dispatcher = self.server.task_dispatcher
        return isinstance(dispatcher, LoopTaskDispatcher) and dispatcher.on_loop_thread()


def serve_on_loop(server: Any, dispatcher: LoopTaskDispatcher) -> None:
    """Prepare a waitress server whose channels mix in `LoopChannelMixin` to serve on its I/O loop.

    waitress pulls its trigger pipe after every request to wake the I/O loop; the loop is awake, so
    the pull is skipped there. `loop_adjustments` is a copy of the server's waitress `Adjustments`
    whose `send_bytes` (the output that makes `write_soon` send at once) is the high watermark: with
    it, the head of an answer is buffered until the first bytes of its body follow.
    """
    pull = server.pull_trigger

    def pull_trigger() -> None:
        if not dispatcher.on_loop_thread():
            pull()

    server.pull_trigger = pull_trigger
    adjustments = copy.copy(server.adj)
    adjustments.send_bytes = server.adj.outbuf_high_watermark
    server.loop_adjustments = adjustments
