"""Detection power: the whole conformance suite must pass on the unmodified mock and catch every mutant.

Each test waits for its suite run from the session's pool (conftest.py) and files it in the kill
matrix (reports/kill-matrix.{json,md}). A run the harness could not carry out (a server that did not
start, a proxy rewrite that raised, a suite that did not report) is an error, never a kill.
"""
from __future__ import annotations

import collections

import pytest

from tests.mutants.catalog import MUTANTS
from tests.mutants.mutant import GROUPS
from tests.mutants.plan import BASELINE_SPECS, MUTANT_SPECS

MINIMUM_MUTANTS = 44
SHOWN_IN_FAILURE = 25


def _key(spec) -> str:
    return spec.key


def _problems(run) -> str:
    return f"the harness failed for {run.spec.key} (logs in {run.workdir}):\n" + "\n".join(run.problems)


def test_catalog_covers_every_group():
    counts = collections.Counter(mutant.group for mutant in MUTANTS)
    assert len(MUTANTS) >= MINIMUM_MUTANTS
    assert set(counts) == set(GROUPS), counts
    assert all(mutant.request or mutant.response or mutant.patch for mutant in MUTANTS)


@pytest.mark.parametrize("spec", BASELINE_SPECS, ids=_key)
def test_unmodified_mock_passes_every_case(spec, suite_runs, kill_matrix):
    run = suite_runs.result(spec)
    if run.problems:
        pytest.fail(_problems(run))
    kill_matrix.record(run)
    not_passed = [f"{case['id']}[{case['scheme']}]: {case['outcome']}" for case in run.cases if case["outcome"] != "passed"]
    assert not not_passed, (f"false positives through the identity proxy ({spec.key}, seed {run.seed}), logs in "
                            f"{run.workdir}:\n" + "\n".join(not_passed[:SHOWN_IN_FAILURE]))
    assert run.returncode == 0


@pytest.mark.parametrize("spec", MUTANT_SPECS, ids=_key)
def test_suite_kills_mutant(spec, suite_runs, kill_matrix):
    run = suite_runs.result(spec)
    if run.problems:
        pytest.fail(_problems(run))
    kill_matrix.record(run)
    assert run.failed_items, (
        f"mutant {spec.key} survived: {spec.mutant.description}. No case failed "
        f"({run.outcome_counts()}); logs in {run.workdir}"
        + ("" if spec.case_ids is None else
           f". It ran only against {len(spec.case_ids)} case ids of the recorded kill matrix (tests/mutants/"
           "recorded-kills.json): run `python bench/mutants_full.py -k NAME --update` to re-record it")
    )
