"""The Go and Ruby readers of the reader oracle (a JSON array of jobs in, one JSON line per job out):
batch in, JSON Lines out, against a live mock. Each reads the mock's canonical answers exactly as boto3
does (same botocore member names and values after normalising), reports a service error as
{"code", "message"}, and anything else (a refused connection, an operation the SDK lacks) as a failure."""
from __future__ import annotations

import datetime
import json
import subprocess

import boto3
import pytest
from botocore.config import Config

from . import manifests, sdk_builds

UNREACHABLE = "http://127.0.0.1:9"
READERS = {"go-sdk": sdk_builds.go_reader_command, "ruby-sdk": sdk_builds.ruby_reader_command}


def _boto3_reading(client, operation: str, params: dict) -> dict:
    """boto3's output in the oracle's normal form (ISO 8601 UTC timestamps, no metadata)."""
    def normal(value):
        if isinstance(value, dict):
            return {key: normal(item) for key, item in value.items() if key != "ResponseMetadata"}
        if isinstance(value, list):
            return [normal(item) for item in value]
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value
    return normal(getattr(client, operation)(**params))


@pytest.fixture(scope="module")
def created(mock_endpoint):
    credentials = mock_endpoint.credentials
    client = boto3.client("importexport", endpoint_url=mock_endpoint.url, region_name="us-east-1",
                          aws_access_key_id=credentials.access_key_id,
                          aws_secret_access_key=credentials.secret_access_key,
                          config=Config(retries={"max_attempts": 1}))
    manifest = manifests.s3_import(credentials.access_key_id, manifests.DEFAULT_BUCKETS.primary)
    job = client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)["JobId"]
    client.cancel_job(JobId=client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)["JobId"])
    return client, job


@pytest.mark.parametrize("sdk", READERS)
def test_reader_reads_what_boto3_reads(mock_endpoint, created, sdk):
    client, job = created
    credentials = {"access_key_id": mock_endpoint.credentials.access_key_id,
                   "secret_access_key": mock_endpoint.credentials.secret_access_key}
    jobs = [
        {"id": 1, "operation": "GetStatus", "params": {"JobId": job}},
        {"id": 2, "operation": "ListJobs", "params": {"MaxJobs": 5}},
        {"id": 3, "operation": "GetStatus", "params": {"JobId": "NOSUCHJOB1"}},
        {"id": 4, "operation": "ListJobs", "params": {}, "endpoint": UNREACHABLE},
        {"id": 5, "operation": "GetShippingLabel", "params": {"jobIds": [job]}},
    ]
    for item in jobs:
        item.setdefault("endpoint", mock_endpoint.url)
        item.update(credentials)
    done = subprocess.run(READERS[sdk](), input=json.dumps(jobs), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    readings = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    assert sorted(readings) == [1, 2, 3, 4, 5]
    assert readings[1] == {"id": 1, "output": _boto3_reading(client, "get_status", {"JobId": job})}
    assert readings[2] == {"id": 2, "output": _boto3_reading(client, "list_jobs", {"MaxJobs": 5})}
    assert readings[3]["error"]["code"] == "InvalidJobIdException" and readings[3]["error"]["message"]
    assert set(readings[4]) == {"id", "failure"} and "refused" in readings[4]["failure"]
    if sdk == "ruby-sdk":   # its API configuration has no GetShippingLabel (docs/clients.md)
        assert "has no operation GetShippingLabel" in readings[5]["failure"]
    else:
        assert readings[5] == {"id": 5, "output": _boto3_reading(client, "get_shipping_label", {"jobIds": [job]})}
