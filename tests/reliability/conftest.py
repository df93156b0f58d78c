"""Fixtures of the reliability tests: a real mock process on a fresh database (see mockprocess.py)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.mockprocess import MockProcess


@pytest.fixture
def mock_process(tmp_path: Path) -> Iterator[MockProcess]:
    """`python -m mockserver --admin` on a fresh database, stopped after the test."""
    mock = MockProcess(tmp_path / "jobs.db", tmp_path / "mock.log", admin=True).start()
    try:
        yield mock
    finally:
        mock.kill()
