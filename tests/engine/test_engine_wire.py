"""Request building (default, GET, omit, action_param, manifest, example, raw, tamper) and exact bytes."""
from __future__ import annotations

import base64
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl

from conformance.cases.definitions import RawSpec, RequestSpec, SigningOverrides
from conformance.settings import DEFAULT_PRIMARY
from conformance.wire.request_builder import build_api_request, build_raw_request
from conformance.wire.transport import Transport

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
ENDPOINT = "http://127.0.0.1:8080"
DATA = Path(__file__).with_name("data")


def build(spec: RequestSpec, scheme: str = "sigv2", operation: str = "GetStatus", variables=None):
    return build_api_request(spec, operation, scheme, DEFAULT_PRIMARY, ENDPOINT, NOW, variables or {})


def body_params(request) -> list:
    return parse_qsl(request.body.decode(), keep_blank_values=True)


def test_default_post_body_order_and_headers():
    request = build(RequestSpec(params=(("JobId", "A B"),)), scheme="none")
    assert request.method == "POST" and request.url == ENDPOINT + "/"
    assert request.body == b"Action=GetStatus&Version=2010-06-01&JobId=A+B"
    assert request.headers == (
        ("Host", "127.0.0.1:8080"), ("User-Agent", "importexport-conformance"), ("Accept-Encoding", "identity"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Content-Length", "45"),
    )


def test_sigv2_params_follow_case_params_and_signature_is_last():
    names = [name for name, _ in body_params(build(RequestSpec(params=(("JobId", "J"),))))]
    assert names == ["Action", "Version", "JobId", "AWSAccessKeyId", "SignatureVersion", "SignatureMethod",
                     "Timestamp", "Signature"]


def test_sigv4_adds_headers_only():
    request = build(RequestSpec(params=(("JobId", "J"),)), scheme="sigv4")
    assert request.body == b"Action=GetStatus&Version=2010-06-01&JobId=J"
    names = [name for name, _ in request.headers]
    assert names == ["Host", "User-Agent", "Accept-Encoding", "Content-Type", "X-Amz-Date", "Authorization",
                     "Content-Length"]


def test_omit_action_param_and_content_type():
    request = build(RequestSpec(omit=("Version",), action_param="Operation", content_type="text/plain"),
                    scheme="none")
    assert request.body == b"Operation=GetStatus"
    assert ("Content-Type", "text/plain") in request.headers


def test_get_puts_params_in_the_query_and_sends_no_body():
    request = build(RequestSpec(method="GET", params=(("JobId", "J"),)), scheme="sigv2")
    assert request.body == b""
    assert request.url.startswith(ENDPOINT + "/?Action=GetStatus&Version=2010-06-01&JobId=J&AWSAccessKeyId=")
    assert not any(name in ("Content-Type", "Content-Length") for name, _ in request.headers)


def test_query_on_a_post_is_sent_but_sigv2_signs_the_body_only():
    """The AWS SDK for Go v1's shape: POST /?Operation=<Action>, SigV2 over the form parameters."""
    request = build(RequestSpec(query="Operation=GetStatus", params=(("JobId", "J"),)), scheme="sigv2")
    assert request.url == ENDPOINT + "/?Operation=GetStatus"
    assert dict(body_params(request))["Action"] == "GetStatus"
    assert "\n/\nAWSAccessKeyId=" in request.string_to_sign and "Operation" not in request.string_to_sign


def test_query_on_a_post_is_signed_by_sigv4():
    request = build(RequestSpec(query="Operation=GetStatus"), scheme="sigv4")
    assert request.url == ENDPOINT + "/?Operation=GetStatus"
    plain = build(RequestSpec(), scheme="sigv4")
    assert dict(plain.headers)["Authorization"] != dict(request.headers)["Authorization"]


def test_percent_form_encoding_sends_spaces_as_percent_20():
    """The JavaScript and Ruby SDKs' encoding; the signature does not depend on it."""
    percent = build(RequestSpec(params=(("JobId", "A B~*"),), form_encoding="percent"))
    plus = build(RequestSpec(params=(("JobId", "A B~*"),)))
    assert b"JobId=A%20B~%2A&" in percent.body and b"JobId=A+B~%2A&" in plus.body
    assert dict(body_params(percent))["Signature"] == dict(body_params(plus))["Signature"]


def test_manifest_file_is_templated_and_sent_last(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text("accessKeyId: ${primary.access_key_id}\n")
    request = build(RequestSpec(params=(("JobType", "Import"),), manifest_file=manifest), scheme="none",
                    operation="CreateJob", variables={"primary.access_key_id": "AKIDX"})
    assert body_params(request)[-1] == ("Manifest", "accessKeyId: AKIDX\n")


def test_example_mode_starts_from_published_params():
    spec = RequestSpec(example_file=DATA / "GetStatus-request-example.txt", example_set=(("JobId", "J1"),),
                       example_drop=("Signature", "Timestamp"))
    params = body_params(build(spec, scheme="none"))
    assert params == [("Action", "GetStatus"), ("SignatureMethod", "HmacSHA256"), ("JobId", "J1"),
                      ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"), ("SignatureVersion", "2"),
                      ("Version", "2010-06-03")]


def test_tamper_body_is_appended_after_signing():
    spec = RequestSpec(signing=SigningOverrides(tamper_body="JobId=OTHER"))
    request = build(spec, scheme="sigv2")
    assert request.body.endswith(b"&JobId=OTHER")
    assert request.body.index(b"Signature=") < request.body.index(b"JobId=OTHER")
    assert ("Content-Length", str(len(request.body))) in request.headers


def test_raw_mode_recomputes_length_and_adds_host():
    request = build_raw_request(RawSpec(headers=(("Content-Length", "999"), ("X-Test", "1")), body="abc"), ENDPOINT)
    assert request.headers == (("Host", "127.0.0.1:8080"), ("X-Test", "1"), ("User-Agent", "importexport-conformance"),
                               ("Accept-Encoding", "identity"), ("Content-Length", "3"))
    binary = build_raw_request(RawSpec(body_b64=base64.b64encode(b"\xff\x00").decode()), ENDPOINT)
    assert binary.body == b"\xff\x00"


def test_raw_example_is_sent_as_published_with_unwrapped_body():
    request = build_raw_request(RawSpec(example_file=DATA / "GetStatus-request-example.txt"), ENDPOINT)
    assert request.method == "POST"
    assert ("host", "https://importexport.amazonaws.com") in request.headers
    assert not any(name == "content-length" for name, _ in request.headers)
    assert request.body.startswith(b"Action=GetStatus&SignatureMethod=HmacSHA256&JobId=JOBID&AWSAccessKeyId=")
    assert b"\n" not in request.body


def test_wire_bytes_are_exactly_what_the_server_receives(capture_server):
    request = build_api_request(RequestSpec(params=(("JobId", "J 1"),)), "CancelJob", "sigv4", DEFAULT_PRIMARY,
                                capture_server.url, NOW, {})
    transport = Transport(timeout_s=5, max_body_bytes=1024)
    exchange = transport.send(request)
    transport.close()
    assert exchange.error is None and exchange.response.status == 200
    assert capture_server.requests == [request.wire_bytes()]


def test_raw_wire_bytes_are_exact_too(capture_server):
    request = build_raw_request(RawSpec(method="PUT", path="/x?y=1", headers=(("content-type", "a/b"),),
                                        body="%AK=1"), capture_server.url)
    transport = Transport(timeout_s=5, max_body_bytes=1024)
    transport.send(request)
    transport.close()
    assert capture_server.requests == [request.wire_bytes()]
    assert request.wire_bytes().startswith(b"PUT /x?y=1 HTTP/1.1\r\n")
