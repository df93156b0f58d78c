"""Running cases at once against one endpoint while keeping the serial verdict (`--concurrency N`).

pytest still runs the items one by one, in its order, and reports them as in a serial run; only the
exchanges move. `ConcurrentCases` hands the selected items to N worker threads as soon as the run
loop starts; an item's `runtest` then waits for its own outcome (an exception is raised again in
pytest's thread, so failures, skips and reports are those of a serial run).

What keeps the verdict is the case model's `SharedState` (cases/shared_state.py): two items whose
shared state conflicts are never in flight at once. Items are dispatched in this order: the ones
that need the whole target (clock, quota, injected errors) one at a time first, then the ones that
read an account's listing order, in pytest's order, then the others, costliest first. An item starts only
when it conflicts with no running item and with no item before it in that order that is still
waiting, so items that share state run in order, one at a time, and nothing overtakes a waiting
item it conflicts with.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.cases.shared_state import SharedState

WORKER_NAME = "importexport-case"


def merged(states: Sequence[SharedState]) -> SharedState | None:
    """One state that conflicts with exactly what any of `states` conflicts with; None for no state
    (which conflicts with nothing, unlike an independent case, which a whole-target case excludes)."""
    if not states:
        return None
    return SharedState(any(state.whole_target for state in states),
                       frozenset().union(*(state.listing_order for state in states)),
                       frozenset().union(*(state.listing_writes for state in states)))


def _conflict(state: SharedState, others: SharedState | None) -> bool:
    return others is not None and state.conflicts_with(others)


def dispatch_rank(state: SharedState) -> int:
    """Whole-target items first, then listing-order readers, then the rest."""
    return 0 if state.whole_target else 1 if state.listing_order else 2


def dispatch_key(state: SharedState, position: int, cost: float) -> tuple[int, float, int]:
    """Where an item goes in the dispatch order: by rank, then in pytest's order (`position`), except
    that the rest (rank 2) go costliest first. Two items of the rest never conflict (neither needs
    the whole target nor reads a listing's order), so their order cannot change a verdict; starting
    the long ones (property cases, which send many requests one after another) first keeps them from
    finishing alone at the end of the run."""
    rank = dispatch_rank(state)
    return rank, -cost if rank == 2 else 0.0, position


@dataclass(eq=False)
class _Task:
    item: Any
    state: SharedState
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class ConcurrentCases:
    """Runs `execute(item)` for every item on `workers` threads, never two conflicting ones at once.

    `prepare()` runs first on a worker thread (resolving the target); if it raises, nothing runs
    ahead and every item runs inline in pytest's thread as in a serial run. `cost(item)` estimates
    how many requests an item sends, one after another (see `dispatch_key`).
    """

    def __init__(self, items: Sequence[tuple[Any, SharedState]], workers: int,
                 execute: Callable[[Any], None], prepare: Callable[[], object],
                 cost: Callable[[Any], float] = lambda item: 0.0):
        tasks = [_Task(item, state) for item, state in items]
        self._tasks = {id(task.item): task for task in tasks}
        ranked = sorted(enumerate(tasks), key=lambda pair: dispatch_key(pair[1].state, pair[0], cost(pair[1].item)))
        self._pending = [task for _, task in ranked]
        self._running: list[_Task] = []
        self._execute = execute
        self._prepare = prepare
        self._workers = workers
        self._threads: list[threading.Thread] = []
        self._condition = threading.Condition()
        self._stopping = False
        self._active = threading.Event()
        self._prepared = threading.Event()
        self.dispatch_order: list[Any] = []

    def start(self) -> None:
        """Start the workers (the first one prepares the target)."""
        for number in range(self._workers):
            thread = threading.Thread(target=self._work, args=(number == 0,), daemon=True,
                                      name=f"{WORKER_NAME}-{number}")
            thread.start()
            self._threads.append(thread)

    def _work(self, preparing: bool) -> None:
        if preparing:
            try:
                self._prepare()
            except BaseException:  # noqa: BLE001 - the items report it when they run inline
                self._prepared.set()
                return
            self._active.set()
            self._prepared.set()
        self._prepared.wait()
        if not self._active.is_set():
            return
        while (task := self._next()) is not None:
            try:
                self._execute(task.item)
            except BaseException as error:  # noqa: BLE001 - raised again in pytest's thread
                task.error = error
            finally:
                with self._condition:
                    self._running.remove(task)
                    self._condition.notify()
                task.done.set()

    def _next(self) -> _Task | None:
        with self._condition:
            while True:
                if self._stopping or not self._pending:
                    return None
                task = self._startable()
                if task is not None:
                    self._pending.remove(task)
                    self._running.append(task)
                    self.dispatch_order.append(task.item)
                    self._condition.notify()  # another task may be startable too: one more worker looks
                    return task
                self._condition.wait()

    def _startable(self) -> _Task | None:
        running = merged([task.state for task in self._running])
        waiting_order: set[str] = set()
        waiting_writes: set[str] = set()
        any_waiting = False
        for task in self._pending:
            state = task.state
            blocked_by_waiting = (state.listing_order & waiting_writes or state.listing_writes & waiting_order
                                  or (state.whole_target and any_waiting))
            if not _conflict(state, running) and not blocked_by_waiting:
                return task
            if state.whole_target:
                return None  # everything behind it waits for it
            waiting_order |= state.listing_order
            waiting_writes |= state.listing_writes
            any_waiting = True
        return None

    def covers(self, item: Any) -> bool:
        """True when `item` is run (or was run) by the workers."""
        self._prepared.wait()
        return self._active.is_set() and id(item) in self._tasks

    def outcome(self, item: Any) -> None:
        """Wait for `item`'s run; raise what it raised."""
        task = self._tasks[id(item)]
        while not task.done.wait(0.5):
            with self._condition:
                if self._stopping and task in self._pending:
                    raise RuntimeError(f"{item}: the concurrent run stopped before this item ran")
        if task.error is not None:
            raise task.error

    def stop(self) -> None:
        """Start nothing more; wait for the items in flight (so no case leaves the clock moved)."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        for thread in self._threads:
            thread.join()


def xdist_refusal(endpoint_url: str | None, distributing: bool, concurrency: int) -> str | None:
    """The one line that refuses xdist (`-n`) with this run's settings, or None."""
    if distributing and concurrency > 1:
        return ("--concurrency: not with -n (xdist hands each worker its items one at a time, so a worker "
                "cannot run them ahead); use one or the other")
    return shared_endpoint_refusal(endpoint_url, distributing)


def shared_endpoint_refusal(endpoint_url: str | None, distributing: bool) -> str | None:
    """The one line that refuses xdist (`-n`) against one endpoint given by URL, or None.

    xdist's workers are separate processes that would share that endpoint's clock, quotas, injected
    errors and job listings with no way to keep conflicting cases apart; each worker against its
    own bundled mock (no endpoint given) shares nothing.
    """
    if not distributing or endpoint_url is None:
        return None
    return (f"-n: xdist workers would share {endpoint_url}'s clock, quotas, injected errors and job listings, "
            "and give false failures; run without -n and use --concurrency N, which runs cases at once in one "
            "process and keeps the serial verdict")
