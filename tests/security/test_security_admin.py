"""The control API: absent without --admin, loopback-only with it (unless allowed), strict about input."""
from __future__ import annotations

import subprocess
import sys

import pytest
import requests
from werkzeug.test import Client

from mockserver.app import MockApplication
from mockserver.config import load_config
from tests.security.conftest import error_code
from tests.support.mock_process import REPO_ROOT, MockProcess

CALLS = [("GET", "/_mock/clock"), ("POST", "/_mock/reset"), ("GET", "/_mock/jobs"),
         ("POST", "/_mock/jobs/ABCDE/state")]


@pytest.fixture(scope="module")
def plain_mock():
    mock = MockProcess().start()
    yield mock
    mock.stop()


@pytest.mark.parametrize("method,path", CALLS)
def test_control_api_is_off_without_admin(plain_mock, method, path):
    response = requests.request(method, plain_mock.url + path, json={}, timeout=10)
    assert error_code(response.status_code, response.content) == (404, "NotFound")


def _app(tmp_path, **flags) -> MockApplication:
    return MockApplication(load_config(), tmp_path / "jobs.db", admin=True, **flags)


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.7", "2001:db8::1", "::ffff:10.1.2.3", "", "unknown"])
@pytest.mark.parametrize("method,path", CALLS)
def test_control_api_refuses_clients_not_on_loopback(tmp_path, address, method, path):
    application = _app(tmp_path)
    try:
        client = Client(application)
        response = client.open(path, method=method, json={}, environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 403 and response.json["ok"] is False, response.data
        clock = client.get("/_mock/clock", environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert clock.status_code == 200 and clock.json["offset_s"] == 0
    finally:
        application.close()


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_control_api_serves_loopback_clients(tmp_path, address):
    application = _app(tmp_path)
    try:
        response = Client(application).post("/_mock/clock", json={"advance_s": 5},
                                            environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200 and response.json["offset_s"] == 5, response.data
    finally:
        application.close()


def test_allow_remote_flag_serves_other_clients(tmp_path):
    application = _app(tmp_path, admin_allow_remote=True)
    try:
        response = Client(application).post("/_mock/clock", json={"advance_s": 5},
                                            environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert response.status_code == 200 and response.json["offset_s"] == 5, response.data
    finally:
        application.close()


def test_cli_offers_the_allow_remote_flag_only_with_admin():
    run = [sys.executable, "-m", "mockserver"]
    help_text = subprocess.run([*run, "--help"], capture_output=True, text=True, cwd=REPO_ROOT).stdout
    assert "--admin-allow-remote" in help_text
    refused = subprocess.run([*run, "--port", "0", "--admin-allow-remote"], capture_output=True, text=True,
                             cwd=REPO_ROOT, timeout=30)
    assert refused.returncode == 2 and "--admin-allow-remote needs --admin" in refused.stderr
    mock = MockProcess("--admin", "--admin-allow-remote").start()
    try:
        assert requests.get(mock.url + "/_mock/clock", timeout=10).json()["ok"] is True
    finally:
        mock.stop()


BAD_INPUT = [
    ("POST", "/_mock/clock", b"{not json", 400),
    ("POST", "/_mock/clock", b"\xff\xfe", 400),
    ("POST", "/_mock/clock", b"[1, 2]", 400),
    ("POST", "/_mock/clock", b'{"advance_s": "10"}', 400),
    ("POST", "/_mock/clock", b'{"advance_s": true}', 400),
    ("POST", "/_mock/clock", b'{"advance_s": 1e300}', 400),
    ("POST", "/_mock/clock", b'{"advance_s": 1, "offset_s": 2}', 400),
    ("POST", "/_mock/clock", b'{"speed": 2}', 400),
    ("POST", "/_mock/quota", b'{"jobs_per_day": -1}', 400),
    ("POST", "/_mock/quota", b'{"jobs_per_day": "5"}', 400),
    ("POST", "/_mock/quota", b'{"jobs_per_day": 5, "access_key_id": "AKIANOSUCHKEY0000000"}', 400),
    ("POST", "/_mock/inject", b'{"operation": "Nope", "code": "InvalidJobIdException"}', 400),
    ("POST", "/_mock/inject", b'{"operation": "GetStatus", "code": "<script>"}', 400),
    ("POST", "/_mock/inject", b'{"operation": "GetStatus", "code": "InvalidJobIdException", "message": 5}', 400),
    ("POST", "/_mock/jobs/NOSUCHJOB/state", b'{"progress_code": "Pending"}', 404),
    ("POST", "/_mock/jobs/%3C%26%5D%5D%3E/state", b'{"progress_code": "Pending"}', 404),
    ("POST", "/_mock/jobs/ABCDE/state", b'{"progress_code": 7}', 400),
    ("POST", "/_mock/jobs/ABCDE/state", b'{"error_count": -1}', 400),
    ("POST", "/_mock/jobs/ABCDE/state", b'{"carrier": ["UPS"]}', 400),
    ("POST", "/_mock/clock", b"{" * 100_000, 413),
    ("DELETE", "/_mock/clock", b"", 405),
    ("POST", "/_mock/nosuchcall", b"{}", 404),
]


@pytest.mark.parametrize("method,path,body,status", BAD_INPUT)
def test_control_routes_reject_bad_input_with_a_json_4xx(admin_mock, method, path, body, status):
    response = requests.request(method, admin_mock.url + path, data=body,
                                headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    document = response.json()
    assert document["ok"] is False and isinstance(document["error"], str) and document["error"]
    clock = requests.get(admin_mock.url + "/_mock/clock", timeout=10).json()
    assert clock["offset_s"] == 0
