"""A hostile endpoint (XXE, billion laughs, huge body, hang, slow drip) yields a clean, quick failure."""
from __future__ import annotations

import time

import pytest

from conformance.cases.definitions import Expectation
from conformance.run.checks import CheckContext, check_exchange
from conformance.wire.request_builder import build_get
from conformance.wire.transport import OutgoingRequest, Transport

TIMEOUT_S = 1.5
CAP_BYTES = 8 * 1024 * 1024


def fetch(url: str):
    transport = Transport(timeout_s=TIMEOUT_S, max_body_bytes=CAP_BYTES)
    started = time.monotonic()
    try:
        exchange = transport.send(build_get(url))
    finally:
        transport.close()
    mismatches = check_exchange(Expectation(status=200), exchange, CheckContext("CancelJob", None))
    return exchange, mismatches, time.monotonic() - started


@pytest.mark.parametrize("path", ["/xxe", "/laughs"])
def test_entity_attacks_are_refused_without_expansion(hostile_server, path):
    _, mismatches, elapsed = fetch(hostile_server.url + path)
    assert [m.check for m in mismatches] == ["xml"]
    assert "declares a DOCTYPE" in mismatches[0].message
    assert "root:" not in mismatches[0].message
    assert elapsed < 2


def test_huge_body_stops_at_the_size_cap(hostile_server):
    exchange, mismatches, elapsed = fetch(hostile_server.url + "/huge")
    assert exchange.response.truncated and len(exchange.response.body) == CAP_BYTES
    assert [m.check for m in mismatches] == ["transport"]
    assert f"exceeds the {CAP_BYTES} byte limit" in mismatches[0].message
    assert elapsed < 5


def test_hang_before_headers_times_out(hostile_server):
    exchange, mismatches, elapsed = fetch(hostile_server.url + "/hang")
    assert exchange.response is None
    assert [m.message for m in mismatches] == [f"no response within {TIMEOUT_S:g} s (--timeout)"]
    assert elapsed < TIMEOUT_S + 2


def test_slow_drip_body_hits_the_overall_deadline(hostile_server):
    exchange, mismatches, elapsed = fetch(hostile_server.url + "/drip")
    assert exchange.response.truncated
    assert [m.message for m in mismatches] == [f"the response body did not finish within {TIMEOUT_S:g} s (--timeout)"]
    assert elapsed < TIMEOUT_S + 2


def test_unreachable_endpoint_is_a_clean_failure():
    transport = Transport(timeout_s=TIMEOUT_S, max_body_bytes=CAP_BYTES)
    exchange = transport.send(OutgoingRequest(method="GET", url="http://127.0.0.1:9/", headers=()))
    transport.close()
    assert exchange.response is None and exchange.error.startswith("request failed: ConnectionError")
