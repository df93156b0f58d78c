"""pytest plugin used by `importexport-report replay`: writes every step's exchange of each case
item run to the file named by `--replay-record FILE`, as the failure text shows them (run/failure.py).

Loaded only by the replay command (`-p conformance.run.replay_capture`); it changes no verdict.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conformance.run.collection import CaseItem
from conformance.run.failure import render_exchange, render_failure
from conformance.run.runner import CaseFailed

RECORD_KEY = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--replay-record", dest="replay_record", metavar="FILE",
                     help="write each case item's steps and exchanges to FILE (importexport-report replay)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RECORD_KEY] = []


def _item_text(item: CaseItem, call: pytest.CallInfo, outcome: str) -> str:
    """Every step with its exchange; for a case that did not conform, the failure report (which shows
    the failing step's exchange) in place of that step."""
    failure = call.excinfo.value if call.excinfo is not None and isinstance(call.excinfo.value, CaseFailed) else None
    history = failure.history if failure is not None else item.runner.history if item.runner is not None else []
    parts = [f"=== {item.nodeid}: {outcome}"]
    for record in history:
        if failure is not None and record is failure.failed:
            continue
        parts.append(f"--- {record.summary()}")
        if record.exchange is not None:
            parts.append(render_exchange(record.exchange))
    if failure is not None:
        parts.append(render_failure(failure))
    elif call.excinfo is not None:
        parts.append(str(call.excinfo.getrepr(style="short")))
    return "\n\n".join(parts)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if isinstance(item, CaseItem) and (call.when == "call" or report.failed):
        item.config.stash[RECORD_KEY].append(_item_text(item, call, report.outcome))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("replay_record")
    if path:
        texts: list[str] = session.config.stash[RECORD_KEY]
        Path(path).write_text("\n\n".join(texts) + "\n", encoding="utf-8")
