"""The preflight and the run's clock base: what stops a run, in one line, and where set_clock lands.

Units for the clock base and the response descriptions; the preflight against the stub endpoint,
an HTML server and a closed port; and the plugin end to end, where a target that is not an
Import/Export endpoint stops the run before any case with one line.
"""
from __future__ import annotations

import socket
import threading
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from conformance.run.clock_base import choose_base_days
from conformance.run.preflight import (
    PreflightFailed,
    check_endpoint,
    describe_failure,
    quota_stop_message,
    root_element_name,
)
from conformance.wire.request_builder import build_get
from conformance.wire.transport import Exchange, ReceivedResponse, Transport
from tests.engine.conftest import make_target
from tests.engine.test_engine_plugin import make_project, run_pytest


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


NOON = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
DAY = 86400


def test_a_fresh_target_gets_no_clock_base():
    assert choose_base_days(NOON, [], [0, 101 * DAY]) == 0
    assert choose_base_days(NOON, [NOON, NOON + timedelta(days=30)], [101 * DAY, 102 * DAY]) == 0


def test_the_clock_base_moves_every_landing_day_off_the_days_that_hold_jobs():
    earlier_run = [NOON, *(NOON + timedelta(days=day) for day in (101, 102, 103))]
    base = choose_base_days(NOON, earlier_run, [0, 101 * DAY, 102 * DAY, 103 * DAY])
    assert base == 3
    more = [*earlier_run, *(NOON + timedelta(days=day) for day in (105, 106))]
    assert choose_base_days(NOON, more, [0, 101 * DAY, 103 * DAY]) == 6


def test_landing_days_follow_the_utc_day_boundary():
    late = datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)
    next_day_job = [datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc)]
    assert choose_base_days(late, next_day_job, [3600 + 60]) == 1
    assert choose_base_days(late, next_day_job, [60]) == 0


@pytest.mark.parametrize("body, name", [
    (b'<?xml version="1.0"?>\n<ListJobsResponse xmlns="x"><a/></ListJobsResponse>', "ListJobsResponse"),
    (b"<!-- hi --><ie:ErrorResponse xmlns:ie='x'><Error>", "ErrorResponse"),
    (b"<!DOCTYPE html><html><body>It works</body></html>", None),
    (b"  <html lang='en'>", "html"),
    (b'{"message": "not found"}', None),
    (b"", None),
])
def test_root_element_name_reads_only_the_first_element(body, name):
    assert root_element_name(body) == name


def exchange_with(status: int, content_type: str, body: bytes) -> Exchange:
    return Exchange(build_get("http://h/"), ReceivedResponse(status, "", (("Content-Type", content_type),), body))


def test_quota_stop_message_only_for_the_quota_error():
    quota = exchange_with(400, "text/xml", b"<ErrorResponse><Error><Code>CreateJobQuotaExceededException</Code>")
    other = exchange_with(400, "text/xml", b"<ErrorResponse><Error><Code>InvalidJobIdException</Code>")
    message = quota_stop_message(quota, "CreateJob.X[sigv2]")
    assert message is not None and message.startswith("CreateJob.X[sigv2]: CreateJob answered")
    assert "--jobs-per-day" in message and "control_url" in message and "\n" not in message
    assert quota_stop_message(other, "CreateJob.X[sigv2]") is None
    assert quota_stop_message(None, "CreateJob.X[sigv2]") is None


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_described_in_two_words():
    transport = Transport(2.0, 1024)
    try:
        exchange = transport.send(build_get(f"http://127.0.0.1:{closed_port()}/"))
    finally:
        transport.close()
    assert describe_failure(exchange) == "connection refused"


@pytest.fixture(scope="module")
def html_server() -> str:
    """An HTTP server that is not Import/Export: every request gets a 200 HTML page."""
    @Request.application
    def application(request: Request) -> Response:
        return Response("<!DOCTYPE html><html><body>Welcome to nginx!</body></html>", content_type="text/html")

    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_check_endpoint_accepts_an_error_response_and_refuses_html(stub_endpoint, html_server, mini_xsd):
    check_endpoint(make_target(stub_endpoint, mini_xsd), "sigv4")  # the stub answers ListJobs with InvalidAction
    with pytest.raises(PreflightFailed) as failure:
        check_endpoint(make_target(html_server, mini_xsd), "sigv2")
    message = str(failure.value)
    assert message.startswith(f"preflight: a signed ListJobs (sigv2) to {html_server}/ got HTTP 200 text/html")
    assert "Welcome to nginx!" in message and "not an Import/Export endpoint" in message and "\n" not in message


def test_check_endpoint_names_a_refused_connection(mini_xsd):
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(PreflightFailed, match=rf"^preflight: a signed ListJobs \(sigv2\) to {url}/ got no response: "
                                              r"connection refused; is the endpoint up at that URL\?$"):
        check_endpoint(make_target(url, mini_xsd, timeout_s=2.0), "sigv2")


def test_the_run_stops_before_the_first_case_with_one_line(project, html_server):
    result = run_pytest(project, "--endpoint-url", html_server)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ERROR: preflight: ")
    assert "got HTTP 200 text/html" in result.stderr and "preflight:" not in result.stdout
    assert not result.stdout.strip()  # neither "no tests ran" nor pytest's `! _pytest.outcomes.Exit` banner


def test_a_control_url_that_is_not_the_control_api_stops_the_run(project, stub_endpoint, html_server):
    result = run_pytest(project, "--endpoint-url", stub_endpoint, "--control-url", f"{html_server}/_mock")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert result.stderr.startswith(f"ERROR: preflight: GET {html_server}/_mock/clock got HTTP 200 text/html")
