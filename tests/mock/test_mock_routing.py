"""Routing answers depend on everything werkzeug's `Map` reads, also after the same path was routed before.

The application remembers route matches (`MockApplication._endpoint_of`); these requests differ from
an API request only in a part of the environ the match depends on (method, Host, a websocket upgrade),
and each must still get its own answer however often and in whatever order they come.
"""
from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockserver.app import MockApplication
from mockserver.config import load_config

API = {"method": "POST", "headers": {"Host": "127.0.0.1:8080"}}
REQUESTS = {
    "api": (API, 403, "MissingAuthenticationToken"),
    "another method": ({**API, "method": "PUT"}, 405, "MethodNotAllowed"),
    "HEAD": ({**API, "method": "HEAD"}, 405, None),
    "a Host that is no host name": ({**API, "headers": {"Host": "a..b"}}, 404, "NotFound"),
    "a websocket upgrade": (
        {**API, "headers": {**API["headers"], "Connection": "Upgrade", "Upgrade": "websocket"}}, 404, "NotFound"),
    "an upgrade to another protocol": (
        {**API, "headers": {**API["headers"], "Connection": "Upgrade", "Upgrade": "h2c"}}, 403,
        "MissingAuthenticationToken"),
    "an Upgrade header without Connection: Upgrade": (
        {**API, "headers": {**API["headers"], "Upgrade": "websocket"}}, 403, "MissingAuthenticationToken"),
    "another path": ({**API, "path": "/elsewhere"}, 404, "NotFound"),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    application = MockApplication(load_config(None), tmp_path_factory.mktemp("routing") / "jobs.db")
    yield Client(application)
    application.close()


@pytest.mark.parametrize("order", [list(REQUESTS), list(reversed(REQUESTS))], ids=["forward", "backward"])
def test_each_request_keeps_its_own_route(client, order):
    for _ in range(2):
        for name in order:
            options, status, code = REQUESTS[name]
            response = client.open(options.get("path", "/"), method=options["method"], headers=options["headers"],
                                   data=b"Action=ListJobs", content_type="application/x-www-form-urlencoded")
            assert response.status_code == status, name
            if code is not None:
                assert f"<Code>{code}</Code>" in response.get_data(as_text=True), name


def test_long_paths_are_routed_but_not_remembered(tmp_path):
    application = MockApplication(load_config(None), tmp_path / "jobs.db")
    try:
        client = Client(application)
        assert client.open("/", method="POST", headers=API["headers"], data=b"Action=ListJobs",
                           content_type="application/x-www-form-urlencoded").status_code == 403
        for digit in "123":
            response = client.open("/" + digit * 5000, method="GET", headers=API["headers"])
            assert response.status_code == 404
        remembered = [sum(len(part) for part in key if isinstance(part, str)) for key in application._endpoints]
        assert len(remembered) == 1 and remembered[0] < 100
    finally:
        application.close()
