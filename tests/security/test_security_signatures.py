"""Signatures: compared in constant time; refused outside the clock window and when replayed after it."""
from __future__ import annotations

import hmac
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
from werkzeug.test import Client

from mockserver.app import MockApplication
from mockserver.config import load_config
from tests.security.conftest import FORM, SECRET, error_code, minutes, sigv2_body, sigv4_request, utc_now
from tests.support.mock_process import MockProcess

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


# A request is signed so that its window closes this many seconds after it was built: it is sent at
# once (accepted), then replayed once the window has passed on the real clock (refused). The mock
# accepts a time within the window of its shifted clock OR of the real time (decision A5), so moving
# the mock clock cannot close a window; only real time can. The three schemes' first sends go out
# together (`first_sends`), so the module waits for one window, not three.
WINDOW_LEFT_S = 4
REPLAY_AFTER_S = WINDOW_LEFT_S + 2
REPLAY_SCHEMES = ["sigv2-timestamp", "sigv2-expires", "sigv4"]


def _signed_near_the_end_of_its_window(mock, scheme: str) -> tuple[dict, bytes]:
    if scheme == "sigv4":
        return sigv4_request(mock.host, LIST_JOBS, signed_at=utc_now() - minutes(15) + timedelta(seconds=WINDOW_LEFT_S))
    if scheme == "sigv2-expires":
        when = {"expires": utc_now() + timedelta(seconds=WINDOW_LEFT_S)}
    else:
        when = {"timestamp": utc_now() - minutes(15) + timedelta(seconds=WINDOW_LEFT_S)}
    return {"Content-Type": FORM}, sigv2_body(mock.host, LIST_JOBS, **when).encode()


@pytest.fixture(scope="module")
def first_sends():
    """One mock; each scheme's request signed near the end of its window and sent at once: by scheme,
    (headers, body, the first answer, the monotonic time after which the window has surely passed)."""
    mock = MockProcess("--admin", "--jobs-per-day", "100000").start()
    sent = {}
    for scheme in REPLAY_SCHEMES:
        replay_after = time.monotonic() + REPLAY_AFTER_S
        headers, body = _signed_near_the_end_of_its_window(mock, scheme)
        first = requests.post(mock.url + "/", data=body, headers=headers, timeout=10)
        sent[scheme] = (mock, headers, body, first, replay_after)
    yield sent
    mock.stop()


@pytest.mark.parametrize("scheme", REPLAY_SCHEMES)
def test_the_same_signed_request_replayed_after_its_window_is_refused(first_sends, scheme):
    mock, headers, body, first, replay_after = first_sends[scheme]
    assert first.status_code == 200, first.text
    time.sleep(max(0.0, replay_after - time.monotonic()))
    replay = requests.post(mock.url + "/", data=body, headers=headers, timeout=10)
    assert error_code(replay.status_code, replay.content) == (403, "RequestExpired")
