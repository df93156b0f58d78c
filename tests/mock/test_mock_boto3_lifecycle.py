"""boto3 against the mock: a full job lifecycle, listing and pagination, ownership, ValidateOnly."""
from __future__ import annotations

import base64
import re
from datetime import datetime, timezone

import pytest
import requests


def test_full_lifecycle_create_status_list_label_update_cancel(mock):
    client = mock.client()
    manifest = mock.import_manifest()
    created = client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)
    job_id = created["JobId"]
    assert re.fullmatch(r"[A-Z0-9]{5}", job_id)
    assert created["JobType"] == "Import"
    assert created["SignatureFileContents"] == (
        f"version:2.0\nsigningMethod:HmacSHA1\njobId:{job_id}\nsignature:{created['Signature']}"
    )
    assert len(base64.b64decode(created["Signature"])) == 20

    status = client.get_status(JobId=job_id)
    assert status["ProgressCode"] == "Pending"
    assert status["ProgressMessage"] == "The specified job has not started."
    assert status["LocationCode"] == "NotReceived"
    assert status["LocationMessage"] == "AWS has not received your device."
    assert status["ErrorCount"] == 0
    assert status["CurrentManifest"] == manifest
    assert status["Signature"] == created["Signature"]
    for absent in ("Carrier", "TrackingNumber", "LogBucket", "LogKey"):
        assert absent not in status
    assert abs((datetime.now(timezone.utc) - status["CreationDate"]).total_seconds()) < 60

    listed = client.list_jobs()
    assert [job["JobId"] for job in listed["Jobs"]] == [job_id]
    assert listed["Jobs"][0]["IsCanceled"] is False
    assert listed["IsTruncated"] is False

    label_url = client.get_shipping_label(jobIds=[job_id])["ShippingLabelURL"]
    assert label_url == f"{mock.url}/amzn-s3-demo-bucket/shipping-label-{job_id}.pdf"
    label = requests.get(label_url, timeout=10)
    assert label.status_code == 200 and label.content.startswith(b"%PDF-")
    assert label.headers["Content-Type"] == "application/pdf"

    export = mock.export_manifest()
    assert client.update_job(JobId=job_id, JobType="Export", Manifest=export, ValidateOnly=False)["Success"]
    updated = client.get_status(JobId=job_id)
    assert updated["JobType"] == "Export" and updated["CurrentManifest"] == export
    assert updated["Signature"] != created["Signature"]

    assert client.cancel_job(JobId=job_id)["Success"] is True
    assert client.get_status(JobId=job_id)["ProgressCode"] == "Canceled"
    assert client.list_jobs()["Jobs"][0]["IsCanceled"] is True


def test_list_jobs_newest_first_with_pagination(mock):
    client = mock.client()
    created = [mock.create_job() for _ in range(5)]
    newest_first = list(reversed(created))
    assert [job["JobId"] for job in client.list_jobs()["Jobs"]] == newest_first

    first_page = client.list_jobs(MaxJobs=2)
    assert [job["JobId"] for job in first_page["Jobs"]] == newest_first[:2]
    assert first_page["IsTruncated"] is True
    second_page = client.list_jobs(MaxJobs=2, Marker=newest_first[1])
    assert [job["JobId"] for job in second_page["Jobs"]] == newest_first[2:4]

    pages = client.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 2})
    assert [job["JobId"] for page in pages for job in page["Jobs"]] == newest_first

    last_page = client.list_jobs(Marker=newest_first[3])
    assert [job["JobId"] for job in last_page["Jobs"]] == newest_first[4:]
    assert last_page["IsTruncated"] is False


def test_max_jobs_zero_returns_no_jobs_but_reports_truncation(mock):
    client = mock.client()
    empty = client.list_jobs(MaxJobs=0)
    assert empty["Jobs"] == [] and empty["IsTruncated"] is False
    mock.create_job()
    zero = client.list_jobs(MaxJobs=0)
    assert zero["Jobs"] == [] and zero["IsTruncated"] is True


def test_jobs_are_private_to_their_account(mock):
    job_id = mock.create_job("primary")
    other = mock.client("secondary")
    assert other.list_jobs()["Jobs"] == []
    for call in (
        lambda: other.get_status(JobId=job_id),
        lambda: other.cancel_job(JobId=job_id),
        lambda: other.update_job(JobId=job_id, JobType="Import",
                                 Manifest=mock.import_manifest(mock.SECONDARY[0]), ValidateOnly=False),
        lambda: other.get_shipping_label(jobIds=[job_id]),
    ):
        with pytest.raises(other.exceptions.InvalidJobIdException, match=f"No such job {job_id} for your account"):
            call()
    assert mock.client("primary").get_status(JobId=job_id)["ProgressCode"] == "Pending"


def test_validate_only_create_returns_a_full_result_and_stores_nothing(mock):
    client = mock.client()
    result = client.create_job(JobType="Import", Manifest=mock.import_manifest(), ValidateOnly=True)
    assert re.fullmatch(r"[A-Z0-9]{5}-VALIDATE-ONLY", result["JobId"])
    assert f"jobId:{result['JobId']}\n" in result["SignatureFileContents"]
    assert client.list_jobs()["Jobs"] == []
    with pytest.raises(client.exceptions.InvalidJobIdException, match=r"No such job .*-VALIDATE-ONLY for your account"):
        client.cancel_job(JobId=result["JobId"])


def test_validate_only_update_keeps_the_manifest(mock):
    client = mock.client()
    job_id = mock.create_job()
    before = client.get_status(JobId=job_id)
    assert client.update_job(JobId=job_id, JobType="Export", Manifest=mock.export_manifest(),
                             ValidateOnly=True)["Success"] is True
    after = client.get_status(JobId=job_id)
    assert (after["JobType"], after["CurrentManifest"]) == ("Import", before["CurrentManifest"])


def test_job_type_is_case_insensitive_and_normalised(mock):
    client = mock.client()
    result = client.create_job(JobType="import", Manifest=mock.import_manifest(), ValidateOnly=False)
    assert result["JobType"] == "Import"
    assert client.get_status(JobId=result["JobId"])["JobType"] == "Import"


def test_returned_job_reports_carrier_and_tracking_number(mock):
    client = mock.client()
    job_id = mock.create_job()
    state = {"progress_code": "Complete", "location_code": "Returned", "carrier": "UPS",
             "tracking_number": "1Z999AA10123456784", "log_bucket": "amzn-s3-demo-logs",
             "log_key": f"import-log-{job_id}", "error_count": 0}
    assert mock.control(f"jobs/{job_id}/state", state).json()["ok"] is True
    status = client.get_status(JobId=job_id)
    assert (status["Carrier"], status["TrackingNumber"]) == ("UPS", "1Z999AA10123456784")
    assert status["LocationMessage"] == "Your device has been returned. The UPS tracking number is 1Z999AA10123456784."
    assert status["ProgressMessage"] == (
        f"The data loaded successfully. The log was saved to import-log-{job_id} in the bucket amzn-s3-demo-logs."
    )
    assert (status["LogBucket"], status["LogKey"]) == ("amzn-s3-demo-logs", f"import-log-{job_id}")


def test_label_for_several_jobs_names_them_all_and_takes_the_address_from_the_manifest(mock):
    client = mock.client()
    first, second = mock.create_job(), mock.create_job()
    url = client.get_shipping_label(jobIds=[first, second, first])["ShippingLabelURL"]
    assert url.endswith(f"/amzn-s3-demo-bucket/shipping-label-{first}-{second}.pdf")
    assert requests.get(url, timeout=10).content.startswith(b"%PDF-")
    with_address = client.get_shipping_label(jobIds=[first], name="John Doe", street1="1 Main Street")
    assert requests.get(with_address["ShippingLabelURL"], timeout=10).status_code == 200


def test_unknown_label_path_is_a_404_error_response(mock):
    response = requests.get(f"{mock.url}/amzn-s3-demo-bucket/shipping-label-NOPE1.pdf", timeout=10)
    error = mock.error_of(response)
    assert (error.status, error.code) == (404, "NotFound")
