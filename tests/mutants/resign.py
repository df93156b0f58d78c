"""Verifying and re-signing requests inside a mutant proxy (SigV2 and SigV4, default accounts).

A request-side mutant changes a request the client signed (drops `Marker`, claims another owner...),
so it must sign it again for the backend to accept it. To keep each mutant to ONE bug, the proxy
first verifies the original request exactly as the mock would (the mock's own `authenticate` at the
mock's clock) and rewrites only authentic requests; everything else reaches the backend untouched.
Re-signing uses the suite's signers (`conformance.wire.signing`) with the secrets of the default accounts
(docs/contract.md §1), keeping the scheme, signature method and credential scope of the original.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from conformance.cases.definitions import SigningOverrides
from conformance.settings import Account
from conformance.wire.signing import format_timestamp, sign_sigv4
from mockserver.config import load_config
from mockserver.exceptions import ApiError
from mockserver.protocol.http_request import read_wire_request
from mockserver.protocol.signatures import SIGV2_METHODS, authenticate, sigv2_signature
from tests.mutants.exchange import ProxyRequest

ACCOUNTS = load_config().accounts
PRIMARY_KEY = next(iter(ACCOUNTS))
EXPIRES_IN = timedelta(minutes=5)
_CREDENTIAL = re.compile(r"Credential=([^,\s]+)")


def scheme_of(request: ProxyRequest) -> Optional[str]:
    """`sigv4` (Authorization header), `sigv2` (a Signature parameter) or None."""
    if request.header("Authorization"):
        return "sigv4"
    params = request.params()
    if params is not None and "Signature" in dict(params):
        return "sigv2"
    return None


def authenticated_signer(request: ProxyRequest, now: datetime) -> Optional[str]:
    """The access key that signed `request` when the mock would accept its signature at `now`."""
    headers = [(name, value) for name, value in request.headers if name.lower() not in ("host", "content-length")]
    environ = EnvironBuilder(method=request.method, path=request.path, query_string=request.query,
                             headers=headers, data=request.body).get_environ()
    environ["HTTP_HOST"] = request.host
    try:
        return authenticate(read_wire_request(Request(environ)), ACCOUNTS, [now])
    except ApiError:
        return None


def _parse_time(value: str) -> Optional[datetime]:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def signed_at(request: ProxyRequest) -> Optional[datetime]:
    """A time at which the request's own time fields are valid: its Timestamp / X-Amz-Date, or
    just before its Expires."""
    if scheme_of(request) == "sigv4":
        try:
            return datetime.strptime(request.header("X-Amz-Date") or "", "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    values = dict(request.params() or [])
    if "Timestamp" in values:
        return _parse_time(values["Timestamp"])
    expires = _parse_time(values.get("Expires", ""))
    return expires - timedelta(seconds=1) if expires is not None else None


def sigv4_scope(request: ProxyRequest) -> Optional[list]:
    """The five parts of a SigV4 credential (key id, date, region, service, terminator), or None."""
    match = _CREDENTIAL.search(request.header("Authorization") or "")
    scope = match.group(1).split("/") if match else []
    return scope if len(scope) == 5 else None


def _replaced(params: list, name: str, value: str) -> list:
    return [(key, value if key == name else existing) for key, existing in params]


def resign(request: ProxyRequest, params: list, access_key_id: str, at: datetime,
           retime: bool = False) -> Optional[ProxyRequest]:
    """`request` carrying `params`, signed anew by `access_key_id` (a default account) at `at`.

    The scheme, SigV2 signature method and SigV4 scope are kept; with `retime` the SigV2
    Timestamp/Expires values are rewritten to `at` (SigV4's X-Amz-Date always is). None when the
    request cannot be re-signed that way.
    """
    secret = ACCOUNTS.get(access_key_id)
    scheme = scheme_of(request)
    if secret is None or scheme is None:
        return None
    if scheme == "sigv2":
        return _resign_sigv2(request, params, access_key_id, secret, at, retime)
    return _resign_sigv4(request, params, access_key_id, secret, at)


def _resign_sigv2(request: ProxyRequest, params: list, access_key_id: str, secret: str, at: datetime,
                  retime: bool) -> Optional[ProxyRequest]:
    values = dict(params)
    if values.get("SignatureMethod") not in SIGV2_METHODS or "Signature" not in values:
        return None
    params = _replaced(params, "AWSAccessKeyId", access_key_id)
    if retime:
        params = _replaced(params, "Timestamp", format_timestamp(at, "seconds"))
        params = _replaced(params, "Expires", format_timestamp(at + EXPIRES_IN, "seconds"))
    try:
        signature = sigv2_signature(secret, request.method, request.host, request.path, dict(params),
                                    values["SignatureMethod"])
    except ApiError:
        return None
    return request.with_params(_replaced(params, "Signature", signature))


def _resign_sigv4(request: ProxyRequest, params: list, access_key_id: str, secret: str,
                  at: datetime) -> Optional[ProxyRequest]:
    scope = sigv4_scope(request)
    if scope is None:
        return None
    changed = request.with_params(params)
    query = tuple(params) if request.method == "GET" and params else ()
    signed = sign_sigv4(request.method, f"http://{request.host}{request.path}", request.host,
                        request.header("Content-Type"), changed.body, query, Account(access_key_id, secret),
                        SigningOverrides(scope_region=scope[2], scope_service=scope[3]), at)
    for name, value in signed.headers:
        changed = changed.with_header(name, value)
    return changed
