"""The HTTP messages a mutant proxy sees: one request in, one response out, both as plain bytes.

`ProxyRequest` keeps the request target exactly as received (so the backend sees what the client
sent); its API parameters are decoded with the mock's own strict form decoder, and a request whose
parameters cannot be decoded is never rewritten. `ProxyResponse` is what the backend answered.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Optional
from urllib.parse import urlencode

from mockserver.exceptions import ApiError
from mockserver.protocol.http_request import decode_form

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "te", "trailer",
                        "upgrade", "proxy-connection"})
_ENVIRON_HEADERS = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}


def reason_phrase(status: int) -> str:
    """The standard reason phrase of an HTTP status (`Unknown` for a non-standard one)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _header(headers: tuple, name: str) -> Optional[str]:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def _with_header(headers: tuple, name: str, value: Optional[str]) -> tuple:
    """`headers` with every `name` header removed, then `name: value` added (unless value is None)."""
    kept = tuple((key, existing) for key, existing in headers if key.lower() != name.lower())
    return kept if value is None else kept + ((name, value),)


@dataclass(frozen=True)
class ProxyRequest:
    """One request as received: method, raw target, raw query, headers and body."""

    method: str
    target: str
    path: str
    query: str
    headers: tuple
    body: bytes

    @classmethod
    def from_environ(cls, environ: dict) -> "ProxyRequest":
        headers = []
        for key, value in environ.items():
            if key in _ENVIRON_HEADERS:
                headers.append((_ENVIRON_HEADERS[key], value))
            elif key.startswith("HTTP_"):
                headers.append(("-".join(part.capitalize() for part in key[5:].split("_")), value))
        length = environ.get("CONTENT_LENGTH") or ""
        stream = environ["wsgi.input"]
        body = stream.read(int(length)) if length.isdigit() else stream.read()
        query = environ.get("QUERY_STRING", "")
        target = environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")
        return cls(method=environ["REQUEST_METHOD"], target=target, path=environ.get("PATH_INFO", "/"),
                   query=query, headers=tuple(headers), body=body)

    @property
    def is_api(self) -> bool:
        """True for the Query API (`/`), false for labels and the control API."""
        return self.path == "/"

    @property
    def host(self) -> str:
        return self.header("Host") or ""

    def header(self, name: str) -> Optional[str]:
        return _header(self.headers, name)

    def with_header(self, name: str, value: Optional[str]) -> "ProxyRequest":
        return replace(self, headers=_with_header(self.headers, name, value))

    @property
    def carries_form(self) -> bool:
        media_type = (self.header("Content-Type") or "").split(";")[0].strip().lower()
        return self.method == "POST" and media_type == FORM_MEDIA_TYPE

    def params(self) -> Optional[list]:
        """The API parameters in wire order, or None when they cannot be decoded strictly."""
        if self.method == "GET":
            raw = self.query.encode("latin-1")
        elif self.carries_form:
            raw = self.body
        else:
            return None
        try:
            pairs = decode_form(raw)
        except (ApiError, UnicodeEncodeError):
            return None
        names = [name for name, _ in pairs]
        return pairs if len(set(names)) == len(names) else None

    def with_params(self, pairs: list) -> "ProxyRequest":
        """The same request carrying `pairs` (form-encoded like the suite and boto3: `+` for space)."""
        encoded = urlencode(pairs)
        if self.method == "GET":
            return replace(self, query=encoded, target=f"{self.path}?{encoded}" if encoded else self.path)
        return replace(self, body=encoded.encode("utf-8"))


@dataclass(frozen=True)
class ProxyResponse:
    """The backend's answer: status, reason, end-to-end headers and the whole body."""

    status: int
    reason: str
    headers: tuple
    body: bytes

    def header(self, name: str) -> Optional[str]:
        return _header(self.headers, name)

    def with_header(self, name: str, value: Optional[str]) -> "ProxyResponse":
        return replace(self, headers=_with_header(self.headers, name, value))

    @property
    def is_error(self) -> bool:
        return self.status >= 400

    def wsgi_headers(self) -> list:
        """Headers to send: hop-by-hop ones dropped, Content-Length set for the (rewritten) body."""
        kept = [(key, value) for key, value in self.headers if key.lower() not in HOP_BY_HOP]
        return kept + [("Content-Length", str(len(self.body)))]
