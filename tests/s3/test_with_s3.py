"""`importexport-mock --with-s3`: the README's AWS CLI session, run as written (`aws` = `python -m awscli`)."""
from __future__ import annotations

import subprocess
import sys

import requests

from .conftest import PRIMARY, S3MockProcess, environment, import_manifest


def _aws(*args: str) -> subprocess.CompletedProcess:
    cli_environment = environment(AWS_ACCESS_KEY_ID=PRIMARY[0], AWS_SECRET_ACCESS_KEY=PRIMARY[1],
                                  AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1")
    return subprocess.run([sys.executable, "-m", "awscli", *args], capture_output=True, text=True,
                          env=cli_environment, timeout=120)


def _output(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cli_session_bucket_job_label(tmp_path):
    mock = S3MockProcess("--with-s3").start()
    try:
        assert mock.s3_url is not None, mock.startup_line
        _output(_aws("s3", "mb", "s3://my-import-bucket", "--endpoint-url", mock.s3_url))
        manifest = tmp_path / "manifest.yaml"
        manifest.write_text(import_manifest("my-import-bucket"))
        job_id = _output(_aws("importexport", "create-job", "--job-type", "Import", "--manifest",
                              f"file://{manifest}", "--no-validate-only", "--endpoint-url", mock.url,
                              "--query", "JobId", "--output", "text"))
        url = _output(_aws("importexport", "get-shipping-label", "--job-ids", job_id, "--endpoint-url", mock.url,
                           "--query", "ShippingLabelURL", "--output", "text"))
        assert url.startswith(f"{mock.s3_url}/my-import-bucket/shipping-label-{job_id}.pdf?")
        label = requests.get(url, timeout=10)
        assert label.status_code == 200 and label.content.startswith(b"%PDF-")
        assert label.headers["Content-Type"] == "application/pdf"

        manifest.write_text(import_manifest("a-bucket-nobody-made"))
        missing = _aws("importexport", "create-job", "--job-type", "Import", "--manifest", f"file://{manifest}",
                       "--no-validate-only", "--endpoint-url", mock.url)
        assert missing.returncode == 255 and "(NoSuchBucketException)" in missing.stderr
        assert "a-bucket-nobody-made" in missing.stderr
    finally:
        mock.stop()
