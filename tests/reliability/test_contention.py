"""Contention on the same jobs: 16 threads x 100 calls mixing CreateJob, UpdateJob and CancelJob on a
shared pool while the control API moves jobs along (InProgress, then Complete). Afterwards no job is
lost or duplicated, every job's state and manifest are ones its history allows (a write can be the
last one only if no other write began after it ended), and every `Success` answer is consistent with
what happened before it. Plus: a paged ListJobs walk during concurrent inserts never skips or repeats
a job that existed before the walk began.
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from tests.reliability.apiclient import ApiClient
from tests.reliability.manifests import VALID_MANIFESTS

THREADS = 16
CALLS_PER_THREAD = 100
SHARED_JOBS = 24
MANIFEST = VALID_MANIFESTS["s3-import"]
UPDATE_REFUSALS = {"UnableToUpdateJobIdException", "CanceledJobIdException"}
CANCEL_REFUSALS = {"UnableToCancelJobIdException", "CanceledJobIdException"}
MOVES = ("InProgress", "Complete")


@dataclass(frozen=True)
class Event:
    """One acknowledged call on a job: what it did, its answer, and when it started and ended."""

    job_id: str
    kind: str  # create | update | cancel | move
    start: float
    end: float
    succeeded: bool
    value: str = ""  # the manifest token (create/update) or the progress code written (move)


def tagged_manifest(token: str) -> str:
    return f"# token {token}\n{MANIFEST}"


def token_of(manifest: str) -> str:
    first = manifest.splitlines()[0]
    return first.removeprefix("# token ") if first.startswith("# token ") else ""


def create(client: ApiClient, token: str) -> Event:
    start = time.monotonic()
    reply = client.call("CreateJob", {"JobType": "Import", "Manifest": tagged_manifest(token), "ValidateOnly": "false"})
    assert reply.status == 200, reply.body[:400]
    return Event(reply.text("JobId") or "", "create", start, time.monotonic(), True, token)


def worker(url: str, number: int, pool: list[str], pool_lock: threading.Lock, events: list[Event]) -> None:
    rng = random.Random(number)
    client = ApiClient(url)
    for call in range(CALLS_PER_THREAD):
        kind = rng.choices(["create", "update", "cancel"], [2, 5, 3])[0]
        if kind == "create":
            event = create(client, f"t{number}c{call}")
            with pool_lock:
                pool.append(event.job_id)
            events.append(event)
            continue
        with pool_lock:
            job_id = rng.choice(pool)
        token = f"t{number}u{call}"
        start = time.monotonic()
        if kind == "update":
            reply = client.call("UpdateJob", {"JobId": job_id, "JobType": "Import", "ValidateOnly": "false",
                                              "Manifest": tagged_manifest(token)})
            refusals = UPDATE_REFUSALS
        else:
            reply = client.call("CancelJob", {"JobId": job_id})
            refusals = CANCEL_REFUSALS
        end = time.monotonic()
        if reply.status == 200:
            assert reply.text("Success") == "true", reply.body[:400]
        else:
            assert reply.status < 500 and reply.error_code in refusals, (kind, job_id, reply.status, reply.body[:400])
        events.append(Event(job_id, kind, start, end, reply.status == 200, token))
    client.close()


def mover(url: str, pool: list[str], pool_lock: threading.Lock, events: list[Event], done: threading.Event) -> None:
    """Moves random jobs one step along InProgress -> Complete through the control API."""
    rng = random.Random("mover")
    client = ApiClient(url)
    steps: dict[str, int] = {}
    while not done.is_set():
        with pool_lock:
            job_id = rng.choice(pool)
        step = steps.get(job_id, 0)
        if step < len(MOVES):
            start = time.monotonic()
            status, answer = client.control(f"jobs/{job_id}/state", {"progress_code": MOVES[step]})
            assert status == 200 and answer["ok"], answer
            events.append(Event(job_id, "move", start, time.monotonic(), True, MOVES[step]))
            steps[job_id] = step + 1
        time.sleep(0.005)
    client.close()


def possible_last(writes: list[Event]) -> set[str]:
    """Values that may be the final one: written by a write that no other write strictly followed."""
    return {w.value for w in writes if not any(other.start > w.end for other in writes if other is not w)}


def state_written(event: Event) -> str | None:
    if event.kind == "create":
        return "Pending"
    if event.kind == "cancel" and event.succeeded:
        return "Canceled"
    return event.value if event.kind == "move" else None


def history_problems(job_id: str, history: list[Event], progress_code: str, manifest_token: str) -> list[str]:
    problems = []
    state_writes = [Event(e.job_id, e.kind, e.start, e.end, True, state_written(e) or "")
                    for e in history if state_written(e) is not None]
    if progress_code not in possible_last(state_writes):
        problems.append(f"{job_id}: ends {progress_code}, history allows {sorted(possible_last(state_writes))}")
    manifest_writes = [e for e in history if e.kind in ("create", "update") and e.succeeded]
    if manifest_token not in possible_last(manifest_writes):
        allowed = sorted(possible_last(manifest_writes))
        problems.append(f"{job_id}: manifest {manifest_token!r}, history allows {allowed}")
    blockers = [e for e in history if e.kind == "move" or (e.kind == "cancel" and e.succeeded)]
    for event in history:
        if event.kind == "update" and event.succeeded:
            late = [b for b in blockers if b.end < event.start]
            if late:
                problems.append(f"{job_id}: UpdateJob said Success after {late[0].kind} {late[0].value!r} ended")
        if event.kind == "cancel" and event.succeeded:
            if any(b.kind == "move" and b.value == "Complete" and b.end < event.start for b in blockers):
                problems.append(f"{job_id}: CancelJob said Success after the job was Complete")
    return problems


def test_mixed_calls_on_shared_jobs_lose_nothing_and_agree_with_getstatus(mock_process):
    client = ApiClient(mock_process.url)
    events: list[Event] = [create(client, f"seed{n}") for n in range(SHARED_JOBS)]
    pool = [event.job_id for event in events]
    pool_lock = threading.Lock()
    done = threading.Event()
    threads = [threading.Thread(target=worker, args=(mock_process.url, n, pool, pool_lock, events))
               for n in range(THREADS)]
    moving = threading.Thread(target=mover, args=(mock_process.url, pool, pool_lock, events, done))
    moving.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    moving.join()
    assert sum(1 for e in events if e.kind != "move") == SHARED_JOBS + THREADS * CALLS_PER_THREAD

    created = [e.job_id for e in events if e.kind == "create"]
    listed = client.list_all_jobs(max_jobs=50)
    assert len(created) == len(set(created)), "a JobId was handed out twice"
    assert len(listed) == len(set(listed)), "ListJobs repeats a job"
    assert sorted(listed) == sorted(created), "ListJobs does not show exactly the acknowledged jobs"

    problems: list[str] = []
    canceled_flags = dict(zip(listed, _is_canceled_flags(client), strict=True))
    for job_id in created:
        reply = client.call("GetStatus", {"JobId": job_id})
        assert reply.status == 200, reply.body[:400]
        progress = reply.text("ProgressCode") or ""
        history = [e for e in events if e.job_id == job_id]
        problems += history_problems(job_id, history, progress, token_of(reply.text("CurrentManifest") or ""))
        if canceled_flags.get(job_id) != (progress == "Canceled"):
            problems.append(f"{job_id}: ListJobs IsCanceled {canceled_flags.get(job_id)} but ProgressCode {progress}")
    assert not problems, "\n".join(problems[:20])
    successes = sum(1 for e in events if e.succeeded and e.kind in ("update", "cancel"))
    print(f"contention: {len(created)} jobs, {len(events)} acknowledged calls and moves, {successes} Success "
          f"answers of UpdateJob/CancelJob checked; lost 0, duplicated 0")
    outcomes = {(e.kind, e.succeeded) for e in events}
    assert {("update", True), ("update", False), ("cancel", True), ("cancel", False)} <= outcomes


def _is_canceled_flags(client: ApiClient) -> list[bool]:
    reply = client.call("ListJobs", {"MaxJobs": "1000"})
    return [flag == "true" for flag in reply.texts(".//ie:Jobs/ie:member/ie:IsCanceled")]


def test_a_paged_listjobs_walk_during_inserts_skips_and_repeats_nothing(mock_process):
    client = ApiClient(mock_process.url)
    before = {create(client, f"pre{n}").job_id for n in range(120)}
    stop = threading.Event()

    def insert(number: int) -> None:
        inserter = ApiClient(mock_process.url)
        count = 0
        while not stop.is_set() and count < 200:
            create(inserter, f"ins{number}-{count}")
            count += 1
        inserter.close()

    inserters = [threading.Thread(target=insert, args=(n,)) for n in range(4)]
    for thread in inserters:
        thread.start()
    walked: list[str] = []
    params = {"MaxJobs": "7"}
    while True:
        reply = client.call("ListJobs", params)
        assert reply.status == 200, reply.body[:400]
        page = reply.texts(".//ie:Jobs/ie:member/ie:JobId")
        walked += page
        if reply.text("IsTruncated") != "true" or not page:
            break
        params["Marker"] = page[-1]
        time.sleep(0.01)
    stop.set()
    for thread in inserters:
        thread.join()
    repeated = {job_id for job_id in walked if walked.count(job_id) > 1}
    assert not repeated, f"the walk repeated {sorted(repeated)}"
    assert not before - set(walked), f"the walk skipped {sorted(before - set(walked))}"


def test_the_history_checks_catch_violations():
    """The checks are not blind: each kind of inconsistency is reported."""
    created = Event("J", "create", 0.0, 1.0, True, "c")
    moved = Event("J", "move", 2.0, 3.0, True, "InProgress")
    completed = Event("J", "move", 4.0, 5.0, True, "Complete")
    late_update = Event("J", "update", 6.0, 7.0, True, "u")
    late_cancel = Event("J", "cancel", 6.0, 7.0, True)
    assert history_problems("J", [created, moved], "InProgress", "c") == []
    assert history_problems("J", [created, moved], "Pending", "c"), "a state overwritten before it was read"
    assert history_problems("J", [created], "Pending", "x"), "a manifest nobody wrote"
    assert history_problems("J", [created, moved, late_update], "InProgress", "u"), "UpdateJob after a move"
    assert history_problems("J", [created, completed, late_cancel], "Canceled", "c"), "CancelJob after Complete"
