"""No secret key, signature or manifest text in anything the mock writes (stdout, stderr, the log)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import requests

from tests.security.conftest import FORM, SECRET, sigv2_body, sigv4_request
from tests.support.mock_process import MockProcess

MARKER = "MANIFEST-MARKER-5e1d0c"
MANIFEST = (
    f"# {MARKER}\nmanifestVersion: 2.0\naccessKeyId: AKIAIOSFODNN7EXAMPLE\nbucket: amzn-s3-demo-bucket\n"
    f"deviceId: 49382\nreturnAddress:\n  name: {MARKER}\n  street1: 123 Any Street\n  city: Anytown\n"
    "  stateOrProvince: WA\n  postalCode: 91011-1111\n  phoneNumber: 206-555-1111\n  country: USA\n"
)


def test_logs_hold_no_secret_signature_or_manifest():
    mock = MockProcess("--admin", "--jobs-per-day", "1000").start()
    signatures = []
    statuses = []
    try:
        calls = [
            {"Action": "CreateJob", "JobType": "Import", "ValidateOnly": "false", "Manifest": MANIFEST},
            {"Action": "CreateJob", "JobType": "Import", "ValidateOnly": "true", "Manifest": MANIFEST + ":\n\t["},
            {"Action": "ListJobs"},
            {"Action": "GetStatus", "JobId": MARKER},
        ]
        for params in calls:
            body = sigv2_body(mock.host, params)
            signatures.append(parse_qs(body)["Signature"][0])
            statuses.append(requests.post(mock.url + "/", data=body, headers={"Content-Type": FORM}, timeout=30)
                            .status_code)
            statuses.append(requests.get(f"{mock.url}/?{body}", timeout=30).status_code)
            headers, raw = sigv4_request(mock.host, params)
            signatures.append(headers["Authorization"].rsplit("Signature=", 1)[1])
            statuses.append(requests.post(mock.url + "/", data=raw, headers=headers, timeout=30).status_code)
            wrong = sigv2_body(mock.host, params, secret="not-the-secret")
            signatures.append(parse_qs(wrong)["Signature"][0])
            statuses.append(requests.post(mock.url + "/", data=wrong, headers={"Content-Type": FORM}, timeout=30)
                            .status_code)
        bad_json = requests.post(mock.url + "/_mock/clock", data=urlencode({"secret": SECRET}), timeout=30)
        statuses.append(bad_json.status_code)
    finally:
        mock.stop()
        logs = "\n".join([mock.startup_line, mock.stdout, mock.stderr()])
    assert 200 in statuses and 403 in statuses and 400 in statuses, statuses
    assert "action=CreateJob" in logs, logs[:2000]
    assert SECRET not in logs
    assert MARKER not in logs
    for signature in signatures:
        assert signature not in logs
        assert signature.replace("+", "%2B").replace("/", "%2F") not in logs
