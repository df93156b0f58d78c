"""The AWS CLI (`python -m awscli importexport ...`) against the mock: a lifecycle and modeled errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import requests


def _cli_environment(mock) -> dict:
    access_key_id, secret = mock.PRIMARY
    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    }


def _aws(mock, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "awscli", "importexport", *args, "--endpoint-url", mock.url, "--output", "json"],
        capture_output=True, text=True, env=_cli_environment(mock), timeout=120,
    )


def _ok(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_lifecycle_and_errors(mock, tmp_path):
    manifest_file = tmp_path / "manifest"
    manifest_file.write_text(mock.import_manifest())
    with ThreadPoolExecutor(max_workers=3) as pool:
        create = pool.submit(_aws, mock, "create-job", "--job-type", "import",
                             "--manifest", f"file://{manifest_file}", "--no-validate-only")
        unknown = pool.submit(_aws, mock, "get-status", "--job-id", "NOJOB")
        created = _ok(create.result())
        job_id = created["JobId"]
        assert created["JobType"] == "Import"
        missing = unknown.result()
        assert missing.returncode == 255
        assert "(InvalidJobIdException)" in missing.stderr and "No such job NOJOB for your account" in missing.stderr

        status, listing, label = (
            pool.submit(_aws, mock, "get-status", "--job-id", job_id),
            pool.submit(_aws, mock, "list-jobs"),
            pool.submit(_aws, mock, "get-shipping-label", "--job-ids", job_id, "--name", "Jane Roe"),
        )
        status = _ok(status.result())
        assert (status["ProgressCode"], status["LocationCode"]) == ("Pending", "NotReceived")
        assert status["CurrentManifest"] == mock.import_manifest()
        assert [job["JobId"] for job in _ok(listing.result())["Jobs"]] == [job_id]
        label_url = _ok(label.result())["ShippingLabelURL"]
        assert requests.get(label_url, timeout=10).content.startswith(b"%PDF-")

    export_file = tmp_path / "export"
    export_file.write_text(mock.export_manifest())
    assert _ok(_aws(mock, "update-job", "--job-id", job_id, "--job-type", "Export",
                    "--manifest", f"file://{export_file}", "--no-validate-only"))["Success"] is True
    assert _ok(_aws(mock, "cancel-job", "--job-id", job_id))["Success"] is True
    again = _aws(mock, "cancel-job", "--job-id", job_id)
    assert again.returncode == 255 and "(CanceledJobIdException)" in again.stderr
    assert mock.client().get_status(JobId=job_id)["ProgressCode"] == "Canceled"
