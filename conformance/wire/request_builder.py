"""Building the exact request bytes for an API step (docs/contract.md §3).

Default request: `POST /`, `Content-Type: application/x-www-form-urlencoded; charset=utf-8`, body
`Action=<Op>&Version=2010-06-01&<params...>&Manifest=...` form-encoded (`+` for space, as boto3
sends it), then signed by the scheme under test. `method: GET` puts the same parameters in the query
string and sends no Content-Type unless `content_type` is given. Example mode starts from a
published example's body parameters instead of `Action`/`Version`. Raw mode sends the given method,
path, headers and body as written; only Host, User-Agent and Accept-Encoding are added when missing
(the HTTP client would add them anyway) and Content-Length is always recomputed.

Two request forms replay what real SDKs send (tests/clients/request_shapes.py): `query:` puts a
query string on the URL of a POST (the AWS SDK for Go v1 posts to the model's `/?Operation=<Action>`;
SigV2 signs the form parameters only, as that SDK does; SigV4 signs the query too), and
`form_encoding: percent` encodes a space as `%20` (the JavaScript and Ruby SDKs) instead of `+`.
"""
from __future__ import annotations

import base64
from datetime import datetime
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit

from conformance.cases.definitions import RawSpec, RequestSpec
from conformance.cases.examples import read_published_request
from conformance.cases.templating import render_text
from conformance.settings import Account
from conformance.wire.signing import sign_sigv2, sign_sigv4
from conformance.wire.transport import OutgoingRequest

API_VERSION = "2010-06-01"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
USER_AGENT = "importexport-conformance"
_CLIENT_HEADERS = (("User-Agent", USER_AGENT), ("Accept-Encoding", "identity"))


def _example_params(spec: RequestSpec) -> list:
    assert spec.example_file is not None, "called only for a request built from a published example"
    params = [pair for pair in read_published_request(spec.example_file).body_params()
              if pair[0] not in spec.example_drop]
    for name, value in spec.example_set:
        positions = [index for index, (existing, _) in enumerate(params) if existing == name]
        if positions:
            params[positions[0]] = (name, value)
        else:
            params.append((name, value))
    return params


def request_params(spec: RequestSpec, operation: str, variables: dict) -> list:
    """The unsigned parameters in wire order: defaults or example params, case params, Manifest."""
    if spec.example_file is not None:
        params = _example_params(spec)
    else:
        params = []
        if "Action" not in spec.omit:
            params.append((spec.action_param, operation))
        if "Version" not in spec.omit:
            params.append(("Version", API_VERSION))
    params.extend(spec.params)
    if spec.manifest_file is not None:
        params.append(("Manifest", render_text(spec.manifest_file.read_text(encoding="utf-8"), variables)))
    elif spec.manifest_text is not None:
        params.append(("Manifest", spec.manifest_text))
    return params


def build_api_request(spec: RequestSpec, operation: str, scheme: str, account: Account,
                      endpoint_url: str, now: datetime, variables: dict) -> OutgoingRequest:
    """The request for one API step, signed by `scheme` (`sigv2`, `sigv4` or `none`) at `now`."""
    host = urlsplit(endpoint_url).netloc
    url = endpoint_url + "/"
    params = request_params(spec, operation, variables)
    signing_scheme = "none" if spec.unsigned else scheme
    overrides = spec.signing
    content_type = spec.content_type if spec.content_type is not None else (
        FORM_CONTENT_TYPE if spec.method == "POST" else None)
    string_to_sign = ""
    if signing_scheme == "sigv2":
        signed = sign_sigv2(spec.method, url, tuple(params), account, overrides, now)
        params, string_to_sign = list(signed.params), signed.string_to_sign
    encoded = urlencode(params, quote_via=quote if spec.form_encoding == "percent" else quote_plus)
    body = encoded.encode("utf-8") if spec.method == "POST" else b""
    query = "&".join(part for part in (spec.query, "" if spec.method == "POST" else encoded) if part)
    signature_headers: tuple[tuple[str, str], ...] = ()
    if signing_scheme == "sigv4":
        query_pairs = [*parse_qsl(spec.query or "", keep_blank_values=True),
                       *(params if spec.method == "GET" else [])]
        signed = sign_sigv4(spec.method, url, host, content_type, body, tuple(query_pairs),
                            account, overrides, now)
        signature_headers, string_to_sign = signed.headers, signed.string_to_sign
    if overrides.tamper_body is not None:
        if spec.method == "POST":
            body += b"&" + overrides.tamper_body.encode("utf-8")
        else:
            query += "&" + overrides.tamper_body
    headers = [("Host", host), *_CLIENT_HEADERS]
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    headers.extend(signature_headers)
    if spec.method == "POST":
        headers.append(("Content-Length", str(len(body))))
    return OutgoingRequest(method=spec.method, url=url + (f"?{query}" if query else ""),
                           headers=tuple(headers), body=body, string_to_sign=string_to_sign)


def build_raw_request(spec: RawSpec, endpoint_url: str) -> OutgoingRequest:
    """The bytes of a `raw:` step (or of a published example sent as published)."""
    if spec.example_file is not None:
        published = read_published_request(spec.example_file)
        method, path, given, body = (published.method, published.target, published.headers,
                                     published.body.encode("utf-8"))
    else:
        method, path, given = spec.method, spec.path, spec.headers
        body = base64.b64decode(spec.body_b64) if spec.body_b64 is not None else (spec.body or "").encode("utf-8")
    headers = [(name, value) for name, value in given if name.lower() != "content-length"]
    present = {name.lower() for name, _ in headers}
    if "host" not in present:
        headers.insert(0, ("Host", urlsplit(endpoint_url).netloc))
    headers.extend(pair for pair in _CLIENT_HEADERS if pair[0].lower() not in present)
    if body or method not in ("GET", "HEAD"):
        headers.append(("Content-Length", str(len(body))))
    return OutgoingRequest(method=method, url=endpoint_url + path, headers=tuple(headers), body=body)


def build_get(url: str) -> OutgoingRequest:
    """A plain GET of `url` (fetch steps)."""
    return OutgoingRequest(method="GET", url=url, headers=(("Host", urlsplit(url).netloc), *_CLIENT_HEADERS))


def build_json_post(url: str, body: bytes) -> OutgoingRequest:
    """A JSON POST (control API calls)."""
    return OutgoingRequest(method="POST", url=url, body=body, headers=(
        ("Host", urlsplit(url).netloc), *_CLIENT_HEADERS,
        ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
    ))
