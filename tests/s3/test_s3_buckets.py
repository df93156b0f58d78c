"""The mock with --s3-endpoint-url against moto's S3: bucket rules from S3, labels written to S3.

Decisions S1-S5 (docs/decisions.md): existence from HeadBucket, ownership from the caller's
ListBuckets, region from GetBucketLocation; the label goes to the job's bucket with a presigned URL;
an unreachable S3 is a 503 ErrorResponse naming it, quickly.
"""
from __future__ import annotations

import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from .conftest import IRISH_RETURN_ADDRESS, SECONDARY, S3MockProcess, create_bucket, import_manifest, s3_client


def _bucket_name(role: str) -> str:
    return f"ie-{role}-{uuid.uuid4().hex[:12]}"


def _error(call) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    return {**caught.value.response["Error"], "status": caught.value.response["ResponseMetadata"]["HTTPStatusCode"]}


def test_a_bucket_created_in_s3_is_usable_and_the_label_lands_there(s3_mock, moto_s3):
    bucket = _bucket_name("own")
    create_bucket(moto_s3, bucket)
    client = s3_mock.importexport()
    job_id = client.create_job(JobType="Import", Manifest=import_manifest(bucket), ValidateOnly=False)["JobId"]
    url = client.get_shipping_label(jobIds=[job_id])["ShippingLabelURL"]
    assert url.startswith(f"{moto_s3}/{bucket}/shipping-label-{job_id}.pdf?") and "X-Amz-Signature=" in url
    download = requests.get(url, timeout=10)
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    stored = s3_client(moto_s3).get_object(Bucket=bucket, Key=f"shipping-label-{job_id}.pdf")["Body"].read()
    assert stored == download.content


def test_a_bucket_s3_does_not_have_is_no_such_bucket_even_if_the_config_names_it(s3_mock):
    client = s3_mock.importexport()
    for bucket in (_bucket_name("missing"), "amzn-s3-demo-bucket"):
        manifest = import_manifest(bucket)
        error = _error(lambda: client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=True))  # noqa: B023
        assert error["Code"] == "NoSuchBucketException" and bucket in error["Message"]


def test_a_bucket_in_another_region_is_multiple_regions(s3_mock, moto_s3):
    home, away = _bucket_name("home"), _bucket_name("away")
    create_bucket(moto_s3, home)
    create_bucket(moto_s3, away, region="eu-west-1")
    client = s3_mock.importexport()
    error = _error(lambda: client.create_job(
        JobType="Import", Manifest=import_manifest(home, log_bucket=away), ValidateOnly=True))
    assert error["Code"] == "MultipleRegionsException" and "eu-west-1" in error["Message"]
    same_region = client.create_job(JobType="Import", ValidateOnly=True,
                                    Manifest=import_manifest(away, return_address=IRISH_RETURN_ADDRESS))
    assert same_region["JobId"].endswith("-VALIDATE-ONLY")


def test_a_bucket_of_another_account_is_bucket_permission(s3_mock, moto_s3):
    foreign = _bucket_name("foreign")
    create_bucket(moto_s3, foreign, account=SECONDARY)
    error = _error(lambda: s3_mock.importexport().create_job(
        JobType="Import", Manifest=import_manifest(foreign), ValidateOnly=True))
    assert error["Code"] == "BucketPermissionException" and foreign in error["Message"]
    owner = s3_mock.importexport(SECONDARY).create_job(
        JobType="Import", Manifest=import_manifest(foreign, SECONDARY[0]), ValidateOnly=True)
    assert owner["JobId"].endswith("-VALIDATE-ONLY")


def test_an_unreachable_s3_is_a_clear_503_not_a_hang():
    """A hang would end in the client's read timeout (a botocore error, not a ClientError)."""
    unreachable = "http://127.0.0.1:9"
    mock = S3MockProcess("--s3-endpoint-url", unreachable).start()
    try:
        error = _error(lambda: mock.importexport().create_job(
            JobType="Import", Manifest=import_manifest("amzn-s3-demo-bucket"), ValidateOnly=False))
        assert (error["status"], error["Code"], error["Type"]) == (503, "ServiceUnavailable", "Receiver")
        assert unreachable in error["Message"] and "HeadBucket" in error["Message"]
        listing = mock.importexport().list_jobs()
        assert listing["Jobs"] == []
    finally:
        mock.stop()
