"""Twenty random orders against one shared mock give the serial verdict (issue 20, must-do 3).

The stateful cases are the ones that can tell orders apart: every case that needs the whole target
(clock, quotas, injected errors), every case that reads a listing's order (the ListJobs property
with 2 draws among them), and the cases that write to the same listing beside them (ListJobs,
CancelJob success and ownership cases). They run against one mock started by hand (a
`--endpoint-url` target, as a user's shared endpoint), which keeps every order's jobs. First one
serial run in file order, the reference; then 20 orders, each shuffled with its own seed, 16 of
them with 8 cases in flight at once (run/concurrent.py, as `--concurrency 8` runs them), 4 serial;
every verdict must equal the reference. Each order is a run of its own, with its own preflight (the
run's quota, and a clock base past the earlier orders' jobs), as 21 pytest runs would be. Then the
same selection through pytest with `-p randomly --concurrency 8`, whose seed must be printed and
recorded in results.json.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cases.definitions import UNSIGNED_SCHEME, ControlStep
from conformance.cases.shared_state import shared_state
from conformance.generate.property_cases import PROPERTIES
from conformance.run.bundled_mock import BundledMock
from conformance.run.collection import load_cases
from conformance.run.concurrent import ConcurrentCases
from conformance.run.property_run import PropertyRun
from conformance.run.runner import CaseFailed, CaseRunner
from conformance.run.target_provider import TargetProvider
from conformance.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
STATEFUL_SOURCES = [
    "fixtures/CancelJob/errors.yaml", "fixtures/CreateJob/injected.yaml", "fixtures/CreateJob/quota.yaml",
    "fixtures/GetShippingLabel/errors.yaml", "fixtures/GetStatus/errors.yaml", "fixtures/ListJobs/pagination.yaml",
    "fixtures/ListJobs/parameters.yaml", "fixtures/ListJobs/success.yaml", "fixtures/UpdateJob/state.yaml",
    "fixtures/lifecycle/expiry.yaml", "fixtures/lifecycle/quota.yaml", "fixtures/mutant-guards/creation-date.yaml",
    "fixtures/mutant-guards/listjobs-truncation.yaml", "fixtures/property/parameters.property"]
WRITERS_BESIDE = ["fixtures/ListJobs/success.yaml", "fixtures/CancelJob/success.yaml",
                  "fixtures/ListJobs/ownership.yaml"]
ORDERS = 20
SERIAL_ORDERS = 4
WORKERS = 8
PROPERTY_EXAMPLES = 2


@pytest.fixture(scope="module")
def shared_mock(tmp_path_factory) -> str:
    mock = BundledMock(tmp_path_factory.mktemp("shared-mock"), ROOT)
    url = mock.start()
    yield url
    mock.stop()


def selected_cases() -> list:
    """Every case of STATEFUL_SOURCES that needs the whole target or reads a listing's order, and
    every case of WRITERS_BESIDE (writers to the same listing)."""
    stateful = [case for file in STATEFUL_SOURCES for case in load_cases(ROOT / file, ROOT)
                if shared_state(case).whole_target or shared_state(case).listing_order]
    beside = [case for file in WRITERS_BESIDE for case in load_cases(ROOT / file, ROOT)]
    return list({case.id: case for case in stateful + beside}.values())


def selected_items() -> list[tuple]:
    return [(case, scheme) for case in selected_cases() for scheme in case.auth]


def verdict_of(items: list[tuple], target, seed: int, workers: int) -> dict[str, str]:
    """Each item's outcome, `passed` or `failed at <step>`, from one run in the order given."""
    verdict: dict[str, str] = {}

    def execute(item: tuple) -> None:
        case, scheme = item
        name = case.id if scheme == UNSIGNED_SCHEME else f"{case.id}[{scheme}]"
        try:
            if case.id in PROPERTIES:
                PropertyRun(PROPERTIES[case.id], case, scheme, target, name, PROPERTY_EXAMPLES, seed).execute()
            else:
                CaseRunner(case, scheme, target).run()
            verdict[name] = "passed"
        except CaseFailed as failure:
            verdict[name] = f"failed at {failure.failed.label}"

    if workers == 1:
        for item in items:
            execute(item)
        return verdict
    concurrent = ConcurrentCases([(item, shared_state(item[0])) for item in items], workers, execute, lambda: None)
    concurrent.start()
    for item in items:
        assert concurrent.covers(item)
        concurrent.outcome(item)
    concurrent.stop()
    return verdict


def run_once(items: list[tuple], endpoint_url: str, seed: int, workers: int) -> dict[str, str]:
    """One run as pytest would make it: its own preflight (quota, a clock base past earlier runs' jobs)."""
    options = {"endpoint_url": endpoint_url, "control_url": endpoint_url + "/_mock"}
    provider = TargetProvider(load_settings(options, {}, ROOT), ROOT)
    provider.set_clock_offsets = frozenset(dict(step.arguments)["offset_s"] for case, _ in items
                                           for step in case.all_steps()
                                           if isinstance(step, ControlStep) and step.call == "set_clock")
    try:
        return verdict_of(items, provider.get(), seed, workers)
    finally:
        provider.close()


def test_twenty_random_orders_give_the_serial_verdict(shared_mock):
    items = selected_items()
    groups = {shared_state(case).group().split(":")[0] for case, _ in items}
    assert {"whole-target", "listing-order", "listing-writes"} <= groups
    reference = run_once(items, shared_mock, seed=0, workers=1)
    assert set(reference.values()) == {"passed"}, reference
    for seed in range(1, ORDERS + 1):
        order = list(items)
        random.Random(seed).shuffle(order)
        workers = 1 if seed <= SERIAL_ORDERS else WORKERS
        verdict = run_once(order, shared_mock, seed, workers)
        differing = {name: (reference.get(name), verdict.get(name)) for name in reference.keys() | verdict.keys()
                     if reference.get(name) != verdict.get(name)}
        assert not differing, f"order seed {seed}, {workers} at once: {differing}"


def test_a_random_concurrent_pytest_run_prints_and_records_its_seed(shared_mock, tmp_path):
    node_ids = [f"{case.file.relative_to(ROOT)}::{case.id}" + ("" if scheme == UNSIGNED_SCHEME else f"[{scheme}]")
                for case, scheme in selected_items()]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "randomly", "--randomly-seed=4242", "--concurrency=8",
               f"--property-examples={PROPERTY_EXAMPLES}", f"--endpoint-url={shared_mock}",
               f"--control-url={shared_mock}/_mock", f"--report-dir={tmp_path}", "-p", "no:cacheprovider", *node_ids]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    completed = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "random order seed 4242 (replay this order: -p randomly --randomly-seed=4242)" in completed.stdout
    document = json.loads((tmp_path / "results.json").read_text())
    assert document["run"]["seeds"]["randomly_seed"] == 4242
    assert {case["outcome"] for case in document["cases"]} == {"passed"}
    assert len(document["cases"]) == len(selected_items())
