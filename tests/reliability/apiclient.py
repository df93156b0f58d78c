"""A small HTTP client for the mock: raw exchanges on a keep-alive connection, signed API calls,
safe XML parsing and validation against the project's response schema (xsd/).

One `ApiClient` per thread (an http.client connection is not thread-safe).
"""
from __future__ import annotations

import http.client
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from tests.reliability.signing import FORM_CONTENT_TYPE, PRIMARY, form_body, sigv2_params, sigv4_headers

NS = "http://importexport.amazonaws.com/doc/2010-06-01/"
XSD_PATH = Path(__file__).resolve().parents[2] / "xsd" / "importexport-2010-06-01.xsd"
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
API_VERSION = "2010-06-01"


def response_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@dataclass
class Reply:
    """One HTTP response as received."""

    status: int
    headers: dict[str, str]
    body: bytes
    root: etree._Element | None = field(default=None, repr=False)

    def parse(self) -> etree._Element:
        """The body as XML (raises etree.XMLSyntaxError when it is not well-formed)."""
        if self.root is None:
            self.root = etree.fromstring(self.body, SAFE_PARSER)
        return self.root

    def text(self, name: str) -> str | None:
        """The text of the first element `name` (in the API namespace), or None."""
        found = self.parse().find(f".//{{{NS}}}{name}")
        return None if found is None else (found.text or "")

    def texts(self, path: str) -> list[str]:
        return [node.text or "" for node in self.parse().iterfind(path, {"ie": NS})]

    @property
    def error_code(self) -> str | None:
        return self.text("Code") if self.status >= 400 else None


class ApiClient:
    """Talks to one mock URL over a persistent connection, reconnecting after any failure."""

    def __init__(self, url: str, timeout_s: float = 10.0, account: tuple[str, str] = PRIMARY):
        parts = urlsplit(url)
        self.url = url.rstrip("/")
        self.host = parts.netloc
        self.timeout_s = timeout_s
        self.account = account
        self._connection: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """One exchange; raises OSError / http.client.HTTPException on transport failures and timeouts."""
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, timeout=self.timeout_s)
        try:
            self._connection.request(method, path, body=body if body or method not in ("GET", "HEAD") else None,
                                     headers=dict(headers))
            response = self._connection.getresponse()
            payload = response.read()
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, payload)

    def call(self, action: str, params: Mapping[str, str] | Sequence[tuple[str, str]] = (),
             scheme: str = "sigv4") -> Reply:
        """A well-formed POST of `action` with `params`, signed with `scheme` (sigv2 | sigv4)."""
        pairs = [("Action", action), ("Version", API_VERSION), *dict(params).items()]
        headers = {"Content-Type": FORM_CONTENT_TYPE, "Host": self.host}
        if scheme == "sigv2":
            body = form_body(sigv2_params(dict(pairs), self.url, account=self.account))
        else:
            body = form_body(pairs)
            headers = sigv4_headers("POST", self.url + "/", body, headers.items(), account=self.account)
        return self.send("POST", "/", headers, body)

    def control(self, path: str, payload: dict | None = None, method: str = "POST") -> tuple[int, dict]:
        """A control-API call (`/_mock/<path>`, JSON in and out; the mock needs --admin)."""
        body = json.dumps(payload or {}).encode() if method == "POST" else b""
        reply = self.send(method, f"/_mock/{path}", {"Content-Type": "application/json", "Host": self.host}, body)
        return reply.status, json.loads(reply.body)

    def list_all_jobs(self, max_jobs: int = 1000) -> list[str]:
        """Every JobId ListJobs shows, following Marker while IsTruncated is true."""
        job_ids: list[str] = []
        params: dict[str, str] = {"MaxJobs": str(max_jobs)}
        while True:
            reply = self.call("ListJobs", params)
            if reply.status != 200:
                raise AssertionError(f"ListJobs answered {reply.status}: {reply.body[:300]!r}")
            page = reply.texts(".//ie:Jobs/ie:member/ie:JobId")
            job_ids += page
            if reply.text("IsTruncated") != "true" or not page:
                return job_ids
            params["Marker"] = page[-1]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
