"""Fixtures for the client tests: the mock as a black-box process, one per test module.

`python -m mockserver --port 0 --admin` is started (`tests.support.mock_process`) with a fresh temporary
database; its startup line gives the URL. Nothing is imported from mockserver/ or conformance/.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.mock_process import MockProcess

from .steps import Credentials, Endpoint

PRIMARY = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


@pytest.fixture(scope="module")
def mock_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    database = tmp_path_factory.mktemp("client-mock") / "jobs.db"
    with MockProcess("--admin", "--db", str(database), "--jobs-per-day", "1000") as mock:
        yield Endpoint(url=mock.url, credentials=PRIMARY, control_url=f"{mock.url}/_mock")
