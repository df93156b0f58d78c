"""Size limits (body, query string, parameter count, manifest) and safe YAML, against the mock process.

Each limit is a clear 4xx ErrorResponse naming the limit. YAML tags that construct Python objects are
refused, and alias bombs and deep nesting are refused quickly (the time is measured and printed, and
asserted only generously: tests do not time).
"""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from conftest import FORM, error_code, sigv4_request

MANIFEST_HEAD = ("manifestVersion: 2.0\naccessKeyId: AKIAIOSFODNN7EXAMPLE\nbucket: amzn-s3-demo-bucket\n"
                 "deviceId: 49382\n")
ADDRESS = ("returnAddress:\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n"
           "  stateOrProvince: WA\n  postalCode: 91011-1111\n  phoneNumber: 206-555-1111\n  country: USA\n")


def _laughs(levels: int = 9) -> str:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _create_job(mock, manifest: str) -> tuple[requests.Response, float]:
    headers, body = sigv4_request(mock.host, {"Action": "CreateJob", "JobType": "Import",
                                              "ValidateOnly": "false", "Manifest": manifest})
    started = time.perf_counter()
    response = requests.post(mock.url + "/", data=body, headers=headers, timeout=30)
    return response, time.perf_counter() - started


def test_valid_manifest_is_accepted(admin_mock):
    response, _ = _create_job(admin_mock, MANIFEST_HEAD + ADDRESS)
    assert response.status_code == 200, response.text


def test_body_over_the_limit_is_413(admin_mock):
    for body in (b"Action=ListJobs&x=" + b"a" * 2_000_000, (b"a" * 65536 for _ in range(32))):
        response = requests.post(admin_mock.url + "/", data=body, headers={"Content-Type": FORM}, timeout=30)
        assert error_code(response.status_code, response.content) == (413, "RequestEntityTooLarge")


def test_query_string_over_the_limit_is_414(admin_mock):
    response = requests.get(admin_mock.url + "/?Action=ListJobs&x=" + "a" * 200_000, timeout=30)
    assert error_code(response.status_code, response.content) == (414, "RequestURITooLong")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_too_many_parameters_is_400(admin_mock, method):
    query = urlencode({"Action": "ListJobs", **{f"p{index}": "x" for index in range(1500)}})
    if method == "GET":
        response = requests.get(f"{admin_mock.url}/?{query}", timeout=30)
    else:
        response = requests.post(admin_mock.url + "/", data=query, headers={"Content-Type": FORM}, timeout=30)
    assert error_code(response.status_code, response.content) == (400, "InvalidParameterException")
    assert "1000 parameters" in response.text


def test_manifest_over_the_limit_is_400(admin_mock):
    response, _ = _create_job(admin_mock, MANIFEST_HEAD + ADDRESS + "# " + "x" * 70_000 + "\n")
    assert error_code(response.status_code, response.content) == (400, "InvalidParameterException")
    assert "65536 bytes" in response.text


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:pathlib.Path ['{marker}']",
    "!!python/name:os.system",
    "!!python/object:argparse.Namespace {{x: 1}}",
])
def test_yaml_object_construction_is_refused(admin_mock, tmp_path: Path, tag):
    marker = tmp_path / "constructed"
    manifest = MANIFEST_HEAD + ADDRESS + "notes: " + tag.format(marker=marker) + "\n"
    response, _ = _create_job(admin_mock, manifest)
    assert error_code(response.status_code, response.content) == (400, "MalformedManifestException")
    assert not marker.exists()


@pytest.mark.parametrize("placement", ["notes", "operations", "returnAddress", "deviceId"])
def test_billion_laughs_manifest_is_a_quick_4xx(admin_mock, placement):
    bomb = _laughs()
    if placement == "notes":
        manifest = MANIFEST_HEAD + ADDRESS + bomb
    else:
        manifest = MANIFEST_HEAD.replace("deviceId: 49382\n", "") + bomb + (
            ADDRESS if placement != "returnAddress" else "") + f"{placement}: *lol8\n"
        if placement != "deviceId":
            manifest += "deviceId: 49382\n"
    response, elapsed = _create_job(admin_mock, manifest)
    print(f"billion laughs ({placement}): HTTP {response.status_code} in {elapsed * 1000:.1f} ms")
    assert error_code(response.status_code, response.content) == (400, "MalformedManifestException")
    assert elapsed < 2.0


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_a_quick_4xx(admin_mock, shape):
    if shape == "flow":
        deep = "notes: " + "[" * 5000 + "]" * 5000 + "\n"
    else:
        deep = "notes:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 200))
    response, elapsed = _create_job(admin_mock, MANIFEST_HEAD + ADDRESS + deep)
    assert error_code(response.status_code, response.content) == (400, "MalformedManifestException")
    assert elapsed < 2.0


def test_self_referencing_alias_is_refused(admin_mock):
    response, _ = _create_job(admin_mock, MANIFEST_HEAD + ADDRESS + "notes: &loop [*loop]\n")
    assert error_code(response.status_code, response.content) == (400, "MalformedManifestException")
