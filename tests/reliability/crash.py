"""One crash round: CreateJob/UpdateJob load on a real mock, SIGKILL at a random moment, restart on
the same --db, then check that every acknowledged write survived and nothing is half-written.

Each loader thread owns its jobs and updates them one at a time, with a token in the manifest's first
line, so after the restart a job's CurrentManifest must carry either its last acknowledged token or
the token of the one write that was in flight when the process died.
"""
from __future__ import annotations

import http.client
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tests.reliability.apiclient import ApiClient, response_schema
from tests.reliability.manifests import VALID_MANIFESTS
from tests.reliability.mockprocess import MockProcess

LOADERS = 4
MANIFEST = VALID_MANIFESTS["s3-import"]


@dataclass
class LoaderLog:
    """What one loader sent and what was acknowledged; `in_flight` is the token of the unanswered write."""

    acked_tokens: dict[str, str] = field(default_factory=dict)
    sent_tokens: dict[str, set[str]] = field(default_factory=dict)
    in_flight: dict[str, str] = field(default_factory=dict)
    acknowledged_creates: int = 0
    acknowledged_updates: int = 0


@dataclass
class CrashRound:
    jobs_acknowledged: int
    updates_acknowledged: int
    lost: list[str]
    half_written: list[str]
    killed_after_s: float


def _manifest(token: str) -> str:
    return f"# token {token}\n{MANIFEST}"


def _load(url: str, number: int, log: LoaderLog, stop: threading.Event) -> None:
    rng = random.Random(number)
    client = ApiClient(url, timeout_s=5)
    own: list[str] = []
    count = 0
    while not stop.is_set():
        count += 1
        token = f"L{number}-{count}"
        try:
            if not own or rng.random() < 0.4:
                reply = client.call("CreateJob", {"JobType": "Import", "Manifest": _manifest(token),
                                                  "ValidateOnly": "false"})
                if reply.status == 200:
                    job_id = reply.text("JobId") or ""
                    own.append(job_id)
                    log.acked_tokens[job_id] = token
                    log.sent_tokens[job_id] = {token}
                    log.acknowledged_creates += 1
            else:
                job_id = rng.choice(own)
                log.sent_tokens[job_id].add(token)
                log.in_flight[job_id] = token
                reply = client.call("UpdateJob", {"JobId": job_id, "JobType": "Import", "ValidateOnly": "false",
                                                  "Manifest": _manifest(token)})
                if reply.status == 200:
                    log.acked_tokens[job_id] = token
                    log.acknowledged_updates += 1
                del log.in_flight[job_id]
        except (OSError, http.client.HTTPException):  # the kill cut the connection, maybe mid-answer
            return


def crash_round(directory: Path, rng: random.Random) -> CrashRound:
    """Run load, SIGKILL after a random delay, restart on the same database, check what survived."""
    db = directory / "jobs.db"
    mock = MockProcess(db, directory / "mock.log").start()
    logs = [LoaderLog() for _ in range(LOADERS)]
    stop = threading.Event()
    threads = [threading.Thread(target=_load, args=(mock.url, n, logs[n], stop)) for n in range(LOADERS)]
    for thread in threads:
        thread.start()
    delay = rng.uniform(0.3, 2.5)
    time.sleep(delay)
    mock.kill()
    stop.set()
    for thread in threads:
        thread.join()
    restarted = MockProcess(db, directory / "mock.log").start()
    try:
        return _check(restarted, logs, db, delay)
    finally:
        restarted.stop()


def _check(mock: MockProcess, logs: list[LoaderLog], db: Path, delay: float) -> CrashRound:
    client = ApiClient(mock.url)
    schema = response_schema()
    lost: list[str] = []
    half: list[str] = []
    with sqlite3.connect(db) as connection:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        half.append(f"database integrity_check: {verdict}")
    listed = set(client.list_all_jobs())
    for log in logs:
        for job_id, acked in log.acked_tokens.items():
            reply = client.call("GetStatus", {"JobId": job_id})
            if reply.status != 200 or job_id not in listed:
                lost.append(f"{job_id}: acknowledged, now {reply.status} {reply.error_code} "
                            f"(listed: {job_id in listed})")
                continue
            if not schema.validate(reply.parse()):
                half.append(f"{job_id}: GetStatus body invalid: {schema.error_log.last_error}")
            manifest = reply.text("CurrentManifest") or ""
            token = manifest.splitlines()[0].removeprefix("# token ") if manifest else ""
            allowed = {acked} | ({log.in_flight[job_id]} if job_id in log.in_flight else set())
            if token not in allowed:
                lost.append(f"{job_id}: manifest token {token!r}, expected one of {sorted(allowed)}")
            elif manifest != _manifest(token):
                half.append(f"{job_id}: manifest differs from the one sent with token {token!r}")
    for job_id in listed:
        reply = client.call("GetStatus", {"JobId": job_id})
        if reply.status != 200 or not schema.validate(etree.fromstring(reply.body)):
            half.append(f"{job_id}: listed but GetStatus answers {reply.status} {reply.body[:200]!r}")
    client.close()
    return CrashRound(sum(log.acknowledged_creates for log in logs), sum(log.acknowledged_updates for log in logs),
                      lost, half, delay)
