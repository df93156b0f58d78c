"""Fixtures for the mock endpoint's own tests: an in-process server and ways to talk to it.

One mock server per session (`mockserver.serving`, as the command line serves it: free port, fresh
temporary database, control API on); the `mock` fixture resets it before each test. `MockEndpoint` offers
boto3 clients, raw SigV2/SigV4-signed requests built with botocore's signers, control calls, and a strict
parser for `ErrorResponse`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import boto3
import botocore.auth
import pytest
import requests
from botocore.auth import SigV2Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from lxml import etree

from mockserver.app import MockApplication
from mockserver.config import load_config
from mockserver.serving import create_server
from tests.support.signing import sign_sigv4_at

NS = "http://importexport.amazonaws.com/doc/2010-06-01/"
PRIMARY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SECONDARY = ("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
ACCOUNTS = {"primary": PRIMARY, "secondary": SECONDARY}
OWN_BUCKETS = {"primary": "amzn-s3-demo-bucket", "secondary": "amzn-s3-demo-bucket-secondary"}
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
TEST_JOBS_PER_DAY = 10_000

IMPORT_MANIFEST = """manifestVersion: 2.0
accessKeyId: {access_key_id}
bucket: {bucket}
deviceId: 49382
eraseDevice: yes
returnAddress:
  name: Jane Roe
  company: Example Corp.
  street1: 123 Any Street
  city: Anytown
  stateOrProvince: WA
  postalCode: 91011-1111
  phoneNumber: 206-555-1111
  country: USA
"""

EXPORT_MANIFEST = """manifestVersion: 2.0
accessKeyId: {access_key_id}
deviceId: 532404500021
fileSystem: NTFS
logBucket: amzn-s3-demo-logs
operations:
  - exportBucket: amzn-s3-demo-bucket
returnAddress:
  name: Jane Roe
  street1: 123 Any Street
  city: Anytown
  stateOrProvince: WA
  postalCode: 91011
  phoneNumber: 206-555-1111
  country: USA
"""

Params = Mapping[str, str] | Sequence[tuple[str, str]]


def import_manifest(access_key_id: str = PRIMARY[0], bucket: str = "amzn-s3-demo-bucket") -> str:
    return IMPORT_MANIFEST.format(access_key_id=access_key_id, bucket=bucket)


def export_manifest(access_key_id: str = PRIMARY[0]) -> str:
    return EXPORT_MANIFEST.format(access_key_id=access_key_id)


@dataclass(frozen=True)
class ErrorDocument:
    """The parts of an `ErrorResponse` body, after checking its structure."""

    status: int
    code: str
    error_type: str
    message: str
    request_id: str


class MockEndpoint:
    """A running mock: its URL plus helpers to call it every way the tests need."""

    NS = NS
    PRIMARY = PRIMARY
    SECONDARY = SECONDARY
    import_manifest = staticmethod(import_manifest)
    export_manifest = staticmethod(export_manifest)

    def __init__(self, url: str):
        self.url = url
        self.host = url.split("://", 1)[1]
        self._clients: dict[tuple, object] = {}

    def client(self, account: str = "primary", secret: str | None = None, access_key_id: str | None = None):
        """A boto3 client (retries off) signing as `account`, or with another secret / key id."""
        key_id, real_secret = ACCOUNTS[account]
        credentials = (access_key_id or key_id, secret or real_secret)
        if credentials not in self._clients:
            self._clients[credentials] = boto3.client(
                "importexport",
                endpoint_url=self.url,
                region_name="us-east-1",
                aws_access_key_id=credentials[0],
                aws_secret_access_key=credentials[1],
                config=Config(retries={"max_attempts": 0}),
            )
        return self._clients[credentials]

    def control(self, call: str, body: dict | None = None, method: str = "POST") -> requests.Response:
        return requests.request(method, f"{self.url}/_mock/{call}", json=body, timeout=10)

    def create_job(self, account: str = "primary", job_type: str = "Import") -> str:
        key_id = ACCOUNTS[account][0]
        if job_type == "Export":
            manifest = export_manifest(key_id)
        else:
            manifest = import_manifest(key_id, OWN_BUCKETS[account])
        return self.client(account).create_job(JobType=job_type, Manifest=manifest, ValidateOnly=False)["JobId"]

    def sigv2(
        self,
        params: Mapping[str, str],
        *,
        account: str = "primary",
        method: str = "POST",
        signature_method: str = "HmacSHA256",
        overrides: Mapping[str, str] | None = None,
        drop: Sequence[str] = (),
        secret: str | None = None,
    ) -> requests.Response:
        """Send `params` signed with SigV2 (botocore's canonicalization); `overrides` are applied
        before signing, `drop` removes parameters after signing."""
        key_id, real_secret = ACCOUNTS[account]
        signed = {"Version": "2010-06-01", **params, "AWSAccessKeyId": key_id, "SignatureVersion": "2",
                  "SignatureMethod": signature_method,
                  "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        signed.update(overrides or {})
        signed = {name: value for name, value in signed.items() if value is not None}
        signer = SigV2Auth(Credentials(key_id, secret or real_secret))
        request = AWSRequest(method=method, url=f"{self.url}/")
        canonical_query, signature = signer.calc_signature(request, signed)
        if signature_method == "HmacSHA1":
            string_to_sign = f"{method}\n{self.host}\n/\n{canonical_query}"
            digest = hmac.new((secret or real_secret).encode(), string_to_sign.encode(), hashlib.sha1).digest()
            signature = base64.b64encode(digest).decode()
        signed["Signature"] = signature
        for name in drop:
            signed.pop(name, None)
        return self.send(list(signed.items()), method=method)

    def sigv4(
        self,
        params: Params,
        *,
        account: str = "primary",
        method: str = "POST",
        region: str = "us-east-1",
        service: str = "IngestionService",
        amz_date: str | None = None,
        tamper_body: str = "",
    ) -> requests.Response:
        """Send `params` signed with SigV4 as boto3 would, optionally with another scope or date."""
        key_id, secret = ACCOUNTS[account]
        body = urlencode(params)
        url = f"{self.url}/" if method == "POST" else f"{self.url}/?{body}"
        request = AWSRequest(
            method=method, url=url, data=body.encode() if method == "POST" else b"",
            headers={"Content-Type": FORM_CONTENT_TYPE} if method == "POST" else {},
        )
        signer = SigV4Auth(Credentials(key_id, secret), service, region)
        if amz_date is None:
            signer.add_auth(request)
        else:
            sign_sigv4_at(signer, request, amz_date)
        data = (request.body or b"") + (f"&{tamper_body}".encode() if tamper_body else b"")
        return requests.request(method, url, data=data, headers=dict(request.headers.items()), timeout=10)

    def send(
        self,
        params: Params,
        *,
        method: str = "POST",
        content_type: str = FORM_CONTENT_TYPE,
        raw_body: bytes | None = None,
    ) -> requests.Response:
        """An unsigned request (or one whose signature is already among `params`)."""
        encoded = urlencode(params)
        if method == "GET":
            return requests.get(f"{self.url}/?{encoded}", timeout=10)
        body = raw_body if raw_body is not None else encoded.encode()
        return requests.request(method, f"{self.url}/", data=body, headers={"Content-Type": content_type},
                                timeout=10)

    @staticmethod
    def error_of(response: requests.Response) -> ErrorDocument:
        """Parse an ErrorResponse, asserting the envelope the contract requires."""
        assert response.headers["Content-Type"] == "text/xml", response.headers
        root = etree.fromstring(response.content)
        assert root.tag == f"{{{NS}}}ErrorResponse", response.text
        children = [child.tag for child in root]
        assert children == [f"{{{NS}}}Error", f"{{{NS}}}RequestId"], response.text
        error = root.find(f"{{{NS}}}Error")
        assert [child.tag.split("}")[1] for child in error] == ["Type", "Code", "Message"], response.text
        return ErrorDocument(
            status=response.status_code,
            code=error.findtext(f"{{{NS}}}Code"),
            error_type=error.findtext(f"{{{NS}}}Type"),
            message=error.findtext(f"{{{NS}}}Message"),
            request_id=root.findtext(f"{{{NS}}}RequestId"),
        )

    @staticmethod
    def result_of(response: requests.Response, operation: str) -> etree._Element:
        """The `<Op>Result` element of a 200 response, after checking the envelope."""
        assert response.status_code == 200, response.text
        root = etree.fromstring(response.content)
        assert root.tag == f"{{{NS}}}{operation}Response", response.text
        assert root.findtext(f"{{{NS}}}ResponseMetadata/{{{NS}}}RequestId")
        result = root.find(f"{{{NS}}}{operation}Result")
        assert result is not None, response.text
        return result


@pytest.fixture(scope="session")
def mock_server(tmp_path_factory):
    config = load_config().with_jobs_per_day(TEST_JOBS_PER_DAY)
    application = MockApplication(config, tmp_path_factory.mktemp("mock-db") / "jobs.db", admin=True)
    server = create_server(application, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield MockEndpoint(f"http://127.0.0.1:{server.effective_port}")
    server.close()
    server.task_dispatcher.shutdown()
    application.close()


@pytest.fixture
def mock(mock_server) -> MockEndpoint:
    """The session's mock, reset: no jobs, clock offset 0, quotas as configured for the tests."""
    assert mock_server.control("reset", {}).json() == {"ok": True}
    return mock_server


@pytest.fixture
def advance_clock(mock, monkeypatch):
    """Move the mock clock forward by N seconds, and botocore's signing clock with it."""
    real_now = botocore.auth.get_current_datetime
    offset = timedelta(0)

    def advance(seconds: int) -> None:
        nonlocal offset
        assert mock.control("clock", {"advance_s": seconds}).json()["ok"] is True
        offset += timedelta(seconds=seconds)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: real_now() + offset)

    return advance
