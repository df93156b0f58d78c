"""State the control API changes at run time: the mock clock, quota overrides, injected errors.

It lives in memory (a restart starts with the real clock, the configured quotas and no pending
injections) and is shared by the server's worker threads, so every access holds one lock.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from datetime import datetime, timezone
from functools import lru_cache

from mockserver.exceptions import ApiError

SECONDS_PER_DAY = 86400


def format_timestamp(epoch_seconds: float) -> str:
    """ISO 8601 UTC with whole seconds and `Z`, the form every timestamp on the wire uses."""
    return _format_whole_seconds(int(epoch_seconds))


@lru_cache(maxsize=4096)
def _format_whole_seconds(epoch_seconds: int) -> str:
    """Kept for the last few thousand seconds formatted: a job's CreationDate is formatted on every
    GetStatus and every ListJobs page that shows it."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class RuntimeState:
    """The mock clock (real time plus an offset), per-account quota overrides and injected errors."""

    def __init__(self, configured_jobs_per_day: int):
        self._lock = threading.Lock()
        self._configured_jobs_per_day = configured_jobs_per_day
        self._offset_s: float = 0
        self._all_accounts_quota: int | None = None
        self._account_quota: dict[str, int] = {}
        self._injected: dict[str, deque[ApiError]] = defaultdict(deque)

    def now(self) -> float:
        """Seconds since the epoch on the mock clock."""
        with self._lock:
            return time.time() + self._offset_s

    @property
    def offset_s(self) -> float:
        with self._lock:
            return self._offset_s

    def set_clock_offset(self, offset_s: float) -> None:
        with self._lock:
            self._offset_s = offset_s

    def jobs_per_day(self, access_key_id: str) -> int:
        """The daily CreateJob quota in force for one account."""
        with self._lock:
            if access_key_id in self._account_quota:
                return self._account_quota[access_key_id]
            if self._all_accounts_quota is not None:
                return self._all_accounts_quota
            return self._configured_jobs_per_day

    def set_quota(self, access_key_id: str | None, jobs_per_day: int | None) -> None:
        """Override one account's quota (or every account's); None goes back to the configuration."""
        with self._lock:
            if access_key_id is None:
                self._account_quota.clear()
                self._all_accounts_quota = jobs_per_day
            elif jobs_per_day is None:
                self._account_quota.pop(access_key_id, None)
            else:
                self._account_quota[access_key_id] = jobs_per_day

    def inject_error(self, operation: str, error: ApiError) -> None:
        """Make the next request of `operation` fail with `error`."""
        with self._lock:
            self._injected[operation].append(error)

    def take_injected_error(self, operation: str) -> ApiError | None:
        """The error waiting for this operation, removed from the queue, or None."""
        with self._lock:
            pending = self._injected.get(operation)
            return pending.popleft() if pending else None

    def reset(self) -> None:
        """Clock offset 0, quotas back to the configuration, no injected errors."""
        with self._lock:
            self._offset_s = 0
            self._all_accounts_quota = None
            self._account_quota.clear()
            self._injected.clear()
