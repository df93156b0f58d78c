"""Failure output: the report names the case and every mismatch, and its curl command replays the
exact request bytes."""
from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone

import pytest

from conformance.cases.definitions import RawSpec, RequestSpec
from conformance.cases.sources import CaseFileSource
from conformance.run.failure import curl_command, render_failure
from conformance.run.runner import CaseFailed, CaseRunner
from conformance.settings import DEFAULT_PRIMARY
from conformance.wire.request_builder import build_api_request, build_raw_request
from tests.engine.conftest import make_target

FAILING_CASE = """\
concern: A case that fails against the stub.
cases:
- id: Stub.WrongProgressCode
  operation: GetStatus
  level: inferred
  decision: X1 for the test.
  source: F4
  doc: Expects Complete where the stub says Pending.
  steps:
  - request: {params: {JobId: GOOD1}}
    expect:
      status: 200
      xpath: [{path: '//ie:ProgressCode', equals: Complete}]
  teardown:
  - request: {params: {JobId: GOOD1}}
"""
UNSAVED_IN_TEARDOWN = """\
concern: A case whose teardown names a value the failed step never saved.
cases:
- id: Stub.SaveFails
  operation: GetStatus
  level: documented
  source: F4
  doc: Saves an element the stub never sends.
  steps:
  - request: {params: {JobId: GOOD1}}
    save: {never_saved: '//ie:Nothing'}
  teardown:
  - request: {params: {JobId: '${never_saved}'}}
"""


def run_failing_case(tmp_path, endpoint, xsd) -> CaseFailed:
    (tmp_path / "fixtures").mkdir()
    path = tmp_path / "fixtures" / "failing.yaml"
    path.write_text(FAILING_CASE)
    (case,) = CaseFileSource(path, tmp_path / "fixtures").cases()
    with pytest.raises(CaseFailed) as failure:
        CaseRunner(case, "sigv2", make_target(endpoint, xsd)).run()
    return failure.value


def test_failure_report_names_case_mismatches_request_and_response(tmp_path, stub_endpoint, mini_xsd):
    text = render_failure(run_failing_case(tmp_path, stub_endpoint, mini_xsd))
    assert text.startswith("Case Stub.WrongProgressCode [sigv2] did not conform at steps[0] GetStatus\n")
    for expected in (
        "  file:     fixtures/failing.yaml", "  source:   F4 (level: inferred)",
        "  decision: X1 for the test.", "Mismatches (1):", "  1. [xpath] //ie:ProgressCode equals",
        "       - expected: 'Complete'", "       + actual:   ['Pending']",
        "Steps run:\n  steps[0] GetStatus -> 200 OK (did not conform)\n  teardown[0] GetStatus -> 200 OK",
        "Request as sent (", "    POST / HTTP/1.1", "Action=GetStatus&Version=2010-06-01&JobId=GOOD1&AWSAccessKeyId=",
        "String to sign:\n    POST\n", "Reproduce with curl", "curl -sS -i --globoff --path-as-is -X POST",
        "--data-binary 'Action=GetStatus", "Response: HTTP 200 OK (", "<ProgressCode>Pending</ProgressCode>",
    ):
        assert expected in text


def test_teardown_naming_an_unsaved_value_is_skipped_with_a_note(tmp_path, stub_endpoint, mini_xsd):
    (tmp_path / "fixtures").mkdir()
    path = tmp_path / "fixtures" / "unsaved.yaml"
    path.write_text(UNSAVED_IN_TEARDOWN)
    (case,) = CaseFileSource(path, tmp_path / "fixtures").cases()
    with pytest.raises(CaseFailed) as failure:
        CaseRunner(case, "sigv4", make_target(stub_endpoint, mini_xsd)).run()
    assert [m.message for m in failure.value.failed.mismatches] == ["save never_saved: //ie:Nothing selected no value"]
    assert failure.value.notes == [
        "teardown teardown[0] GetStatus skipped: unknown template name ${never_saved} "
        "(known: bucket.foreign, bucket.log, bucket.missing, bucket.other_region, bucket.primary, host, "
        "primary.access_key_id, secondary.access_key_id, unique)"]


NOW = datetime.now(timezone.utc)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("make_request", [
    lambda url: build_api_request(RequestSpec(params=(("JobId", "it's a \"job\" é & $HOME"),)), "GetStatus",
                                  "sigv4", DEFAULT_PRIMARY, url, NOW, {}),
    lambda url: build_api_request(RequestSpec(method="GET", params=(("JobId", "A B"),)), "GetStatus", "sigv2",
                                  DEFAULT_PRIMARY, url, NOW, {}),
    lambda url: build_raw_request(RawSpec(headers=(("Content-Type", "x/y"),), body_b64="AP8nXHg="), url),
], ids=["sigv4-post-with-quotes", "sigv2-get", "raw-binary-body"])
def test_curl_command_replays_the_exact_bytes(capture_server, make_request):
    request = make_request(capture_server.url)
    completed = subprocess.run(["bash", "-c", curl_command(request)], capture_output=True, timeout=30)
    assert completed.returncode == 0, completed.stderr
    assert capture_server.requests == [request.wire_bytes()]


def test_curl_command_pipes_binary_bodies_through_printf():
    request = build_raw_request(RawSpec(body_b64="AP8nXHg="), "http://127.0.0.1:1")
    assert curl_command(request).startswith("printf '%b' '\\x00\\xff\\x27\\x5cx' | curl ")
    assert curl_command(request).endswith(" --data-binary @-")
