"""The HTTP layer (mockserver/serving.py) over raw sockets: requests waitress refuses before the app.

Each gets an `ErrorResponse` XML with a 4xx (the status waitress chose, 501 mapped to 400), its
RequestId also in `x-amzn-RequestId`, and the server answers a normal request afterwards. An
`Expect: 100-continue` request that is already complete gets its final answer, not a lone 100.
"""
from __future__ import annotations

import http.client
import socket

import pytest
import requests
from requests.structures import CaseInsensitiveDict


def _exchange(mock, raw: bytes, pause_after: bytes | None = None) -> requests.Response:
    """Send `raw` on a fresh connection and read one final answer (a 100 Continue is skipped)."""
    host, port = mock.host.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        if pause_after is not None:
            head, rest = raw.split(pause_after, 1)
            connection.sendall(head + pause_after)
            assert connection.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
            raw = rest
        try:
            connection.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before it has read a huge head; its answer is still there
        reply = http.client.HTTPResponse(connection)
        reply.begin()
        response = requests.Response()
        response.status_code = reply.status
        response.headers = CaseInsensitiveDict(reply.getheaders())
        response._content = reply.read()
        return response


def _normal_request_works(mock) -> None:
    assert mock.sigv4({"Action": "ListJobs", "Version": "2010-06-01"}).status_code == 200


HUGE_QUERY = b"GET /?Action=ListJobs&Pad=" + b"x" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize(("raw", "status", "code"), [
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "BadRequest",
                 id="invalid-content-length"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400,
                 "BadRequest", id="two-content-lengths"),
    pytest.param(b"GARBAGE\r\n\r\n", 400, "BadRequest", id="no-request-line"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "BadRequest",
                 id="unknown-transfer-encoding"),
    pytest.param(HUGE_QUERY, 431, "RequestHeaderFieldsTooLarge", id="head-over-256KiB"),
    pytest.param(b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"y" * 300_000 + b"\r\n\r\n", 431,
                 "RequestHeaderFieldsTooLarge", id="header-over-256KiB"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413,
                 "RequestEntityTooLarge", id="content-length-over-waitress-limit"),
])
def test_requests_refused_by_the_http_layer_get_an_xml_4xx(mock, raw, status, code):
    response = _exchange(mock, raw)
    error = mock.error_of(response)
    assert (error.status, error.code, error.error_type) == (status, code, "Sender")
    assert response.headers["x-amzn-RequestId"] == error.request_id
    _normal_request_works(mock)


@pytest.mark.parametrize("raw", [
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n", id="empty"),
    pytest.param(b"GET /?Action=ListJobs HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", id="get"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc",
                 id="body-sent-with-the-head"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\nExpect: 100-continue\r\n\r\n",
                 id="refused-length"),
])
def test_expect_continue_on_a_complete_request_gets_a_final_answer(mock, raw):
    response = _exchange(mock, raw)
    assert 400 <= response.status_code < 500
    mock.error_of(response)
    _normal_request_works(mock)


def test_expect_continue_with_a_body_to_come_still_gets_100_first(mock):
    body = b"Action=ListJobs"
    raw = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n%s" % (len(body), body))
    response = _exchange(mock, raw, pause_after=b"\r\n\r\n")
    assert mock.error_of(response).code == "MissingAuthenticationToken"


def test_a_refused_request_leaves_other_connections_alone(mock):
    """An idle keep-alive connection opened before a refused request still serves after it."""
    host, port = mock.host.rsplit(":", 1)
    keep_alive = http.client.HTTPConnection(host, int(port), timeout=10)
    keep_alive.request("GET", "/?Action=ListJobs")
    assert keep_alive.getresponse().read()
    _exchange(mock, HUGE_QUERY)
    keep_alive.request("GET", "/?Action=ListJobs")
    reply = keep_alive.getresponse()
    assert reply.status == 403 and reply.read().endswith(b"</ErrorResponse>\n")
    keep_alive.close()


@pytest.mark.parametrize("worker_threads", [0, 2], ids=["io-thread", "pool-of-2"])
def test_both_serving_models_answer_head_and_body_in_full(tmp_path, worker_threads):
    """The I/O thread sends an answer's head with its body; the pool (`--worker-threads`) as waitress does."""
    import threading

    from mockserver.app import MockApplication
    from mockserver.config import load_config
    from mockserver.serving import create_server

    application = MockApplication(load_config(), tmp_path / "jobs.db")
    server = create_server(application, "127.0.0.1", 0, worker_threads=worker_threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}"
        with requests.Session() as session:
            for _ in range(3):  # on one kept-alive connection
                answer = session.post(url + "/", data=b"Action=ListJobs&Version=2010-06-01", timeout=5,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
                assert answer.status_code in (400, 403) and answer.text.rstrip().endswith("</ErrorResponse>")
                assert int(answer.headers["Content-Length"]) == len(answer.content)
            assert session.head(url + "/", timeout=5).status_code == 405
    finally:
        server.close()
        server.task_dispatcher.shutdown()
        application.close()
