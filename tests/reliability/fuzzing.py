"""Random requests for the mock, drawn from a seeded `random.Random`: actions (the six and unknown ones),
parameters, bodies, percent-encodings, invalid UTF-8, methods, Content-Types, headers, manifests valid
and broken, signed with SigV2 or SigV4, signed wrongly, or not at all.

Request number `index` of seed `seed` is drawn from `random.Random(f"{seed}:{index}")` and the pool of
job ids created so far, so a failure replays with `--seed S --only INDEX` (timestamps are fresh).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from tests.reliability.manifests import HOSTILE_TEXT, broken_manifest, valid_manifest
from tests.reliability.signing import FORM_CONTENT_TYPE, PRIMARY, SECONDARY, sigv2_params, sigv4_headers

ACTIONS = ["CreateJob", "UpdateJob", "CancelJob", "GetStatus", "ListJobs", "GetShippingLabel"]
UNKNOWN_ACTIONS = ["", "Foo", "createjob", "CreateJob ", "DeleteJob", "../../etc/passwd", "\u00e9", "A" * 300]
METHODS = ["POST"] * 14 + ["GET"] * 4 + ["PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "TRACE", "FOO"]
CONTENT_TYPES = [FORM_CONTENT_TYPE] * 10 + [
    "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin-1",
    "APPLICATION/X-WWW-FORM-URLENCODED", "text/plain", "application/json", "application/xml",
    "multipart/form-data", "multipart/form-data; boundary=xyz", "", ";;;", "x" * 2000, None]
# Query strings stay under waitress's 256 KiB max_header; the head over it (an XML 431) is tested on its
# own in test_fuzz.py and tests/mock/test_mock_serving.py.
MAX_QUERY_BYTES = 200_000
PATHS = ["/"] * 20 + ["//", "/index", "/%2e%2e/", "/?", "/_mock/reset", "/labels/../../etc/passwd",
                      "/" + "a" * 4000, "/%ff%fe", "/label/ABCDE.pdf"]
ADDRESS_PARAMS = ["name", "company", "phoneNumber", "country", "stateOrProvince", "city", "postalCode",
                  "street1", "street2", "street3", "APIVersion"]
ACTION_PARAMS = {
    "CreateJob": ["JobType", "Manifest", "ManifestAddendum", "ValidateOnly", "APIVersion"],
    "UpdateJob": ["JobId", "Manifest", "JobType", "ValidateOnly", "APIVersion"],
    "CancelJob": ["JobId", "APIVersion"],
    "GetStatus": ["JobId", "APIVersion"],
    "ListJobs": ["MaxJobs", "Marker", "APIVersion"],
    "GetShippingLabel": ["jobIds.member.1", "jobIds.member.2", "jobIds.member.3", *ADDRESS_PARAMS],
}


@dataclass
class FuzzRequest:
    """One request exactly as it goes on the wire, with a short description of how it was drawn."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    how: str

    def replay_literal(self) -> str:
        """A Python literal that re-sends these exact bytes with http.client."""
        return (f"http.client.HTTPConnection(HOST).request({self.method!r}, {_cut(self.path)}, "
                f"body={_cut(self.body)}, headers={ {name: _cut(value) for name, value in self.headers.items()} })")


class RequestFuzzer:
    """Draws request number `index` of a seed; `job_ids` is the pool of real jobs to aim at."""

    def __init__(self, seed: int, url: str):
        self.seed = seed
        self.url = url.rstrip("/")
        self.host = url.split("://", 1)[1].rstrip("/")
        self.job_ids: list[str] = []

    def draw(self, index: int) -> FuzzRequest:
        rng = random.Random(f"{self.seed}:{index}")
        how: list[str] = []
        action = rng.choice(ACTIONS) if rng.random() < 0.9 else rng.choice(UNKNOWN_ACTIONS)
        params = self._params(rng, action, how)
        method = rng.choice(METHODS)
        path = rng.choice(PATHS)
        how += [f"action={action!r}", f"method={method}", f"path={path[:40]!r}"]
        scheme = rng.choices(["sigv4", "sigv2", "broken", "none"], [40, 30, 20, 10])[0]
        how.append(f"auth={scheme}")
        account = PRIMARY if rng.random() < 0.9 else SECONDARY
        if scheme == "sigv2" or (scheme == "broken" and rng.random() < 0.5):
            params = sigv2_params(dict(params), self.url, method if method == "GET" else "POST", account)
            if scheme == "broken":
                params = self._break_sigv2(rng, params, how)
        encoded = self._encode(rng, params, how)
        headers = {"Host": self.host}
        content_type = rng.choice(CONTENT_TYPES)
        if content_type is not None and (method != "GET" or rng.random() < 0.2):
            headers["Content-Type"] = content_type
        if len(encoded) < MAX_QUERY_BYTES and (method == "GET" or (method != "POST" and rng.random() < 0.5)):
            path = path + ("&" if "?" in path else "?") + _as_url_text(encoded)
            body = b""
        else:
            body = encoded
        if scheme in ("sigv4", "broken") and not any(name == "Signature" for name, _ in params):
            headers = sigv4_headers(method, self.url + path, body, headers.items(), account)
            if scheme == "broken":
                self._break_sigv4(rng, headers, how)
        self._extra_headers(rng, headers, how)
        return FuzzRequest(method, path, headers, body, "; ".join(how))

    def _params(self, rng: random.Random, action: str, how: list[str]) -> list[tuple[str, str]]:
        action_name = "Operation" if rng.random() < 0.05 else "Action"
        params: list[tuple[str, str]] = []
        if rng.random() < 0.97:
            params.append((action_name, action))
        if rng.random() < 0.9:
            params.append(("Version", "2010-06-01" if rng.random() < 0.9 else self._junk(rng)))
        names = ACTION_PARAMS.get(action, ACTION_PARAMS[rng.choice(ACTIONS)])
        job_type, manifest = valid_manifest(rng)
        for name in names:
            if rng.random() < 0.25:
                continue
            params.append((name, self._value(rng, name, job_type, manifest, how)))
        for _ in range(rng.choice([0, 0, 0, 1, 3])):
            params.append((self._junk(rng) or "x", self._junk(rng)))
        if params and rng.random() < 0.05:
            params.append(rng.choice(params))
            how.append("duplicate-param")
        return params

    def _value(self, rng: random.Random, name: str, job_type: str, manifest: str, how: list[str]) -> str:
        if rng.random() < 0.15:
            return self._junk(rng)
        if name == "Manifest":
            if rng.random() < 0.5:
                how.append("manifest=valid")
                return manifest
            how.append("manifest=broken")
            return broken_manifest(rng)
        if name == "JobType":
            return rng.choice([job_type, job_type, "Import", "Export", "import", "Foo"])
        if name == "ValidateOnly":
            return rng.choice(["false", "false", "true", "maybe", "TRUE", "1"])
        if name == "JobId" or name.startswith("jobIds.member"):
            return self._job_id(rng)
        if name == "MaxJobs":
            return rng.choice(["0", "1", "2", "1000", "1001", "-1", "1e3", "9" * 30, " 5"])
        if name == "Marker":
            return self._job_id(rng)
        if name == "APIVersion":
            return rng.choice(["1.0", "2010-06-01", "2.0.1", "x", ""])
        return rng.choice(["Jane Roe", "123 Any Street", "WA", "USA", "98101", "206-555-1111",
                           *HOSTILE_TEXT])

    def _job_id(self, rng: random.Random) -> str:
        if self.job_ids and rng.random() < 0.7:
            return rng.choice(self.job_ids)
        return rng.choice(["XXXXX-VALIDATE-ONLY", "ABCDE", "", "X" * 5000, "<&]]>", "\u00e9\u00e9\u00e9",
                           "1' OR '1'='1", self._junk(rng)])

    def _junk(self, rng: random.Random) -> str:
        alphabet = rng.choice(["abcXYZ019", "%&=+;/?#[]", " \t\r\n\x00\x7f", "\u00e9\u4e2d\U0001f600\ufffd"])
        return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 5, 40, 300])))

    def _encode(self, rng: random.Random, params: list[tuple[str, str]], how: list[str]) -> bytes:
        style = rng.choices(["form", "quote", "mangled", "utf8", "garbage"], [70, 10, 10, 5, 5])[0]
        if style == "form":
            return urlencode(params).encode()
        if style == "quote":
            how.append("encoding=%20")
            return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params).encode()
        encoded = bytearray(urlencode(params).encode())
        if style == "mangled":
            how.append("encoding=bad-percent")
            for _ in range(rng.randint(1, 3)):
                encoded[rng.randrange(len(encoded) + 1):0] = rng.choice([b"%", b"%A", b"%zz", b"%%", b"%ff%fe", b"%C3"])
            return bytes(encoded)
        if style == "utf8":
            how.append("encoding=invalid-utf8")
            encoded[rng.randrange(len(encoded) + 1):0] = rng.choice([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x80"])
            return bytes(encoded)
        how.append("body=random-bytes")
        return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 64, 4096])))

    def _break_sigv2(self, rng: random.Random, params: list[tuple[str, str]], how: list[str]) -> list[tuple[str, str]]:
        breakage = rng.randrange(5)
        how.append(f"sigv2-broken={breakage}")
        fields = dict(params)
        if breakage == 0:
            fields["Signature"] = "bogus" + fields["Signature"][5:]
        elif breakage == 1:
            fields.pop("Signature")
        elif breakage == 2:
            fields["Timestamp"] = rng.choice(["2010-01-01T00:00:00Z", "not a time", "9999-12-31T23:59:59Z", ""])
        elif breakage == 3:
            fields["AWSAccessKeyId"] = rng.choice(["", "AKIAUNKNOWNEXAMPLE00", "\u00e9"])
        else:
            fields["SignatureMethod"] = rng.choice(["HmacMD5", "", "HmacSHA1"])
        return list(fields.items())

    def _break_sigv4(self, rng: random.Random, headers: dict[str, str], how: list[str]) -> None:
        breakage = rng.randrange(5)
        how.append(f"sigv4-broken={breakage}")
        if breakage == 0:
            headers["Authorization"] = headers["Authorization"][:-8] + "00000000"
        elif breakage == 1:
            headers["X-Amz-Date"] = rng.choice(["20100101T000000Z", "garbage", "", "99991231T235959Z"])
        elif breakage == 2:
            headers["Authorization"] = rng.choice(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=/",
                                                   "Basic Zm9vOmJhcg==", "AWS4-HMAC-SHA256 " + "x=" * 500, ""])
        elif breakage == 3:
            headers["Authorization"] = headers["Authorization"].replace("IngestionService", "s3")
        else:
            headers.pop("X-Amz-Date", None)

    def _extra_headers(self, rng: random.Random, headers: dict[str, str], how: list[str]) -> None:
        if rng.random() < 0.85:
            return
        name, value = rng.choice([("Content-Encoding", "gzip"), ("Expect", "100-continue"),
                                  ("X-Forwarded-For", "10.0.0.1"), ("Accept", "application/json"),
                                  ("X-Amz-Security-Token", "x" * 100), ("Host", "evil.example"),
                                  ("X-Junk", "\u00e9".encode().decode("latin-1")), ("Accept-Encoding", "gzip"),
                                  ("Cookie", "a=" + "b" * 3000)])
        how.append(f"header={name}")
        headers[name] = value


def _as_url_text(raw: bytes) -> str:
    """Query-string text for `raw`: printable ASCII kept, every other byte as %XX (a request line is ASCII)."""
    return "".join(chr(byte) if 0x21 <= byte < 0x7F else f"%{byte:02X}" for byte in raw)


def _cut(value: str | bytes, limit: int = 2000) -> str:
    """repr of `value`, cut after `limit` characters with the full length noted (the seed replays it whole)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r} + ... ({len(value)} in all)"
