"""`--concurrency`: what a case shares on the target (cases/shared_state.py), derived from its steps,
and the scheduler (run/concurrent.py) that never has two conflicting cases in flight at once."""
from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from conformance.cases.loader import cases_from_data
from conformance.cases.shared_state import SharedState, shared_state
from conformance.run.collection import load_all_cases
from conformance.run.concurrent import ConcurrentCases, shared_endpoint_refusal, xdist_refusal

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
MANIFEST = "manifestVersion: 2.0\n"


def case_of(steps: list, **header) -> object:
    data = {"concern": "test", "cases": [{"id": "Test.Case", "operation": "ListJobs", "level": "documented",
                                          "source": "F5", "doc": "test", "steps": steps, **header}]}
    return cases_from_data(data, FIXTURES / "ListJobs" / "test.yaml", FIXTURES)[0]


@pytest.fixture(scope="module")
def suite_states() -> dict[str, SharedState]:
    return {case.id: shared_state(case) for case in load_all_cases(ROOT)}


def test_calls_that_reach_every_request_need_the_whole_target():
    for call in ({"call": "set_clock", "offset_s": 0}, {"call": "advance_clock", "seconds": 5},
                 {"call": "set_quota", "jobs_per_day": 1},
                 {"call": "inject", "operation": "CreateJob", "code": "InvalidJobIdException"}):
        assert shared_state(case_of([{"control": call}, {"request": {"params": {}}}])).whole_target, call


def test_a_job_state_change_touches_only_that_job():
    state = shared_state(case_of([
        {"operation": "CreateJob", "request": {"params": {"JobType": "Import"}, "manifest_text": MANIFEST},
         "save": {"job": "//ie:JobId"}},
        {"control": {"call": "set_state", "job": "${job}", "progress_code": "InProgress"}}]))
    assert not state.whole_target and state.listing_writes == {"primary"} and not state.listing_order


@pytest.mark.parametrize("check, reads_order", [
    ({"path": "//ie:Jobs/ie:member", "count": 1}, True),
    ({"path": "//ie:Jobs/ie:member[1]/ie:JobId", "equals": "x"}, True),
    ({"path": "//ie:Jobs/ie:member[last()]/ie:JobId", "equals": "x"}, True),
    ({"path": "//ie:IsTruncated", "equals": "false"}, True),
    ({"path": "//ie:IsTruncated", "matches": "^(true|false)$"}, False),
    ({"path": "//ie:Jobs/ie:member/ie:JobId", "contains": "x"}, False),
    ({"path": "//ie:Jobs/ie:member/ie:JobId", "not_contains": "x"}, False),
    ({"path": "//ie:Jobs/ie:member/ie:JobId", "order": ["x", "y"]}, False),
    ({"path": "//ie:Jobs/ie:member[ie:JobId='x']/ie:IsCanceled", "equals": "true"}, False),
    ({"path": "//ie:ResponseMetadata/ie:RequestId", "matches": "."}, False),
])
def test_a_listing_check_reads_the_order_when_other_jobs_can_change_it(check, reads_order):
    state = shared_state(case_of([{"request": {"params": {}}, "expect": {"status": 200, "xpath": [check]}}]))
    assert (state.listing_order == {"primary"}) is reads_order


def test_a_limited_page_that_is_inspected_reads_the_order():
    paged = case_of([{"request": {"params": {"MaxJobs": "2"}},
                      "expect": {"status": 200, "xpath": [{"path": "//ie:Jobs/ie:member/ie:JobId", "contains": "x"}]}}])
    assert shared_state(paged).listing_order == {"primary"}


def test_every_create_update_and_cancel_writes_the_listing_of_its_account():
    state = shared_state(case_of([
        {"operation": "CreateJob", "as": "secondary", "expect": {"status": 400},
         "request": {"params": {"JobType": "Import"}, "manifest_text": MANIFEST}}], requires=["secondary"]))
    assert state.listing_writes == {"secondary"} and not state.whole_target


def test_the_suite_cases_that_gave_false_failures_under_xdist_are_kept_apart(suite_states):
    assert suite_states["CreateJob.InjectedInvalidJobIdIsWellFormed"].whole_target
    assert suite_states["CreateJob.ValidateOnlyNotCountedByQuota"].whole_target
    assert suite_states["Lifecycle.EveryActionExpiredAfter31Days"].whole_target
    assert suite_states["ListJobs.WalkOneJobPerPage"].listing_order == {"primary"}
    newest_first = suite_states["ListJobs.NewestFirst"]  # order(newer, older) holds whatever else is listed
    assert not newest_first.listing_order and newest_first.listing_writes == {"primary"}
    assert suite_states["Property.ListJobs.MaxJobsRange"].listing_order == {"primary"}  # drawn steps: unknown
    assert suite_states["Auth.SigV2.ExpiredTimestamp"].independent


def test_every_suite_case_with_a_target_wide_control_call_runs_alone():
    for case in load_all_cases(ROOT):
        if case.control_calls - {"set_state"}:
            assert shared_state(case).whole_target, case.id


@pytest.mark.parametrize("first, second, conflict", [
    (SharedState(), SharedState(), False),
    (SharedState(whole_target=True), SharedState(), True),
    (SharedState(listing_order=frozenset({"primary"})), SharedState(listing_writes=frozenset({"primary"})), True),
    (SharedState(listing_order=frozenset({"primary"})), SharedState(listing_writes=frozenset({"secondary"})), False),
    (SharedState(listing_order=frozenset({"primary"})), SharedState(listing_order=frozenset({"primary"})), False),
    (SharedState(listing_writes=frozenset({"primary"})), SharedState(listing_writes=frozenset({"primary"})), False),
])
def test_conflicts_are_symmetric(first, second, conflict):
    assert first.conflicts_with(second) is conflict and second.conflicts_with(first) is conflict


WHOLE = SharedState(whole_target=True)
READ = SharedState(listing_order=frozenset({"primary"}), listing_writes=frozenset({"primary"}))
WRITE = SharedState(listing_writes=frozenset({"primary"}))
FREE = SharedState()


def run_all(states: list[SharedState], workers: int, fail: set[int] = frozenset()) -> tuple[list, ConcurrentCases]:
    """Run one task per state; each records (start, end) and sleeps a little; `fail` ones raise."""
    intervals: dict[int, tuple[float, float]] = {}
    lock = threading.Lock()

    def execute(index: int) -> None:
        started = time.monotonic()
        time.sleep(0.002 + 0.003 * (index % 3))
        with lock:
            intervals[index] = (started, time.monotonic())
        if index in fail:
            raise ValueError(f"task {index} failed")

    concurrent = ConcurrentCases(list(enumerate(states)), workers, execute, lambda: None)
    concurrent.start()
    outcomes = []
    for index in range(len(states)):
        assert concurrent.covers(index)
        try:
            concurrent.outcome(index)
            outcomes.append(None)
        except ValueError as error:
            outcomes.append(str(error))
    concurrent.stop()
    return [(intervals[index], outcome) for index, outcome in enumerate(outcomes)], concurrent


def test_no_two_conflicting_tasks_overlap_and_conflicting_ones_keep_their_order():
    generator = random.Random(7)
    states = [generator.choice([WHOLE, READ, WRITE, WRITE, WRITE, FREE, FREE]) for _ in range(120)]
    results, concurrent = run_all(states, workers=8, fail={3, 50})
    assert [outcome for _, outcome in results].count(None) == 118
    assert results[3][1] == "task 3 failed" and results[50][1] == "task 50 failed"
    overlapped = 0
    for first in range(len(states)):
        for second in range(first + 1, len(states)):
            (start_a, end_a), (start_b, end_b) = results[first][0], results[second][0]
            overlap = start_a < end_b and start_b < end_a
            overlapped += overlap
            assert not (overlap and states[first].conflicts_with(states[second])), (first, second)
    assert overlapped > 0, "independent tasks ran at once"
    dispatched = [index for index in concurrent.dispatch_order]
    whole = [index for index in dispatched if states[index].whole_target]
    assert dispatched[:len(whole)] == sorted(whole), "whole-target tasks go first, in their order"
    readers = [index for index in dispatched if states[index] is READ]
    assert readers == sorted(readers)


def test_the_rest_start_costliest_first_while_ranked_groups_keep_pytest_order():
    states = [FREE, WRITE, WHOLE, READ, FREE, WHOLE, WRITE, READ, FREE]
    costs = {0: 1, 1: 3, 2: 5, 3: 9, 4: 7, 5: 2, 6: 7, 7: 4, 8: 2}
    concurrent = ConcurrentCases(list(enumerate(states)), 1, lambda index: None, lambda: None, cost=costs.__getitem__)
    concurrent.start()
    for index in range(len(states)):
        concurrent.outcome(index)
    concurrent.stop()
    # whole-target (2, 5) then readers (3, 7) in pytest's order whatever they cost; then the rest
    # by cost, ties in pytest's order
    assert concurrent.dispatch_order == [2, 5, 3, 7, 4, 6, 1, 8, 0]


def test_without_a_prepared_target_nothing_runs_ahead():
    def failing_prepare() -> None:
        raise RuntimeError("preflight failed")

    ran = []
    concurrent = ConcurrentCases([(1, FREE)], 2, ran.append, failing_prepare)
    concurrent.start()
    assert not concurrent.covers(1)
    concurrent.stop()
    assert ran == []


def test_xdist_against_one_shared_endpoint_is_refused_in_one_line():
    refusal = shared_endpoint_refusal("http://127.0.0.1:8080", distributing=True)
    assert refusal is not None and "\n" not in refusal and "--concurrency" in refusal
    assert shared_endpoint_refusal(None, distributing=True) is None  # each worker starts its own mock
    assert shared_endpoint_refusal("http://127.0.0.1:8080", distributing=False) is None


def test_concurrency_and_xdist_together_are_refused_in_one_line():
    refusal = xdist_refusal(None, distributing=True, concurrency=4)
    assert refusal is not None and "\n" not in refusal and refusal.startswith("--concurrency")
    assert xdist_refusal(None, distributing=True, concurrency=1) is None
    assert xdist_refusal(None, distributing=False, concurrency=4) is None
