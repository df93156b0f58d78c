"""Signing: the reference test vectors, agreement with botocore's own signers, and every override."""
from __future__ import annotations

from datetime import datetime, timezone
from unittest import mock
from urllib.parse import parse_qsl

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conformance.cases.definitions import SigningOverrides
from conformance.settings import DEFAULT_PRIMARY, Account
from conformance.wire.signing import format_timestamp, sign_sigv2, sign_sigv4

REFERENCE_URL = "https://importexport.amazonaws.com/"
REFERENCE_TIME = datetime(2011, 6, 20, 22, 30, 59, tzinfo=timezone.utc)
REFERENCE_PARAMS = (("Action", "GetStatus"), ("JobId", "JOBID"), ("Version", "2010-06-01"))
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def signature_of(signed) -> str:
    return dict(signed.params)["Signature"]


def test_sigv2_hmacsha256_reference_vector():
    signed = sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY, SigningOverrides(), REFERENCE_TIME)
    assert signature_of(signed) == "VTazu+SqZwzaycStoXLU/edm0KU9Qo9HqwY4wqzo43U="
    assert signed.string_to_sign == (
        "POST\nimportexport.amazonaws.com\n/\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=GetStatus&JobId=JOBID"
        "&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-06-20T22%3A30%3A59Z&Version=2010-06-01"
    )


def test_sigv2_hmacsha1_reference_vector():
    signed = sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                        SigningOverrides(method="HmacSHA1"), REFERENCE_TIME)
    assert signature_of(signed) == "CQap7LKyWVeOJj5MQ8jk1e0UJAg="
    assert dict(signed.params)["SignatureMethod"] == "HmacSHA1"


def test_sigv2_hmacsha1_addendum_awsie_vector():
    params = (("Operation", "CreateJob"), ("JobType", "Import"), ("Manifest", "--- {}\n\n"))
    signed = sign_sigv2("POST", REFERENCE_URL, params, Account("ABC-123", "123-ABC"),
                        SigningOverrides(method="HmacSHA1", timestamp_format="offset"),
                        datetime(2010, 9, 20, 5, 10, 35, tzinfo=timezone.utc))
    assert signature_of(signed) == "hmgL0julWxoVXeYHHqFQAbvmaL4="


def test_sigv2_matches_botocore_add_auth_with_host_and_port():
    url = "http://127.0.0.1:8080/"
    request = AWSRequest(method="POST", url=url, data=dict(REFERENCE_PARAMS))
    with mock.patch.object(botocore.auth.time, "gmtime", return_value=REFERENCE_TIME.timetuple()):
        botocore.auth.SigV2Auth(Credentials(DEFAULT_PRIMARY.access_key_id,
                                            DEFAULT_PRIMARY.secret_access_key)).add_auth(request)
    signed = sign_sigv2("POST", url, REFERENCE_PARAMS, DEFAULT_PRIMARY, SigningOverrides(), REFERENCE_TIME)
    assert dict(signed.params) == request.data
    assert "\n127.0.0.1:8080\n" in signed.string_to_sign


def test_sigv2_parameter_order_defaults_first_then_signature_params_then_signature():
    signed = sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY, SigningOverrides(), REFERENCE_TIME)
    assert [name for name, _ in signed.params] == [
        "Action", "JobId", "Version", "AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "Timestamp",
        "Signature",
    ]


def test_sigv2_replaces_existing_signature_params_in_place():
    params = (("Action", "GetStatus"), ("AWSAccessKeyId", ""), ("Signature", "placeholder"), ("JobId", "J"))
    signed = sign_sigv2("POST", REFERENCE_URL, params, DEFAULT_PRIMARY, SigningOverrides(), REFERENCE_TIME)
    names = [name for name, _ in signed.params]
    assert names[:4] == ["Action", "AWSAccessKeyId", "Signature", "JobId"]
    assert dict(signed.params)["AWSAccessKeyId"] == DEFAULT_PRIMARY.access_key_id
    assert dict(signed.params)["Signature"] != "placeholder"


def test_sigv2_duplicate_names_sign_the_first_value():
    first = sign_sigv2("POST", REFERENCE_URL, (("JobId", "A"), ("JobId", "B")), DEFAULT_PRIMARY,
                       SigningOverrides(), REFERENCE_TIME)
    single = sign_sigv2("POST", REFERENCE_URL, (("JobId", "A"),), DEFAULT_PRIMARY, SigningOverrides(), REFERENCE_TIME)
    assert signature_of(first) == signature_of(single)


@pytest.mark.parametrize("style, expected", [
    ("seconds", "2011-06-20T22:30:59Z"),
    ("millis", "2011-06-20T22:30:59.556Z"),
    ("offset", "2011-06-20T22:30:59+00:00"),
])
def test_timestamp_formats(style, expected):
    assert format_timestamp(REFERENCE_TIME.replace(microsecond=556000), style) == expected


def test_sigv2_expires_replaces_timestamp():
    signed = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                             SigningOverrides(expires_in_s=300), REFERENCE_TIME).params)
    assert "Timestamp" not in signed
    assert signed["Expires"] == "2011-06-20T22:35:59Z"


def test_sigv2_timestamp_and_expires_sends_both():
    signed = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                             SigningOverrides(timestamp_and_expires=True), REFERENCE_TIME).params)
    assert signed["Timestamp"] == "2011-06-20T22:30:59Z"
    assert signed["Expires"] == "2011-06-20T22:35:59Z"


def test_sigv2_clock_offset_moves_the_timestamp():
    signed = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                             SigningOverrides(clock_offset_s=-3600), REFERENCE_TIME).params)
    assert signed["Timestamp"] == "2011-06-20T21:30:59Z"


def test_sigv2_overrides_of_identity_and_signature():
    honest = sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY, SigningOverrides(), REFERENCE_TIME)
    wrong_secret = sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                              SigningOverrides(secret="wrong-secret"), REFERENCE_TIME)
    other_key = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                                SigningOverrides(access_key_id="AKIAUNKNOWNEXAMPLE00"), REFERENCE_TIME).params)
    bogus = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                            SigningOverrides(signature="bogus"), REFERENCE_TIME).params)
    omitted = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                              SigningOverrides(omit_signature=True), REFERENCE_TIME).params)
    version = dict(sign_sigv2("POST", REFERENCE_URL, REFERENCE_PARAMS, DEFAULT_PRIMARY,
                              SigningOverrides(signature_version="1"), REFERENCE_TIME).params)
    assert signature_of(wrong_secret) != signature_of(honest)
    assert other_key["AWSAccessKeyId"] == "AKIAUNKNOWNEXAMPLE00"
    assert bogus["Signature"] == "bogus"
    assert "Signature" not in omitted and "AWSAccessKeyId" in omitted
    assert version["SignatureVersion"] == "1"


def botocore_sigv4(method: str, url: str, body: bytes, headers: dict) -> str:
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=REFERENCE_TIME.replace(tzinfo=None)):
        botocore.auth.SigV4Auth(Credentials(DEFAULT_PRIMARY.access_key_id, DEFAULT_PRIMARY.secret_access_key),
                                "IngestionService", "us-east-1").add_auth(request)
    return request.headers["Authorization"]


def test_sigv4_matches_botocore_for_a_post():
    body = b"Action=ListJobs&Version=2010-06-01"
    signed = sign_sigv4("POST", "http://127.0.0.1:8080/", "127.0.0.1:8080", FORM, body, (), DEFAULT_PRIMARY,
                        SigningOverrides(), REFERENCE_TIME)
    headers = dict(signed.headers)
    assert headers["Authorization"] == botocore_sigv4("POST", "http://127.0.0.1:8080/", body, {"Content-Type": FORM})
    assert headers["X-Amz-Date"] == "20110620T223059Z"
    assert "SignedHeaders=content-type;host;x-amz-date," in headers["Authorization"]
    assert "/20110620/us-east-1/IngestionService/aws4_request," in headers["Authorization"]


def test_sigv4_matches_botocore_for_a_get_with_query():
    query = (("Action", "GetStatus"), ("JobId", "A B"), ("Version", "2010-06-01"))
    signed = sign_sigv4("GET", "http://127.0.0.1:8080/", "127.0.0.1:8080", None, b"", query, DEFAULT_PRIMARY,
                        SigningOverrides(), REFERENCE_TIME)
    expected = botocore_sigv4("GET", "http://127.0.0.1:8080/?Action=GetStatus&JobId=A%20B&Version=2010-06-01",
                              b"", {})
    assert dict(signed.headers)["Authorization"] == expected


def test_sigv4_overrides():
    def authorization(**overrides) -> dict:
        return dict(sign_sigv4("POST", "http://h/", "h", FORM, b"A=1", (), DEFAULT_PRIMARY,
                               SigningOverrides(**overrides), REFERENCE_TIME).headers)

    honest = authorization()["Authorization"]
    assert "/20110620/eu-west-1/IngestionService/" in authorization(scope_region="eu-west-1")["Authorization"]
    assert "/us-east-1/s3/aws4_request" in authorization(scope_service="s3")["Authorization"]
    assert authorization(clock_offset_s=86400)["X-Amz-Date"] == "20110621T223059Z"
    assert authorization(secret="wrong")["Authorization"] != honest
    assert authorization(access_key_id="AKIAUNKNOWN")["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN/")
    assert authorization(signature="bogus")["Authorization"].endswith("Signature=bogus")
    assert "Authorization" not in authorization(omit_signature=True)


def test_sigv2_get_signs_the_path_not_the_query():
    signed = sign_sigv2("GET", "http://127.0.0.1:9/", REFERENCE_PARAMS, DEFAULT_PRIMARY, SigningOverrides(),
                        REFERENCE_TIME)
    assert signed.string_to_sign.startswith("GET\n127.0.0.1:9\n/\n")
    assert dict(parse_qsl(signed.string_to_sign.split("\n")[3]))["Action"] == "GetStatus"
