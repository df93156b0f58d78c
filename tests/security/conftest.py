"""Shared pieces of the mock's security tests: the mock as a process, signed requests, an in-process app.

`admin_mock` is the mock as a process (`tests.support.mock_process`) with its control API on.
`sigv2_body` / `sigv4_request` sign parameters with botocore's signers (the clock and the SigV2 time
parameter chosen by the caller), so a request can be sent, replayed or sent outside its window.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
from botocore.auth import SigV2Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from lxml import etree

from tests.support.mock_process import MockProcess
from tests.support.signing import sign_sigv4_at

NS = "http://importexport.amazonaws.com/doc/2010-06-01/"
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture(scope="module")
def admin_mock():
    mock = MockProcess("--admin", "--jobs-per-day", "100000").start()
    yield mock
    mock.stop()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def sigv2_body(host: str, params: dict, *, timestamp: datetime | None = None,
               expires: datetime | None = None, secret: str = SECRET) -> str:
    """A POST body with `params` signed under SigV2 (HmacSHA256) with a Timestamp or an Expires."""
    signed = {"Version": "2010-06-01", **params, "AWSAccessKeyId": ACCESS_KEY_ID, "SignatureVersion": "2",
              "SignatureMethod": "HmacSHA256"}
    if expires is not None:
        signed["Expires"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        signed["Timestamp"] = (timestamp or utc_now()).strftime("%Y-%m-%dT%H:%M:%SZ")
    _, signed["Signature"] = SigV2Auth(Credentials(ACCESS_KEY_ID, secret)).calc_signature(
        AWSRequest(method="POST", url=f"http://{host}/"), signed)
    return urlencode(signed)


def sigv4_request(host: str, params: dict, *, signed_at: datetime | None = None) -> tuple[dict, bytes]:
    """Headers and body of a POST with `params` signed under SigV4 as of `signed_at` (default now)."""
    body = urlencode({"Version": "2010-06-01", **params}).encode()
    request = AWSRequest(method="POST", url=f"http://{host}/", data=body, headers={"Content-Type": FORM})
    signer = SigV4Auth(Credentials(ACCESS_KEY_ID, SECRET), "IngestionService", "us-east-1")
    sign_sigv4_at(signer, request, (signed_at or utc_now()).strftime("%Y%m%dT%H%M%SZ"))
    return dict(request.headers.items()), body


def error_code(status: int, body: bytes) -> tuple[int, str]:
    """(status, Code) of an ErrorResponse; fails unless the body is a well-formed ErrorResponse."""
    root = etree.fromstring(body)
    assert root.tag == f"{{{NS}}}ErrorResponse", body[:500]
    return status, root.findtext(f"{{{NS}}}Error/{{{NS}}}Code")


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)

