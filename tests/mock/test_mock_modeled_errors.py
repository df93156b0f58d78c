"""Every modeled error the mock can produce reaches boto3 as its modeled exception class."""
from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

DAYS_31 = 31 * 86400


def _raises(client, code: str, call, message: str | None = None):
    with pytest.raises(getattr(client.exceptions, code), match=message) as caught:
        call()
    error = caught.value.response
    assert error["Error"]["Type"] == "Sender"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["ResponseMetadata"]["RequestId"]
    return caught.value


def test_missing_parameter(mock):
    client = mock.client()
    _raises(client, "MissingParameterException",
            lambda: client.create_job(JobType="Import", Manifest="", ValidateOnly=False),
            "^.*Manifest must be specified$")
    _raises(client, "MissingParameterException", lambda: client.get_status(JobId=""), "JobId must be specified")


def test_invalid_parameter(mock):
    client = mock.client()
    _raises(client, "InvalidParameterException",
            lambda: client.create_job(JobType="Foo", Manifest=mock.import_manifest(), ValidateOnly=True))
    _raises(client, "InvalidParameterException", lambda: client.list_jobs(MaxJobs=1001))
    _raises(client, "InvalidParameterException", lambda: client.list_jobs(Marker="ZZZZZ"))


def test_invalid_job_id(mock):
    client = mock.client()
    _raises(client, "InvalidJobIdException", lambda: client.get_status(JobId="ABC-123"),
            "No such job ABC-123 for your account")


def test_expired_job_everywhere_and_not_listed(mock, advance_clock):
    client = mock.client()
    job_id = mock.create_job()
    advance_clock(DAYS_31)
    for call in (
        lambda: client.get_status(JobId=job_id),
        lambda: client.cancel_job(JobId=job_id),
        lambda: client.update_job(JobId=job_id, JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=False),
        lambda: client.get_shipping_label(jobIds=[job_id]),
    ):
        _raises(client, "ExpiredJobIdException", call)
    assert client.list_jobs()["Jobs"] == []


def test_canceled_job(mock):
    client = mock.client()
    job_id = mock.create_job()
    client.cancel_job(JobId=job_id)
    for call in (
        lambda: client.cancel_job(JobId=job_id),
        lambda: client.update_job(JobId=job_id, JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=False),
        lambda: client.get_shipping_label(jobIds=[job_id]),
    ):
        _raises(client, "CanceledJobIdException", call)


def test_started_job_cannot_be_canceled_or_updated(mock):
    client = mock.client()
    job_id = mock.create_job()
    mock.control(f"jobs/{job_id}/state", {"progress_code": "InProgress", "location_code": "AtAWS"})
    _raises(client, "UnableToCancelJobIdException", lambda: client.cancel_job(JobId=job_id))
    _raises(client, "UnableToUpdateJobIdException",
            lambda: client.update_job(JobId=job_id, JobType="Import", Manifest=mock.import_manifest(),
                                      ValidateOnly=False))


def test_daily_quota_counts_real_jobs_only(mock, advance_clock):
    client = mock.client()
    assert mock.control("quota", {"access_key_id": mock.PRIMARY[0], "jobs_per_day": 1}).json()["ok"]
    client.create_job(JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=True)
    mock.create_job()
    _raises(client, "CreateJobQuotaExceededException",
            lambda: client.create_job(JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=False))
    client.create_job(JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=True)
    mock.create_job("secondary")
    advance_clock(86400)
    mock.create_job()


def test_invalid_version(mock):
    client = mock.client()
    _raises(client, "InvalidVersionException", lambda: client.list_jobs(APIVersion="not a version!"))
    assert client.list_jobs(APIVersion="2.0")["IsTruncated"] is False


@pytest.mark.parametrize(
    ("code", "manifest"),
    [
        ("MalformedManifestException", "INVALID MANIFEST"),
        ("InvalidAccessKeyIdException", "mismatched key"),
        ("NoSuchBucketException", "amzn-s3-demo-bucket-missing"),
        ("BucketPermissionException", "amzn-s3-demo-bucket-secondary"),
    ],
)
def test_manifest_errors(mock, code, manifest):
    client = mock.client()
    if manifest == "mismatched key":
        manifest = mock.import_manifest(access_key_id=mock.SECONDARY[0])
    elif manifest.startswith("amzn-"):
        manifest = mock.import_manifest(bucket=manifest)
    _raises(client, code, lambda: client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False))
    assert client.list_jobs()["Jobs"] == []


def test_invalid_address_on_shipping_label(mock):
    client = mock.client()
    job_id = mock.create_job()
    _raises(client, "InvalidAddressException",
            lambda: client.get_shipping_label(jobIds=[job_id], street1="P.O. Box 12"))


def test_injected_error_fails_the_next_call_of_that_operation_only(mock):
    client = mock.client()
    injected = {"operation": "CreateJob", "code": "InvalidJobIdException", "message": "injected for L11"}
    assert mock.control("inject", injected).json()["ok"]
    client.list_jobs()
    _raises(client, "InvalidJobIdException",
            lambda: client.create_job(JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=False),
            "injected for L11")
    assert client.list_jobs()["Jobs"] == []
    mock.create_job()


def test_authentication_errors_are_client_errors_with_403(mock):
    wrong_secret = mock.client(secret="wrong-secret-wrong-secret-wrong-secret00")
    with pytest.raises(ClientError) as caught:
        wrong_secret.list_jobs()
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    unknown = mock.client(access_key_id="AKIAUNKNOWNEXAMPLE00")
    with pytest.raises(ClientError) as caught:
        unknown.list_jobs()
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenIdException"
