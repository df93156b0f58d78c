"""Reading a Query API request off the wire: body size, raw parameter bytes, strict decoding.

Parameters come from the query string of a GET, or from the body of a POST whose Content-Type is
`application/x-www-form-urlencoded` (any other POST body is not read as a form). The raw bytes are
checked before anything is decoded: a `%` not followed by two hex digits, or bytes that are not UTF-8
after unescaping, give `MalformedQueryString`; a parameter name that occurs twice gives
`InvalidParameterException`. Sizes are bounded: a body over `MAX_BODY_BYTES` is 413, a query
string over `MAX_QUERY_BYTES` is 414, more than `MAX_PARAMETERS` parameters is 400 (each an
ErrorResponse; a request head over waitress's 256 KiB is refused before the app, as a 431
ErrorResponse, by `mockserver.serving`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote_to_bytes

from werkzeug.wrappers import Request

from mockserver.exceptions import (
    ApiError,
    InvalidParameterException,
    MalformedQueryString,
    RequestEntityTooLarge,
    RequestURITooLong,
)

MAX_BODY_BYTES = 1024 * 1024
MAX_QUERY_BYTES = 128 * 1024
MAX_PARAMETERS = 1000
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
_BAD_PERCENT_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class WireRequest:
    """What authentication and the actions need from one HTTP request."""

    method: str
    host: str
    path: str
    raw_query: bytes
    body: bytes
    headers: list[tuple[str, str]]
    params: dict[str, str]
    query_params: list[tuple[str, str]]

    def header_values(self, name: str) -> list[str]:
        """Every value of one header (case-insensitive name), in the order received."""
        return list(self._values_by_name.get(name.lower(), ()))

    @cached_property
    def _values_by_name(self) -> dict[str, list[str]]:
        """Lower-case header name -> its values in the order received (built on first use)."""
        index: dict[str, list[str]] = {}
        for key, value in self.headers:
            index.setdefault(key.lower(), []).append(value)
        return index


def read_wire_request(request: Request) -> WireRequest:
    """Read the body (at most 1 MiB) and decode the API parameters of `request`."""
    body = read_body(request)
    raw_query = request.query_string
    if len(raw_query) > MAX_QUERY_BYTES:
        raise RequestURITooLong(f"The query string is longer than {MAX_QUERY_BYTES} bytes")
    query_params = decode_form(raw_query) if raw_query else []
    if request.method == "GET":
        params = _unique(query_params)
    elif request.mimetype == FORM_MEDIA_TYPE:
        params = _unique(decode_form(body))
    else:
        params = {}
    return WireRequest(
        method=request.method,
        host=_host_as_sent(request),
        path=request.path,
        raw_query=raw_query,
        body=body,
        headers=list(request.headers.items()),
        params=params,
        query_params=query_params)


def read_body(request: Request) -> bytes:
    """The request body; more than MAX_BODY_BYTES is `RequestEntityTooLarge` (413)."""
    declared = request.content_length
    if declared is not None and declared > MAX_BODY_BYTES:
        raise _too_large()
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise _too_large()
    return body


def decode_form(raw: bytes) -> list[tuple[str, str]]:
    """Decode `name=value&...` strictly: bad escapes and non-UTF-8 are MalformedQueryString."""
    segments = raw.split(b"&")
    if sum(1 for segment in segments if segment) > MAX_PARAMETERS:
        raise InvalidParameterException(f"The request has more than {MAX_PARAMETERS} parameters")
    pairs = []
    for segment in segments:
        if not segment:
            continue
        raw_name, _, raw_value = segment.partition(b"=")
        name = _decode_component(raw_name)
        if not name:
            raise MalformedQueryString("A parameter has an empty name")
        pairs.append((name, _decode_component(raw_value)))
    return pairs


def _decode_component(raw: bytes) -> str:
    if b"%" not in raw and b"+" not in raw:  # nothing to unescape (most names and many values)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedQueryString("The request parameters are not valid UTF-8") from None
    if _BAD_PERCENT_ESCAPE.search(raw):
        raise MalformedQueryString("The request contains a '%' that is not followed by two hex digits")
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedQueryString("The request parameters are not valid UTF-8") from None


def _unique(pairs: list[tuple[str, str]]) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise InvalidParameterException(f"The parameter {name} appears more than once")
        params[name] = value
    return params


def _host_as_sent(request: Request) -> str:
    """The Host header exactly as received (host[:port]); the server address without one."""
    host = request.environ.get("HTTP_HOST")
    if host:
        return host
    return f"{request.environ.get('SERVER_NAME', '')}:{request.environ.get('SERVER_PORT', '')}"


def _too_large() -> ApiError:
    return RequestEntityTooLarge(f"The request body is larger than {MAX_BODY_BYTES} bytes")
