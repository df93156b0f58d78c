"""Authentication: SigV2 and SigV4 verification, the reference test vectors, decisions A1-A9."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from urllib.parse import urlencode

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from mockserver.exceptions import ApiError
from mockserver.protocol.http_request import WireRequest
from mockserver.protocol.signatures import authenticate, sigv2_signature

VECTOR_PARAMS = {
    "Action": "GetStatus", "JobId": "JOBID", "Version": "2010-06-01",
    "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SignatureVersion": "2",
    "SignatureMethod": "HmacSHA256", "Timestamp": "2011-06-20T22:30:59Z",
}
VECTOR_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def test_sigv2_reference_vector_hmac_sha256():
    signature = sigv2_signature(VECTOR_SECRET, "POST", "importexport.amazonaws.com", "/", VECTOR_PARAMS, "HmacSHA256")
    assert signature == "VTazu+SqZwzaycStoXLU/edm0KU9Qo9HqwY4wqzo43U="


def test_sigv2_reference_vector_hmac_sha1():
    params = {**VECTOR_PARAMS, "SignatureMethod": "HmacSHA1"}
    signature = sigv2_signature(VECTOR_SECRET, "POST", "importexport.amazonaws.com", "/", params, "HmacSHA1")
    assert signature == "CQap7LKyWVeOJj5MQ8jk1e0UJAg="


@pytest.mark.parametrize(
    ("signature_method", "signature"),
    [("HmacSHA256", "VTazu+SqZwzaycStoXLU/edm0KU9Qo9HqwY4wqzo43U="), ("HmacSHA1", "CQap7LKyWVeOJj5MQ8jk1e0UJAg=")],
)
def test_verifier_accepts_the_reference_vectors_and_rejects_a_changed_value(signature_method, signature):
    params = {**VECTOR_PARAMS, "SignatureMethod": signature_method, "Signature": signature}
    accounts = {"AKIAIOSFODNN7EXAMPLE": VECTOR_SECRET}
    signed_at = datetime(2011, 6, 20, 22, 35, tzinfo=timezone.utc)

    def wire(request_params):
        return WireRequest(method="POST", host="importexport.amazonaws.com", path="/", raw_query=b"", body=b"",
                           headers=[], params=request_params, query_params=[])

    assert authenticate(wire(params), accounts, [signed_at]) == "AKIAIOSFODNN7EXAMPLE"
    with pytest.raises(ApiError) as caught:
        authenticate(wire({**params, "JobId": "OTHER"}), accounts, [signed_at])
    assert (caught.value.code, caught.value.status) == ("SignatureDoesNotMatch", 403)


def test_sigv2_addendum_vector_with_offset_timestamp_and_operation():
    params = {
        "AWSAccessKeyId": "ABC-123", "JobType": "Import", "Manifest": "--- {}\n\n", "Operation": "CreateJob",
        "SignatureMethod": "HmacSHA1", "SignatureVersion": "2", "Timestamp": "2010-09-20T05:10:35+00:00",
    }
    host = "importexport.amazonaws.com"
    assert sigv2_signature("123-ABC", "POST", host, "/", params, "HmacSHA1") == "hmgL0julWxoVXeYHHqFQAbvmaL4="
    with_validate_only = {**params, "ValidateOnly": "true"}
    signature = sigv2_signature("123-ABC", "POST", host, "/", with_validate_only, "HmacSHA1")
    assert signature == "+OIG/6ouAbS/I2vTQZYFsgUKk3Y="


@pytest.mark.parametrize("signature_method", ["HmacSHA256", "HmacSHA1"])
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_sigv2_signed_requests_are_accepted(mock, signature_method, method):
    response = mock.sigv2({"Action": "ListJobs"}, signature_method=signature_method, method=method)
    assert mock.result_of(response, "ListJobs").findtext(f"{{{mock.NS}}}IsTruncated") == "false"


@pytest.mark.parametrize("timestamp_format", ["%Y-%m-%dT%H:%M:%S.123Z", "%Y-%m-%dT%H:%M:%S+00:00"])
def test_sigv2_timestamp_forms(mock, timestamp_format):
    timestamp = time.strftime(timestamp_format, time.gmtime())
    response = mock.sigv2({"Action": "ListJobs"}, overrides={"Timestamp": timestamp})
    mock.result_of(response, "ListJobs")


def test_sigv2_local_offset_timestamp_is_converted(mock):
    local = time.strftime("%Y-%m-%dT%H:%M:%S-05:00", time.gmtime(time.time() - 5 * 3600))
    mock.result_of(mock.sigv2({"Action": "ListJobs"}, overrides={"Timestamp": local}), "ListJobs")


def test_sigv2_operation_parameter_and_no_version(mock):
    response = mock.sigv2({"Operation": "ListJobs"}, overrides={"Version": None})
    mock.result_of(response, "ListJobs")


def test_sigv2_expires_in_the_future_is_accepted_and_in_the_past_is_expired(mock):
    future = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 300))
    ok = mock.sigv2({"Action": "ListJobs"}, overrides={"Timestamp": None, "Expires": future})
    mock.result_of(ok, "ListJobs")
    past = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5))
    expired = mock.sigv2({"Action": "ListJobs"}, overrides={"Timestamp": None, "Expires": past})
    assert (expired.status_code, mock.error_of(expired).code) == (403, "RequestExpired")


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"secret": "not-the-secret"}, 403, "SignatureDoesNotMatch"),
        ({"overrides": {"AWSAccessKeyId": "AKIAUNKNOWNEXAMPLE00"}}, 403, "InvalidClientTokenIdException"),
        ({"overrides": {"AWSAccessKeyId": ""}}, 400, "InvalidAccessKeyIdException"),
        ({"overrides": {"AWSAccessKeyId": "not a key"}}, 400, "InvalidAccessKeyIdException"),
        ({"drop": ["Signature"]}, 403, "IncompleteSignature"),
        ({"drop": ["Timestamp"]}, 403, "IncompleteSignature"),
        ({"overrides": {"Timestamp": "2011-06-20T22:30:59Z"}}, 403, "RequestExpired"),
        ({"overrides": {"Timestamp": "yesterday"}}, 400, "InvalidParameterValue"),
        ({"overrides": {"Expires": "2030-01-01T00:00:00Z"}}, 400, "InvalidParameterCombination"),
        ({"overrides": {"SignatureVersion": "1"}}, 400, "InvalidParameterValue"),
        ({"overrides": {"SignatureMethod": "HmacMD5"}}, 400, "InvalidParameterValue"),
    ],
)
def test_sigv2_failures(mock, kwargs, status, code):
    response = mock.sigv2({"Action": "ListJobs"}, **kwargs)
    error = mock.error_of(response)
    assert (error.status, error.code, error.error_type) == (status, code, "Sender")


def test_sigv2_parameter_removed_after_signing_does_not_match(mock):
    intact = mock.sigv2({"Action": "GetStatus", "JobId": "AAAAA"})
    assert mock.error_of(intact).code == "InvalidJobIdException"
    tampered = mock.sigv2({"Action": "GetStatus", "JobId": "AAAAA"}, drop=["JobId"])
    assert mock.error_of(tampered).code == "SignatureDoesNotMatch"


def test_no_authentication_at_all(mock):
    error = mock.error_of(mock.send({"Action": "ListJobs", "Version": "2010-06-01"}))
    assert (error.status, error.code) == (403, "MissingAuthenticationToken")


def test_sigv4_as_sent_by_botocore_is_accepted_for_post_and_get(mock):
    mock.result_of(mock.sigv4({"Action": "ListJobs", "Version": "2010-06-01"}), "ListJobs")
    mock.result_of(mock.sigv4({"Action": "ListJobs", "Version": "2010-06-01"}, method="GET"), "ListJobs")


@pytest.mark.parametrize(("scope", "value"), [("region", "eu-west-1"), ("service", "s3")])
def test_sigv4_wrong_scope_does_not_match(mock, scope, value):
    response = mock.sigv4({"Action": "ListJobs"}, **{scope: value})
    error = mock.error_of(response)
    assert (error.status, error.code) == (403, "SignatureDoesNotMatch")


def test_sigv4_tampered_body_does_not_match(mock):
    response = mock.sigv4({"Action": "ListJobs"}, tamper_body="MaxJobs=1")
    assert mock.error_of(response).code == "SignatureDoesNotMatch"


def test_sigv4_outside_the_window_is_expired(mock):
    stale = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 16 * 60))
    error = mock.error_of(mock.sigv4({"Action": "ListJobs"}, amz_date=stale))
    assert (error.status, error.code) == (403, "RequestExpired")
    recent = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 10 * 60))
    mock.result_of(mock.sigv4({"Action": "ListJobs"}, amz_date=recent), "ListJobs")


def test_request_window_accepts_the_mock_clock_or_the_real_time(mock):
    """A5: after the control clock moved an hour ahead, both the real and the shifted time pass; a
    time an hour behind the real time is outside both windows."""
    assert mock.control("clock", {"advance_s": 3600}).json()["ok"]
    mock.result_of(mock.sigv4({"Action": "ListJobs"}), "ListJobs")
    shifted = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() + 3600))
    mock.result_of(mock.sigv4({"Action": "ListJobs"}, amz_date=shifted), "ListJobs")
    behind = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 3600))
    assert mock.error_of(mock.sigv4({"Action": "ListJobs"}, amz_date=behind)).code == "RequestExpired"


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/IngestionService/aws4_request",
         "IncompleteSignature"),
        ("Bearer abc", "IncompleteSignature"),
        ("AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/IngestionService/aws4_request, SignedHeaders=host, "
         "Signature=00", "InvalidAccessKeyIdException"),
        ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE, SignedHeaders=host, Signature=00", "IncompleteSignature"),
    ],
)
def test_sigv4_malformed_authorization_headers(mock, authorization, code):
    response = requests.post(f"{mock.url}/", data="Action=ListJobs",
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Authorization": authorization}, timeout=10)
    error = mock.error_of(response)
    assert (error.status, error.code) == (400 if code == "InvalidAccessKeyIdException" else 403, code)


@pytest.mark.parametrize("query_in_url", [True, False])
def test_sigv4_get_with_spaces_in_values_either_canonical_form(mock, query_in_url):
    params = [("Action", "GetStatus"), ("Version", "2010-06-01"), ("JobId", "NO SUCH JOB")]
    url = f"{mock.url}/?{urlencode(params)}"
    request = AWSRequest(method="GET", url=url) if query_in_url else AWSRequest(method="GET", url=f"{mock.url}/",
                                                                                params=dict(params))
    SigV4Auth(Credentials(*mock.PRIMARY), "IngestionService", "us-east-1").add_auth(request)
    response = requests.get(url, headers=dict(request.headers.items()), timeout=10)
    error = mock.error_of(response)
    assert (error.code, error.message) == ("InvalidJobIdException", "No such job NO SUCH JOB for your account")


@pytest.mark.parametrize("host", ["[not-ipv6", "two words", "host/path", "a@b"])
@pytest.mark.parametrize("scheme", ["sigv2", "sigv4"])
def test_a_host_header_that_is_not_host_port_fails_authentication(mock, host, scheme):
    signed = mock.sigv2({"Action": "ListJobs"}) if scheme == "sigv2" else mock.sigv4({"Action": "ListJobs"})
    request = signed.request
    response = requests.post(request.url, data=request.body, timeout=10,
                             headers={**request.headers, "Host": host})
    error = mock.error_of(response)
    assert (error.status, error.code) == (403, "SignatureDoesNotMatch")


def test_time_window_is_met_by_either_the_mock_clock_or_the_real_time():
    """A5: after the control clock moved, a request signed with the real time still passes, and so does
    one signed with the shifted clock; one outside both windows is RequestExpired."""
    params = {**VECTOR_PARAMS, "Signature": "VTazu+SqZwzaycStoXLU/edm0KU9Qo9HqwY4wqzo43U="}
    accounts = {"AKIAIOSFODNN7EXAMPLE": VECTOR_SECRET}
    wire = WireRequest(method="POST", host="importexport.amazonaws.com", path="/", raw_query=b"", body=b"",
                       headers=[], params=params, query_params=[])
    signed_at = datetime(2011, 6, 20, 22, 35, tzinfo=timezone.utc)
    month_later = datetime(2011, 7, 21, 22, 35, tzinfo=timezone.utc)
    assert authenticate(wire, accounts, [month_later, signed_at]) == "AKIAIOSFODNN7EXAMPLE"
    assert authenticate(wire, accounts, [signed_at, month_later]) == "AKIAIOSFODNN7EXAMPLE"
    with pytest.raises(ApiError) as caught:
        authenticate(wire, accounts, [month_later, datetime(2011, 6, 20, 23, 35, tzinfo=timezone.utc)])
    assert (caught.value.code, caught.value.status) == ("RequestExpired", 403)
