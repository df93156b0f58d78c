"""The mock under random requests (CI size): never a 5xx, never a hang, always an XSD-valid body,
bounded memory, and still answering afterwards. The full-size run is bench/fuzz_mock.py.

The seed is fixed per day so CI explores new requests while a failure stays reproducible; it is
printed with every failure, together with the command that replays the failing request.
"""
from __future__ import annotations

import datetime
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.apiclient import ApiClient, Reply, response_schema
from tests.reliability.fuzzing import FuzzRequest
from tests.reliability.fuzzrun import FuzzReport, check_reply, run_fuzz, still_answers
from tests.reliability.mockprocess import MockProcess
from tests.reliability.signing import FORM_CONTENT_TYPE, sigv4_headers

CI_COUNT = 3000
SEED = int(datetime.date.today().strftime("%Y%m%d"))
REPLAY = "PYTHONPATH=. python bench/fuzz_mock.py --seed {seed} --only {index}"


@pytest.fixture
def plain_mock(tmp_path: Path) -> Iterator[MockProcess]:
    """The mock as deployed by default: no control API (so /_mock/ paths are API 404s, in XML)."""
    mock = MockProcess(tmp_path / "jobs.db", tmp_path / "mock.log").start()
    try:
        yield mock
    finally:
        mock.kill()


def test_random_requests_get_2xx_or_4xx_with_valid_xml(plain_mock):
    report = run_fuzz(plain_mock, SEED, CI_COUNT)
    shown = "\n".join(failure.describe(SEED, REPLAY) for failure in report.failures[:5])
    assert not report.failures, f"{report.summary()}\n{shown}"
    assert report.sent == CI_COUNT
    assert still_answers(plain_mock.url) is None
    assert report.rss_problem() is None, report.summary()


def test_the_fuzz_checks_catch_bad_answers():
    """The checker is not blind: a 5xx, a non-XML body and an XSD-invalid body each fail it."""
    request = FuzzRequest("POST", "/", {}, b"", "hand-made")
    assert check_reply(request, Reply(500, {}, b"<x/>"), response_schema()) is not None
    assert check_reply(request, Reply(400, {}, b"oops"), response_schema()) is not None
    assert "xsd" in (check_reply(request, Reply(400, {}, b"<ErrorResponse/>"), response_schema()) or "")


def test_the_memory_bounds_can_fail():
    mib = 2**20
    assert FuzzReport(1, rss_before=40 * mib, rss_half=100 * mib, rss_after=120 * mib).rss_problem() is None
    assert FuzzReport(1, rss_before=40 * mib, rss_half=100 * mib, rss_after=170 * mib).rss_problem() is not None
    assert FuzzReport(1, rss_before=40 * mib, rss_half=290 * mib, rss_after=300 * mib).rss_problem() is not None


def test_expect_continue_with_an_empty_body_is_answered(mock_process):
    host, port = mock_process.url.split("://", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n")
        received = b""
        while b"ErrorResponse>" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    assert b"HTTP/1.1 400" in received and b"</ErrorResponse>" in received


def test_an_oversized_query_string_gets_an_xml_error(mock_process):
    client = ApiClient(mock_process.url)
    path = "/?Action=ListJobs&Version=2010-06-01&Pad=" + "x" * 300_000
    headers = sigv4_headers("GET", mock_process.url + path, b"", [("Host", client.host)])
    reply = client.send("GET", path, headers, b"")
    assert 400 <= reply.status < 500
    assert reply.parse().tag.endswith("ErrorResponse")


def test_a_normal_form_post_is_answered(mock_process):
    """Baseline for the two tests above: the same server answers an ordinary request."""
    client = ApiClient(mock_process.url)
    body = b"Action=ListJobs&Version=2010-06-01"
    headers = sigv4_headers("POST", mock_process.url + "/", body,
                            [("Host", client.host), ("Content-Type", FORM_CONTENT_TYPE)])
    assert client.send("POST", "/", headers, body).status == 200
