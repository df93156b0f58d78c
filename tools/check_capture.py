"""pytest plugin of tools/check_failures.py: every checked step's rendered expectation and exchange.

Loaded with `-p check_capture` (tools/ on sys.path) and `--check-capture FILE`; after the run FILE holds a
pickle of `CapturedStep`s, one per step that sent a request, of every case item, passed or failed. It
changes no verdict.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.cases.definitions import Expectation
from conformance.run.collection import CaseItem
from conformance.run.runner import CaseFailed

CAPTURE_KEY = pytest.StashKey[list]()


@dataclass(frozen=True)
class CapturedStep:
    """One step as it ran: its case, label, rendered expectation and what went over the wire."""

    case_id: str
    label: str
    expect: Expectation
    request_body: bytes
    request_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--check-capture", dest="check_capture", metavar="FILE",
                     help="pickle every checked step's expectation and exchange to FILE (tools/check_failures.py)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[CAPTURE_KEY] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if isinstance(item, CaseItem) and call.when == "call":
        failure = call.excinfo.value if call.excinfo is not None and isinstance(call.excinfo.value, CaseFailed) \
            else None
        history = failure.history if failure is not None else item.runner.history if item.runner else []
        for record in history:
            exchange = record.exchange
            if record.expect is None or exchange is None or exchange.response is None or exchange.response.truncated:
                continue
            item.config.stash[CAPTURE_KEY].append(CapturedStep(
                item.case.id, record.label, record.expect, exchange.request.body, exchange.request.url,
                exchange.response.status, exchange.response.headers, exchange.response.body))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("check_capture")
    if path:
        Path(path).write_bytes(pickle.dumps(session.config.stash[CAPTURE_KEY]))
