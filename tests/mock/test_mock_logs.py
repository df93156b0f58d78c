"""The access log: one record per request; `--log-format json` gives one JSON object with the agreed
fields, and no log format ever carries a secret, a signature or a manifest."""
from __future__ import annotations

import io
import json
import logging

import pytest

from mockserver.logs import JsonLogFormatter

ACCESS_FIELDS = {"time", "method", "path", "action", "status", "request_id", "duration_ms", "access_key_id"}


@pytest.fixture(params=["json", "text"])
def access_log(request):
    """The records the access logger writes during the test, in one of the two formats."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter() if request.param == "json" else logging.Formatter("%(message)s"))
    logger = logging.getLogger("mockserver.access")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield request.param, stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_access_records_name_the_request_and_never_its_secrets(mock, access_log):
    log_format, stream = access_log
    manifest = mock.import_manifest()
    created = mock.sigv2({"Action": "CreateJob", "JobType": "Import", "Manifest": manifest, "ValidateOnly": "false"})
    listed = mock.sigv2({"Action": "ListJobs"}, method="GET")
    unsigned = mock.send([("Action", "ListJobs")])
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    text = stream.getvalue()
    for secret in (mock.PRIMARY[1], mock.SECONDARY[1]):
        assert secret not in text
    for marker in ("Signature", "manifestVersion", "returnAddress"):
        assert marker not in text
    if log_format == "text":
        assert lines[0].startswith("POST / action=CreateJob status=200 request_id=")
        return
    records = [json.loads(line) for line in lines]
    assert all(set(record) == ACCESS_FIELDS for record in records)
    assert [(r["method"], r["path"], r["action"], r["status"]) for r in records] == [
        ("POST", "/", "CreateJob", 200), ("GET", "/", "ListJobs", 200), ("POST", "/", "ListJobs", 403),
    ]
    assert [r["request_id"] for r in records] == [
        response.headers["x-amzn-RequestId"] for response in (created, listed, unsigned)
    ]
    assert [r["access_key_id"] for r in records] == [mock.PRIMARY[0], mock.PRIMARY[0], None]
    assert all(r["time"].endswith("Z") and r["duration_ms"] >= 0 for r in records)
