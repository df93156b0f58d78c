"""pytest plugin that records every API step the conformance suite judges, for the oracle's verdict side.

Loaded with `-p tests.clients.oracle.suite_capture --oracle-capture FILE` on a run of the suite's own
cases against the bundled mock. It wraps the runner's `check_exchange` (the function that gives a
step its verdict) and stores, for each API step whose response came back, everything that verdict
depended on: the case item, the operation, the rendered expectation, the exchange and the RequestIds
the case had seen before the step. `verdict.py` later replaces the response body with a variant and
asks the same function again. The wrapper returns the original result; it changes no verdict.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.cases.definitions import Expectation
from conformance.run import runner
from conformance.run.checks import CheckContext, Mismatch
from conformance.wire.transport import Exchange

RECORDS = pytest.StashKey[list]()


@dataclass(frozen=True)
class JudgedStep:
    """One API step as the suite judged it against the bundled mock."""

    item: str
    operation: str
    expect: Expectation
    exchange: Exchange
    seen_request_ids: frozenset
    passed: bool


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--oracle-capture", dest="oracle_capture", metavar="FILE",
                     help="write every judged API step (pickle) to FILE, for tests/clients/oracle")


def pytest_configure(config: pytest.Config) -> None:
    records: list[JudgedStep] = []
    config.stash[RECORDS] = records
    judged = runner.check_exchange
    current = {"item": ""}
    config.stash[CURRENT] = current

    def recording_check(expect: Expectation, exchange: Exchange, context: CheckContext) -> list[Mismatch]:
        seen = frozenset(context.seen_request_ids)
        mismatches = judged(expect, exchange, context)
        if context.operation is not None and exchange.response is not None:
            records.append(JudgedStep(current["item"], context.operation, expect, exchange, seen, not mismatches))
        return mismatches

    runner.check_exchange = recording_check


CURRENT = pytest.StashKey[dict]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    item.config.stash[CURRENT]["item"] = item.nodeid


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("oracle_capture")
    if path:
        Path(path).write_bytes(pickle.dumps(session.config.stash[RECORDS]))
