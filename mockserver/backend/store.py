"""SQLite (WAL) storage of jobs, shipping labels and the job-signing secret.

One connection per thread (requests run on the server's I/O thread, or on a pool of workers with
`--worker-threads`; tests and the control API may use others); every write is its
own transaction and is committed before the method returns, so a job exists in the database before
the response that announces it is sent, and survives a restart with the same database file.

Durability is that of `synchronous=FULL` in WAL mode: a commit is synced to the WAL file before the
method returns, so an acknowledged job survives the mock being killed (SIGKILL,
tests/reliability/test_crash.py) and also a power loss or kernel crash. `NORMAL` would save that
fsync per write (CreateJob about 10x faster on this machine) but could take back the last commits on
a power loss, and the mock promises never to lose an acknowledged job. Each connection's
page cache is bounded (`PAGE_CACHE_KIB`): with one connection per worker thread, SQLite's default
2 MiB each added tens of MiB of RSS, while the reads it saves are served from the OS cache anyway.

The last jobs read are kept as records (`RECORD_CACHE_SIZE`), so GetStatus and the checks before an
update or a cancel do not read and decode the same row again; every write of a job drops its record
after the commit, and a record read while a write ran is not kept (a generation counter), so a read
never returns a job older than the last acknowledged write. The cache is why one database file is
served by one mock process at a time (a restart on the same file is fine).

Writers of this process take a lock before `BEGIN IMMEDIATE`, so they queue on it and start as soon as
the previous write commits. Without it, a writer that finds the database locked sleeps in SQLite's busy
handler (1, 2, 5, 10, ... ms), and 8 concurrent CreateJob clients were slower than one. The
`busy_timeout` still covers other processes using the same file.
"""
from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mockserver.backend.records import JobRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id          TEXT NOT NULL UNIQUE,
    owner           TEXT NOT NULL,
    job_type        TEXT NOT NULL,
    manifest        TEXT NOT NULL,
    manifest_kind   TEXT NOT NULL,
    return_address  TEXT NOT NULL,
    label_bucket    TEXT,
    signature       TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    progress_code   TEXT NOT NULL,
    location_code   TEXT NOT NULL,
    carrier         TEXT,
    tracking_number TEXT,
    log_bucket      TEXT,
    log_key         TEXT,
    error_count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_owner ON jobs (owner, seq);
CREATE INDEX IF NOT EXISTS jobs_by_owner_and_creation ON jobs (owner, created_at);
CREATE TABLE IF NOT EXISTS daily_creations (
    owner   TEXT NOT NULL,
    day     INTEGER NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (owner, day)
);
CREATE TABLE IF NOT EXISTS labels (
    path TEXT PRIMARY KEY,
    pdf  BLOB NOT NULL
);
"""

_JOB_COLUMNS = (
    "job_id", "owner", "job_type", "manifest", "manifest_kind", "return_address", "label_bucket",
    "signature", "created_at", "progress_code", "location_code", "carrier", "tracking_number",
    "log_bucket", "log_key", "error_count",
)
# Rows are read by position: the job columns in this order, then `seq` (sqlite3.Row's lookup by
# name compares every column name, case-insensitively, and cost more than the query itself).
_SELECT_JOBS = f"SELECT {', '.join(_JOB_COLUMNS)}, seq FROM jobs"
STATUS_COLUMNS = (
    "progress_code", "location_code", "carrier", "tracking_number", "log_bucket", "log_key",
    "error_count",
)
_SECRET_NAME = "job_signing_secret"
RECORD_CACHE_SIZE = 4096  # job records kept by get_job; the whole set is dropped when full
PAGE_CACHE_KIB = 256
_NO_SEQ_YET = 2**63 - 1  # above every seq SQLite assigns (its largest INTEGER)


class DuplicateJobId(Exception):
    """The generated JobId is already taken; the caller draws another."""


class QuotaExceeded(Exception):
    """The account already created its daily number of jobs."""


class JobStore:
    """Jobs and labels in one SQLite database file in WAL mode."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._records: dict[str, JobRecord] = {}
        self._records_lock = threading.Lock()
        self._generation = 0
        setup = self._connection()
        setup.execute("PRAGMA journal_mode=WAL")
        setup.executescript(_SCHEMA)
        setup.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)",
            (_SECRET_NAME, secrets.token_hex(32)),
        )

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Used by its own thread only; `close()` may run on another thread at shutdown.
            connection = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA busy_timeout=30000")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _write(self) -> _WriteTransaction:
        return _WriteTransaction(self._connection(), self._write_lock)

    def close(self) -> None:
        """Close every thread's connection (used when the server shuts down)."""
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    def job_signing_secret(self) -> bytes:
        row = self._connection().execute(
            "SELECT value FROM meta WHERE name = ?", (_SECRET_NAME,)
        ).fetchone()
        return bytes.fromhex(row["value"])

    def insert_job(self, job: JobRecord, daily_quota: int, day_start: int) -> JobRecord:
        """Store a new job unless its owner already created `daily_quota` jobs since `day_start`."""
        with self._write() as connection:
            created_today = _created_on(connection, job.owner, day_start)
            if created_today >= daily_quota:
                raise QuotaExceeded()
            values = _job_values(job)
            try:
                connection.execute(
                    f"INSERT INTO jobs ({', '.join(_JOB_COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in _JOB_COLUMNS)})",
                    [values[column] for column in _JOB_COLUMNS],
                )
            except sqlite3.IntegrityError:
                raise DuplicateJobId(job.job_id) from None
            connection.execute(
                "INSERT OR REPLACE INTO daily_creations (owner, day, created) VALUES (?, ?, ?)",
                (job.owner, day_start, created_today + 1),
            )
        return job

    def insert_jobs(self, owner: str, jobs: list[JobRecord], day_start: int) -> int:
        """Store many new jobs of `owner`, created on the day from `day_start`, in one transaction and
        outside any quota (they still count as created that day); a job whose JobId is taken is
        skipped. How many were stored."""
        with self._write() as connection:
            before = connection.total_changes
            connection.executemany(
                f"INSERT OR IGNORE INTO jobs ({', '.join(_JOB_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _JOB_COLUMNS)})",
                ([values[column] for column in _JOB_COLUMNS] for values in map(_job_values, jobs)),
            )
            stored = connection.total_changes - before
            connection.execute(  # a day not counted yet is counted from the jobs on the next insert_job
                "UPDATE daily_creations SET created = created + ? WHERE owner = ? AND day = ?",
                (stored, owner, day_start),
            )
        return stored

    def get_job(self, job_id: str) -> JobRecord | None:
        """The job with this JobId, whoever owns it, or None."""
        kept = self._records.get(job_id)
        if kept is not None:
            return kept
        generation = self._generation
        row = self._connection().execute(f"{_SELECT_JOBS} WHERE job_id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        job = _job_from_row(row)
        with self._records_lock:
            if self._generation == generation:  # no write of any job since the row was read
                if len(self._records) >= RECORD_CACHE_SIZE:
                    self._records.clear()
                self._records[job_id] = job
        return job

    def _forget(self, job_id: str | None = None) -> None:
        """Drop the kept record of `job_id` (of every job when None); called after a write commits."""
        with self._records_lock:
            self._generation += 1
            if job_id is None:
                self._records.clear()
            else:
                self._records.pop(job_id, None)

    def jobs_of(self, owner: str, after: str | None = None, chunk: int = 64) -> Iterator[JobRecord]:
        """One account's jobs newest first (creation order), from just after the job `after` if given.

        Read lazily, `chunk` rows per query through the (owner, seq) index, so a caller that stops
        after a page reads about a page, however many jobs the account has."""
        connection = self._connection()
        before = _NO_SEQ_YET
        if after is not None:
            row = connection.execute(
                "SELECT seq FROM jobs WHERE job_id = ? AND owner = ?", (after, owner)
            ).fetchone()
            if row is None:
                return
            before = row["seq"]
        while True:
            rows = connection.execute(
                f"{_SELECT_JOBS} WHERE owner = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                (owner, before, chunk),
            ).fetchall()
            yield from (_job_from_row(row) for row in rows)
            if len(rows) < chunk:
                return
            before = rows[-1]["seq"]

    def all_jobs(self) -> list[JobRecord]:
        """Every job of every account, newest first (the control API's listing)."""
        rows = self._connection().execute(f"{_SELECT_JOBS} ORDER BY seq DESC").fetchall()
        return [_job_from_row(row) for row in rows]

    def replace_manifest_if_pending(self, updated: JobRecord) -> bool:
        """Store a new manifest (with its type, facts and signature) while the job is Pending; whether it was."""
        values = _job_values(updated)
        columns = ("job_type", "manifest", "manifest_kind", "return_address", "label_bucket", "signature")
        with self._write() as connection:
            cursor = connection.execute(
                f"UPDATE jobs SET {', '.join(f'{c} = ?' for c in columns)} "
                "WHERE job_id = ? AND progress_code = 'Pending'",
                [values[c] for c in columns] + [updated.job_id],
            )
        self._forget(updated.job_id)
        return cursor.rowcount == 1

    def cancel_if_pending(self, job_id: str) -> bool:
        """Set ProgressCode Canceled while the job is Pending; whether it was."""
        with self._write() as connection:
            cursor = connection.execute(
                "UPDATE jobs SET progress_code = 'Canceled' "
                "WHERE job_id = ? AND progress_code = 'Pending'",
                (job_id,),
            )
        self._forget(job_id)
        return cursor.rowcount == 1

    def set_status(self, job_id: str, changes: dict[str, Any]) -> JobRecord | None:
        """Overwrite some of a job's status fields (keys from STATUS_COLUMNS)."""
        unknown = set(changes) - set(STATUS_COLUMNS)
        if unknown:
            raise ValueError(f"not status fields: {sorted(unknown)}")
        if changes:
            with self._write() as connection:
                connection.execute(
                    f"UPDATE jobs SET {', '.join(f'{c} = ?' for c in changes)} WHERE job_id = ?",
                    [*changes.values(), job_id],
                )
            self._forget(job_id)
        return self.get_job(job_id)

    def delete_everything(self) -> None:
        """Remove every job and label (the control API's reset)."""
        with self._write() as connection:
            connection.execute("DELETE FROM jobs")
            connection.execute("DELETE FROM daily_creations")
            connection.execute("DELETE FROM labels")
        self._forget()

    def save_label(self, path: str, pdf: bytes) -> None:
        """Keep a rendered label PDF, served at `path`."""
        with self._write() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO labels (path, pdf) VALUES (?, ?)", (path, pdf)
            )

    def load_label(self, path: str) -> bytes | None:
        """The label PDF stored at `path`, or None."""
        row = self._connection().execute("SELECT pdf FROM labels WHERE path = ?", (path,)).fetchone()
        return bytes(row["pdf"]) if row else None


class _WriteTransaction:
    """`BEGIN IMMEDIATE` ... `COMMIT` (or `ROLLBACK` on an exception) on one connection, holding the
    store's write lock from before BEGIN until after the end."""

    def __init__(self, connection: sqlite3.Connection, lock: threading.Lock):
        self.connection = connection
        self.lock = lock

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.lock.release()
            raise
        return self.connection

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: Any) -> None:
        try:
            self.connection.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.lock.release()


def _created_on(connection: sqlite3.Connection, owner: str, day_start: int) -> int:
    """How many jobs `owner` created on the day from `day_start`: the kept count, or (first call of
    that day, or a database written before the count was kept) counted from the jobs and kept."""
    row = connection.execute(
        "SELECT created FROM daily_creations WHERE owner = ? AND day = ?", (owner, day_start)
    ).fetchone()
    if row is not None:
        return int(row["created"])
    (created,) = connection.execute(
        "SELECT COUNT(*) FROM jobs WHERE owner = ? AND created_at >= ? AND created_at < ?",
        (owner, day_start, day_start + 86400),
    ).fetchone()
    return int(created)


def _job_values(job: JobRecord) -> dict[str, Any]:
    values = {column: getattr(job, column) for column in _JOB_COLUMNS}
    values["return_address"] = json.dumps(job.return_address, sort_keys=True)
    return values


def _job_from_row(row: sqlite3.Row) -> JobRecord:
    """The job of a row read with `_SELECT_JOBS`."""
    values = dict(zip(_JOB_COLUMNS, row, strict=False))  # the last column, seq, is not a field
    values["return_address"] = json.loads(values["return_address"])
    return JobRecord(**values)
