"""Signatures: compared in constant time; refused outside the clock window and when replayed after it."""
from __future__ import annotations

import hmac
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
from werkzeug.test import Client

from conftest import FORM, SECRET, error_code, minutes, sigv2_body, sigv4_request, utc_now
from mockserver.app import MockApplication
from mockserver.config import load_config

LIST_JOBS = {"Action": "ListJobs"}


@pytest.fixture
def app_client(tmp_path: Path):
    application = MockApplication(load_config(), tmp_path / "jobs.db")
    yield Client(application)
    application.close()


@pytest.fixture
def recorded_comparisons(monkeypatch):
    """Every call of hmac.compare_digest, as (a, b) pairs (the real function still decides)."""
    calls: list[tuple] = []
    real = hmac.compare_digest

    def recording(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    return calls


def _provided_signature(scheme: str, headers: dict, body: str) -> bytes:
    if scheme == "sigv4":
        return headers["Authorization"].rsplit("Signature=", 1)[1].encode()
    return parse_qs(body)["Signature"][0].encode()


@pytest.mark.parametrize("scheme", ["sigv2", "sigv4"])
@pytest.mark.parametrize("tamper", [False, True], ids=["valid", "wrong"])
def test_signature_is_compared_with_compare_digest(app_client, recorded_comparisons, scheme, tamper):
    if scheme == "sigv2":
        body = sigv2_body("localhost", LIST_JOBS, secret="wrong-secret" if tamper else SECRET)
        headers = {"Content-Type": FORM}
    else:
        headers, raw = sigv4_request("localhost", LIST_JOBS)
        body = raw.decode()
        if tamper:
            headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    response = app_client.post("/", data=body, headers=headers)
    assert response.status_code == (403 if tamper else 200), response.get_data()
    provided = _provided_signature(scheme, headers, body)
    assert any(provided in pair for pair in recorded_comparisons), (
        f"the {scheme} signature was not compared with hmac.compare_digest: {recorded_comparisons}")


def _send_sigv2(mock, **when) -> requests.Response:
    return requests.post(mock.url + "/", data=sigv2_body(mock.host, LIST_JOBS, **when),
                         headers={"Content-Type": FORM}, timeout=10)


def _send_sigv4(mock, signed_at=None) -> requests.Response:
    headers, body = sigv4_request(mock.host, LIST_JOBS, signed_at=signed_at)
    return requests.post(mock.url + "/", data=body, headers=headers, timeout=10)


@pytest.mark.parametrize("skew", [-16, 16], ids=["past", "future"])
def test_sigv2_timestamp_outside_the_window_is_refused(admin_mock, skew):
    assert _send_sigv2(admin_mock).status_code == 200
    response = _send_sigv2(admin_mock, timestamp=utc_now() + minutes(skew))
    assert error_code(response.status_code, response.content) == (403, "RequestExpired")


def test_sigv2_expires_in_the_past_is_refused(admin_mock):
    assert _send_sigv2(admin_mock, expires=utc_now() + minutes(5)).status_code == 200
    response = _send_sigv2(admin_mock, expires=utc_now() - minutes(1))
    assert error_code(response.status_code, response.content) == (403, "RequestExpired")


@pytest.mark.parametrize("skew", [-16, 16], ids=["past", "future"])
def test_sigv4_date_outside_the_window_is_refused(admin_mock, skew):
    assert _send_sigv4(admin_mock).status_code == 200
    response = _send_sigv4(admin_mock, signed_at=utc_now() + minutes(skew))
    assert error_code(response.status_code, response.content) == (403, "RequestExpired")


def _advance_clock(mock, seconds: float) -> None:
    answer = requests.post(mock.url + "/_mock/clock", json={"advance_s": seconds}, timeout=10)
    assert answer.status_code == 200, answer.text


@pytest.fixture
def clock_restored(admin_mock):
    yield admin_mock
    requests.post(admin_mock.url + "/_mock/clock", json={"offset_s": 0}, timeout=10)


@pytest.mark.parametrize("scheme", ["sigv2-timestamp", "sigv2-expires", "sigv4"])
def test_the_same_signed_request_replayed_after_its_window_is_refused(clock_restored, scheme):
    mock = clock_restored
    if scheme == "sigv4":
        headers, body = sigv4_request(mock.host, LIST_JOBS)
    else:
        when = {"expires": utc_now() + minutes(2)} if scheme == "sigv2-expires" else {}
        headers, body = {"Content-Type": FORM}, sigv2_body(mock.host, LIST_JOBS, **when).encode()
    first = requests.post(mock.url + "/", data=body, headers=headers, timeout=10)
    assert first.status_code == 200, first.text
    _advance_clock(mock, 16 * 60)
    replay = requests.post(mock.url + "/", data=body, headers=headers, timeout=10)
    assert error_code(replay.status_code, replay.content) == (403, "RequestExpired")
