"""Signing with botocore's signers, plus the deliberate deviations of `signing:` overrides.

SigV2 (docs/sources.md F10): botocore's `SigV2Auth.calc_signature` gives the canonical query and the
HmacSHA256 signature; for `HmacSHA1` the same string to sign is hashed with SHA1. The string to sign
uses the URL's netloc exactly as sent (`host:port`). When a parameter name occurs more than once
its first value is the one signed. SigV2 parameters replace a parameter of the same name in place
(e.g. one kept from a published example) and are otherwise appended; `Signature` comes last.

SigV4 (docs/sources.md F10): botocore's `SigV4Auth`, header-based, scope `<date>/us-east-1/IngestionService/
aws4_request`, signed headers `content-type;host;x-amz-date`. The signing time is passed in, so clock
offsets need no global patching: the lower-level canonical_request / string_to_sign / signature
steps are called with that time.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from botocore.auth import SigV2Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conformance.cases.definitions import SigningOverrides
from conformance.settings import Account

SIGV4_SERVICE = "IngestionService"
SIGV4_REGION = "us-east-1"
DEFAULT_EXPIRES_IN_S = 300


@dataclass(frozen=True)
class Signed:
    """What signing produced: the parameters or headers to send, and the string that was signed."""

    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    string_to_sign: str = ""


def format_timestamp(moment: datetime, style: str) -> str:
    """A SigV2 `Timestamp`/`Expires` value: `seconds` (botocore's), `millis` or `offset` form."""
    whole = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if style == "millis":
        return f"{whole}.{moment.microsecond // 1000:03d}Z"
    if style == "offset":
        return f"{whole}+00:00"
    return f"{whole}Z"


def _with_param(params: list, name: str, value: str) -> None:
    for position, (existing, _) in enumerate(params):
        if existing == name:
            params[position] = (name, value)
            return
    params.append((name, value))


def _first_values(params: list) -> dict:
    values: dict = {}
    for name, value in params:
        values.setdefault(name, value)
    return values


def sign_sigv2(method: str, url: str, params: tuple, account: Account, overrides: SigningOverrides,
               now: datetime) -> Signed:
    """`params` plus the SigV2 parameters and `Signature`, signed at `now` + `clock_offset_s`."""
    access_key_id = overrides.access_key_id if overrides.access_key_id is not None else account.access_key_id
    secret = overrides.secret if overrides.secret is not None else account.secret_access_key
    signature_method = overrides.method or "HmacSHA256"
    moment = now + timedelta(seconds=overrides.clock_offset_s)
    signed = list(params)
    _with_param(signed, "AWSAccessKeyId", access_key_id)
    _with_param(signed, "SignatureVersion", overrides.signature_version or "2")
    _with_param(signed, "SignatureMethod", signature_method)
    uses_expires = overrides.expires_in_s is not None or overrides.timestamp_and_expires
    if overrides.timestamp_and_expires or not uses_expires:
        _with_param(signed, "Timestamp", format_timestamp(moment, overrides.timestamp_format))
    if uses_expires:
        expires_in = overrides.expires_in_s if overrides.expires_in_s is not None else DEFAULT_EXPIRES_IN_S
        _with_param(signed, "Expires", format_timestamp(moment + timedelta(seconds=expires_in),
                                                       overrides.timestamp_format))
    signer = SigV2Auth(Credentials(access_key_id, secret))
    canonical_query, signature = signer.calc_signature(
        AWSRequest(method=method, url=url), _first_values(signed)
    )
    parts = urlsplit(url)
    string_to_sign = f"{method}\n{parts.netloc}\n{parts.path or '/'}\n{canonical_query}"
    if signature_method == "HmacSHA1":
        digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
        signature = base64.b64encode(digest).decode("ascii")
    if overrides.signature is not None:
        signature = overrides.signature
    if not overrides.omit_signature:
        _with_param(signed, "Signature", signature)
    return Signed(params=tuple(signed), string_to_sign=string_to_sign)


def sign_sigv4(method: str, url: str, host: str, content_type: str | None, body: bytes, query: tuple,
               account: Account, overrides: SigningOverrides, now: datetime) -> Signed:
    """`X-Amz-Date` and `Authorization` headers for the request, signed at `now` + `clock_offset_s`.

    `url` carries no query string; GET parameters are passed as `query` pairs (botocore sorts and
    encodes them for the canonical request). `host` is the Host header value that will be sent.
    """
    access_key_id = overrides.access_key_id if overrides.access_key_id is not None else account.access_key_id
    secret = overrides.secret if overrides.secret is not None else account.secret_access_key
    signer = SigV4Auth(Credentials(access_key_id, secret),
                       overrides.scope_service or SIGV4_SERVICE, overrides.scope_region or SIGV4_REGION)
    amz_date = (now + timedelta(seconds=overrides.clock_offset_s)).strftime("%Y%m%dT%H%M%SZ")
    headers = {"Host": host, "X-Amz-Date": amz_date}
    if content_type is not None:
        headers["Content-Type"] = content_type
    request = AWSRequest(method=method, url=url, data=body or None, params=list(query), headers=headers)
    request.context["timestamp"] = amz_date
    canonical_request = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical_request)
    signature = overrides.signature if overrides.signature is not None else signer.signature(
        string_to_sign, request)
    sent = [("X-Amz-Date", amz_date)]
    if not overrides.omit_signature:
        signed_headers = signer.signed_headers(signer.headers_to_sign(request))
        sent.append(("Authorization", f"AWS4-HMAC-SHA256 Credential={signer.scope(request)}, "
                                      f"SignedHeaders={signed_headers}, Signature={signature}"))
    return Signed(headers=tuple(sent), string_to_sign=string_to_sign)
