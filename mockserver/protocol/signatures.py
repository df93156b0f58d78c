"""Request authentication: Signature Version 2 (query parameters) and Version 4 (header).

The signature is recomputed with botocore's own signers over the request as received (SigV2:
`SigV2Auth.calc_signature` with the Host header as sent and the request path; SigV4:
`SigV4Auth.canonical_request/string_to_sign/signature` on an `AWSRequest` rebuilt from the received
method, URL, signed headers and body) and compared with `hmac.compare_digest`. Two SigV4 steps skip
work that does not depend on the request (`_ReceivedRequestSigner`): the payload hash is the
SHA-256 of the received body, computed once (botocore would prepare the whole request to get the
same bytes), and the signing key is derived once per secret and day (botocore derives it, four
HMACs, for every signature). The time checks
(Timestamp, Expires, X-Amz-Date) accept a request that is within the window of EITHER the real time or
the mock clock (shifted by the control API), so a real client signing with the real time still gets
through after the clock was advanced (docs/decisions.md A5). The result is the signer's access key
id. Error codes follow docs/decisions.md A1-A9.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import urlsplit

from botocore.auth import SigV2Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from mockserver.exceptions import (
    ApiError,
    IncompleteSignature,
    InvalidAccessKeyIdException,
    InvalidClientTokenIdException,
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingAuthenticationToken,
    RequestExpired,
    SignatureDoesNotMatch,
)
from mockserver.protocol.http_request import WireRequest

MAX_CLOCK_SKEW = timedelta(minutes=15)
SIGV4_ALGORITHM = "AWS4-HMAC-SHA256"
SIGV4_REGION = "us-east-1"
SIGV4_SERVICE = "IngestionService"
SIGV2_METHODS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}
SIGV2_PARAMS = ("AWSAccessKeyId", "Signature", "SignatureVersion", "SignatureMethod", "Timestamp", "Expires")

_WELL_FORMED_KEY = re.compile(r"[A-Z0-9]{16,128}")
_SIGV2_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?"
)
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")
_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method."
)


def authenticate(wire: WireRequest, accounts: Mapping[str, str], clocks: Sequence[datetime]) -> str:
    """Verify the request's signature; return the signer's access key id or raise ApiError.

    `clocks` are the server times a request may have been signed against (the mock clock first, then
    the real time); a time check passes when it passes for any of them.
    """
    authorization = wire.header_values("Authorization")
    if authorization:
        return _authenticate_sigv4(wire, authorization[0], accounts, clocks)
    if any(name in wire.params for name in SIGV2_PARAMS):
        return _authenticate_sigv2(wire, accounts, clocks)
    raise MissingAuthenticationToken("Request is missing Authentication Token")


def sigv2_signature(
    secret: str, method: str, host: str, path: str, params: Mapping[str, str], signature_method: str
) -> str:
    """The SigV2 signature of `params` (all but `Signature` are signed), as botocore computes it."""
    request = AWSRequest(method=method, url=_signed_url(host, path))
    canonical_query, sha256_signature = _sigv2_signer(secret).calc_signature(
        request, dict(params)
    )
    if signature_method == "HmacSHA256":
        return sha256_signature
    split = urlsplit(request.url)
    string_to_sign = f"{method}\n{split.netloc}\n{split.path or '/'}\n{canonical_query}"
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), SIGV2_METHODS[signature_method])
    return base64.b64encode(digest.digest()).decode("ascii")


@lru_cache(maxsize=64)
def _sigv2_signer(secret: str) -> SigV2Auth:
    """botocore's SigV2 signer for one secret (it keeps only the credentials; building them costs)."""
    return SigV2Auth(Credentials("verifier", secret))


def _authenticate_sigv2(wire: WireRequest, accounts: Mapping[str, str], clocks: Sequence[datetime]) -> str:
    params = wire.params
    if "Timestamp" in params and "Expires" in params:
        raise InvalidParameterCombination("The parameter Timestamp cannot be used with the parameter Expires")
    missing = [name for name in SIGV2_PARAMS[:4] if name not in params]
    if "Timestamp" not in params and "Expires" not in params:
        missing.append("Timestamp")
    if missing:
        raise IncompleteSignature(f"Request is missing required parameter(s): {', '.join(missing)}")
    if params["SignatureVersion"] != "2":
        raise InvalidParameterValue("Value for parameter SignatureVersion is invalid. Valid values are: 2")
    signature_method = params["SignatureMethod"]
    if signature_method not in SIGV2_METHODS:
        raise InvalidParameterValue(
            "Value for parameter SignatureMethod is invalid. Valid values are: HmacSHA256, HmacSHA1"
        )
    access_key_id = params["AWSAccessKeyId"]
    secret = _secret_for(access_key_id, accounts)
    if "Timestamp" in params:
        timestamp = _parse_sigv2_time("Timestamp", params["Timestamp"])
        if not _within_skew(timestamp, clocks):
            raise _expired(f"Request timestamp {format_utc(timestamp)} is more than 15 minutes from the server time")
    else:
        expires = _parse_sigv2_time("Expires", params["Expires"])
        if all(expires <= now for now in clocks):
            raise _expired(f"Request has expired at {format_utc(expires)}")
    expected = sigv2_signature(secret, wire.method, wire.host, wire.path, params, signature_method)
    if not hmac.compare_digest(expected.encode("ascii"), params["Signature"].encode("utf-8")):
        raise SignatureDoesNotMatch(_MISMATCH_MESSAGE)
    return access_key_id


def _parse_sigv2_time(name: str, value: str) -> datetime:
    match = _SIGV2_TIME.fullmatch(value)
    invalid = InvalidParameterValue(f"Value for parameter {name} is not an ISO 8601 time")
    if not match:
        raise invalid
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    offset = timedelta(0)
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                          int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
        return moment - offset
    except (ValueError, OverflowError):
        raise invalid from None


def _authenticate_sigv4(
    wire: WireRequest, authorization: str, accounts: Mapping[str, str], clocks: Sequence[datetime]
) -> str:
    fields = _parse_authorization(authorization)
    credential = fields["Credential"].split("/")
    if len(credential) != 5:
        raise IncompleteSignature(
            "Credential must have exactly 5 slash-delimited elements: keyid/date/region/service/aws4_request"
        )
    access_key_id, scope_date, region, service, terminator = credential
    secret = _secret_for(access_key_id, accounts)
    amz_date = _amz_date(wire)
    signed_at = _parse_amz_date(amz_date)
    if not _within_skew(signed_at, clocks):
        raise _expired(f"Request date {amz_date} is more than 15 minutes from the server time")
    scope_problem = _scope_problem(scope_date, region, service, terminator, amz_date)
    if scope_problem:
        raise SignatureDoesNotMatch(scope_problem)
    body_sha256 = hashlib.sha256(wire.body).hexdigest()
    content_sha256 = wire.header_values("X-Amz-Content-SHA256")
    if content_sha256 and content_sha256[0] != body_sha256:
        raise SignatureDoesNotMatch("The X-Amz-Content-SHA256 header does not match the body")
    provided = fields["Signature"].encode("utf-8")
    expected = _sigv4_signatures(wire, secret, fields["SignedHeaders"], amz_date, body_sha256)
    if not any(hmac.compare_digest(signature.encode("ascii"), provided) for signature in expected):
        raise SignatureDoesNotMatch(_MISMATCH_MESSAGE)
    return access_key_id


def _within_skew(signed_at: datetime, clocks: Sequence[datetime]) -> bool:
    return any(abs(now - signed_at) <= MAX_CLOCK_SKEW for now in clocks)


def _parse_authorization(value: str) -> dict[str, str]:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != SIGV4_ALGORITHM:
        raise IncompleteSignature(f"Unsupported Authorization type; the supported one is {SIGV4_ALGORITHM}")
    fields: dict[str, str] = {}
    for item in rest.split(","):
        name, separator, field_value = item.strip().partition("=")
        if separator:
            fields[name] = field_value
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if name not in fields]
    if missing:
        raise IncompleteSignature(
            f"Authorization header requires {', '.join(repr(name) for name in missing)} parameter(s)"
        )
    return fields


def _amz_date(wire: WireRequest) -> str:
    values = wire.header_values("X-Amz-Date")
    if not values:
        raise IncompleteSignature("Authorization header requires the 'X-Amz-Date' header")
    if not _AMZ_DATE.fullmatch(values[0]):
        raise IncompleteSignature("The X-Amz-Date header must have the form YYYYMMDDTHHMMSSZ")
    try:
        _parse_amz_date(values[0])
    except ValueError:
        raise IncompleteSignature("The X-Amz-Date header is not a valid date") from None
    return values[0]


@lru_cache(maxsize=64)
def _parse_amz_date(value: str) -> datetime:
    """An X-Amz-Date value as a UTC time (ValueError if it is no date); cached, as consecutive
    requests mostly carry the same second."""
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def _scope_problem(scope_date: str, region: str, service: str, terminator: str, amz_date: str) -> str | None:
    if scope_date != amz_date[:8]:
        return f"Credential should be scoped to a valid date, {amz_date[:8]}"
    if region != SIGV4_REGION:
        return f"Credential should be scoped to a valid region, {SIGV4_REGION}"
    if service != SIGV4_SERVICE:
        return f"Credential should be scoped to correct service: '{SIGV4_SERVICE}'"
    if terminator != "aws4_request":
        return "Credential should be scoped with a valid terminator: 'aws4_request'"
    return None


def _sigv4_signatures(
    wire: WireRequest, secret: str, signed_headers: str, amz_date: str, body_sha256: str
) -> list[str]:
    """The SigV4 signatures the request may carry (none when a signed header is absent).

    botocore canonicalizes a query string two ways: re-encoded from decoded parameters (a request
    built with `params`), or split as sent (a URL that already holds the query). Both are accepted.
    """
    headers: list[tuple[str, str]] = []
    for name in filter(None, (part.strip().lower() for part in signed_headers.split(";"))):
        values = wire.header_values(name)
        if not values:
            return []
        headers.extend((name, value) for value in values)
    url = _signed_url(wire.host, wire.path)
    variants = [AWSRequest(method=wire.method, url=url, params=wire.query_params, data=wire.body)]
    if wire.raw_query:
        raw_url = f"{url}?{wire.raw_query.decode('latin-1')}"
        variants.append(AWSRequest(method=wire.method, url=raw_url, data=wire.body))
    signer = _ReceivedRequestSigner(secret, body_sha256)
    signatures = []
    for request in variants:
        for name, value in headers:
            request.headers[name] = value
        request.context["timestamp"] = amz_date
        canonical_request = signer.canonical_request(request)
        signatures.append(signer.signature(signer.string_to_sign(request, canonical_request), request))
    return signatures


class _ReceivedRequestSigner(SigV4Auth):
    """botocore's SigV4 signer for verifying a received request (region us-east-1, IngestionService).

    `payload` is the SHA-256 of the received body, which botocore's `payload` also hashes here (an
    http URL always signs the payload; an empty body hashes to botocore's EMPTY_SHA256_HASH), but
    computed once and without preparing the whole request. `signature` derives the signing key as
    botocore does, kept per secret and day by `_signing_key`.
    """

    def __init__(self, secret: str, body_sha256: str):
        super().__init__(Credentials("verifier", secret), SIGV4_SERVICE, SIGV4_REGION)
        self._body_sha256 = body_sha256

    def payload(self, request: AWSRequest) -> str:
        return self._body_sha256

    def signature(self, string_to_sign: str, request: AWSRequest) -> str:
        key = _signing_key(self.credentials.secret_key, request.context["timestamp"][0:8])
        return self._sign(key, string_to_sign, hex=True)


@lru_cache(maxsize=256)
def _signing_key(secret: str, date: str) -> bytes:
    """The SigV4 signing key of one secret on one day (YYYYMMDD), as `SigV4Auth.signature` derives it."""
    signer = SigV4Auth(Credentials("verifier", secret), SIGV4_SERVICE, SIGV4_REGION)
    k_date = signer._sign(f"AWS4{secret}".encode(), date)
    k_region = signer._sign(k_date, SIGV4_REGION)
    k_service = signer._sign(k_region, SIGV4_SERVICE)
    return signer._sign(k_service, "aws4_request")


def _signed_url(host: str, path: str) -> str:
    """The URL the signers see; a Host header that is not host[:port] cannot have been signed."""
    url = f"http://{host}{path}"
    try:
        well_formed = urlsplit(url).netloc == host
    except ValueError:
        well_formed = False
    if not well_formed:
        raise SignatureDoesNotMatch("The Host header is not a valid host[:port]")
    return url


def _secret_for(access_key_id: str, accounts: Mapping[str, str]) -> str:
    if access_key_id in accounts:
        return accounts[access_key_id]
    if not access_key_id:
        raise InvalidAccessKeyIdException("The AWS Access Key Id is empty")
    if not _WELL_FORMED_KEY.fullmatch(access_key_id):
        raise InvalidAccessKeyIdException("The AWS Access Key Id you provided is not well-formed")
    raise InvalidClientTokenIdException("The AWS Access Key Id you provided does not exist in our records.")


def _expired(message: str) -> ApiError:
    return RequestExpired(message)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
