"""Request signing for the reliability tools, with botocore's own signers (SigV2 and SigV4).

SigV4 uses the scope the API expects (`us-east-1/IngestionService`, docs/decisions.md A8).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from botocore.auth import SigV2Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

PRIMARY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SECONDARY = ("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
SIGV4_REGION = "us-east-1"
SIGV4_SERVICE = "IngestionService"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


def sigv2_params(params: Mapping[str, str], url: str, method: str = "POST",
                 account: tuple[str, str] = PRIMARY) -> list[tuple[str, str]]:
    """`params` plus the SigV2 parameters and `Signature`, as botocore's SigV2Auth computes them."""
    key_id, secret = account
    signed = {**params, "AWSAccessKeyId": key_id, "SignatureVersion": "2", "SignatureMethod": "HmacSHA256",
              "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    request = AWSRequest(method=method, url=url.rstrip("/") + "/")
    _, signature = SigV2Auth(Credentials(key_id, secret)).calc_signature(request, signed)
    return [*signed.items(), ("Signature", signature)]


def sigv4_headers(method: str, url: str, body: bytes, headers: Iterable[tuple[str, str]] = (),
                  account: tuple[str, str] = PRIMARY) -> dict[str, str]:
    """The headers of a request to `url` (path and query included) signed with SigV4 over `body`."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    SigV4Auth(Credentials(*account), SIGV4_SERVICE, SIGV4_REGION).add_auth(request)
    return dict(request.headers.items())


def form_body(params: Sequence[tuple[str, str]]) -> bytes:
    return urlencode(list(params)).encode("utf-8")
