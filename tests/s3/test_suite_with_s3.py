"""The conformance suite passes 100% against `importexport-mock --with-s3 --admin` (SigV4 only, for time),
with the quota the bundled mock gets (`--jobs-per-day 1000000`; the quota cases lower it themselves).

The buckets of docs/contract.md §1 are created in the mock's S3 first, as their owners: the primary's
buckets in us-east-1, `amzn-s3-demo-bucket-eu` in eu-west-1, `amzn-s3-demo-bucket-secondary` by the
secondary account. By hand:

    importexport-mock --port 8080 --with-s3 --s3-port 8081 --admin --jobs-per-day 1000000
    (create the buckets below with `aws s3 mb --endpoint-url http://127.0.0.1:8081`, `--region
     eu-west-1` for the eu one, the secondary's keys for the secondary one)
    pytest -p no:randomly -q --auth sigv4 --endpoint-url http://127.0.0.1:8080 \
        --control-url http://127.0.0.1:8080/_mock --fetch-origin http://127.0.0.1:8081

The shipping labels are served by the S3 endpoint, so `--fetch-origin` lets the label cases fetch them
(without it the suite contacts only the endpoint under test and skips those fetches).
"""
from __future__ import annotations

import subprocess
import sys

from tests.support.mock_process import REPO_ROOT

from .conftest import PRIMARY, SECONDARY, S3MockProcess, create_bucket, environment

PRIMARY_BUCKETS = ("amzn-s3-demo-bucket", "myBucket", "toady", "XYZ", "XMSAGE", "import-export-bucket",
                   "bucket-data-comes-from", "amzn-s3-demo-logs")


def test_conformance_suite_passes_against_the_mock_with_s3(tmp_path):
    mock = S3MockProcess("--with-s3", "--admin", "--jobs-per-day", "1000000").start()
    try:
        assert mock.s3_url is not None, mock.startup_line
        for name in PRIMARY_BUCKETS:
            create_bucket(mock.s3_url, name, PRIMARY)
        create_bucket(mock.s3_url, "amzn-s3-demo-bucket-eu", PRIMARY, region="eu-west-1")
        create_bucket(mock.s3_url, "amzn-s3-demo-bucket-secondary", SECONDARY)
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "-q",
             "--auth", "sigv4", "--endpoint-url", mock.url, "--control-url", f"{mock.url}/_mock",
             "--fetch-origin", mock.s3_url, "--report-dir", str(tmp_path / "reports")],
            cwd=REPO_ROOT, capture_output=True, text=True, env=environment(), timeout=1800,
        )
        summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
        assert " passed" in summary and "skipped" not in summary and "failed" not in summary, summary
    finally:
        mock.stop()
