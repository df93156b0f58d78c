"""The mock as a process: startup line, restart with the same database, config errors, access log."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

from mockserver.cli import main, scratch_parent
from tests.support.mock_process import MockProcess, worktree_environment

PRIMARY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
STARTUP_LINE = re.compile(r"importexport-mock: serving on http://127\.0\.0\.1:(\d+)( \(control API at /_mock/\))?")


class CheckedMockProcess(MockProcess):
    """`python -m mockserver --port 0 ...` whose startup line is checked to the letter, with a boto3 client."""

    def start(self) -> CheckedMockProcess:
        super().start()
        assert STARTUP_LINE.fullmatch(self.startup_line), self.startup_line
        return self

    def client(self):
        return boto3.client("importexport", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=PRIMARY[0], aws_secret_access_key=PRIMARY[1],
                            config=Config(retries={"max_attempts": 0}))


def _manifest() -> str:
    return (
        f"manifestVersion: 2.0\naccessKeyId: {PRIMARY[0]}\nbucket: amzn-s3-demo-bucket\ndeviceId: 1\n"
        "eraseDevice: yes\nreturnAddress:\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n"
        "  stateOrProvince: WA\n  postalCode: 91011\n  phoneNumber: 206-555-1111\n  country: USA\n"
    )


def test_jobs_survive_a_restart_with_the_same_database(tmp_path):
    database = tmp_path / "jobs.db"
    first = CheckedMockProcess("--db", str(database)).start()
    assert first.startup_line.endswith(first.url.split("//")[1])
    created = first.client().create_job(JobType="Import", Manifest=_manifest(), ValidateOnly=False)
    assert first.stop() == 0

    second = CheckedMockProcess("--db", str(database), "--admin").start()
    assert second.startup_line.endswith(" (control API at /_mock/)")
    status = second.client().get_status(JobId=created["JobId"])
    assert (status["Signature"], status["CurrentManifest"]) == (created["Signature"], _manifest())
    assert second.stop() == 0


def test_the_default_database_is_a_scratch_file_in_dev_shm_removed_on_exit():
    shm = Path("/dev/shm")
    if scratch_parent() != str(shm):
        pytest.skip("no writable /dev/shm with 1 GiB free on this machine")
    before = set(shm.glob("importexport-mock-*"))
    mock = CheckedMockProcess().start()
    mock.client().create_job(JobType="Import", Manifest=_manifest(), ValidateOnly=False)
    scratch = set(shm.glob("importexport-mock-*")) - before
    assert len(scratch) == 1 and (next(iter(scratch)) / "jobs.db").is_file(), scratch
    assert mock.stop() == 0
    assert not next(iter(scratch)).exists()


def test_access_log_has_one_line_per_request_without_secrets(tmp_path):
    server = CheckedMockProcess().start()
    client = server.client()
    client.list_jobs()
    with pytest.raises(client.exceptions.InvalidJobIdException):
        client.get_status(JobId="NOJOB")
    server.stop()
    stderr = server.stderr()
    lines = [line for line in stderr.splitlines() if line.startswith("POST /")]
    assert len(lines) == 2, stderr
    assert re.fullmatch(r"POST / action=ListJobs status=200 request_id=[0-9a-f-]{36} duration_ms=[\d.]+", lines[0])
    assert "action=GetStatus status=400" in lines[1]
    assert PRIMARY[1] not in stderr and "Signature=" not in stderr and "Credential=" not in stderr


@pytest.fixture(scope="module")
def quota_of_one_server():
    """A mock started without --admin and with --jobs-per-day 1."""
    server = CheckedMockProcess("--jobs-per-day", "1").start()
    yield server
    server.stop()


def test_jobs_per_day_option_overrides_the_configured_quota(quota_of_one_server):
    client = quota_of_one_server.client()
    client.create_job(JobType="Import", Manifest=_manifest(), ValidateOnly=False)
    with pytest.raises(client.exceptions.CreateJobQuotaExceededException):
        client.create_job(JobType="Import", Manifest=_manifest(), ValidateOnly=False)


def test_control_api_is_off_by_default(quota_of_one_server):
    assert "control API" not in quota_of_one_server.startup_line
    assert requests.post(f"{quota_of_one_server.url}/_mock/reset", json={}, timeout=10).status_code == 404


def test_a_config_file_replaces_the_defaults(tmp_path):
    config = tmp_path / "mock.yaml"
    config.write_text(
        "accounts:\n  - {access_key_id: AKIAIOSFODNN7EXAMPLE, secret_access_key: other-secret}\n"
        "buckets:\n  - {name: only-bucket, owner: AKIAIOSFODNN7EXAMPLE, region: us-east-1}\n"
    )
    server = CheckedMockProcess("--config", str(config)).start()
    client = boto3.client("importexport", endpoint_url=server.url, region_name="us-east-1",
                          aws_access_key_id=PRIMARY[0], aws_secret_access_key="other-secret",
                          config=Config(retries={"max_attempts": 0}))
    manifest = _manifest().replace("amzn-s3-demo-bucket", "only-bucket")
    assert client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)["JobId"]
    with pytest.raises(client.exceptions.NoSuchBucketException):
        client.create_job(JobType="Import", Manifest=_manifest(), ValidateOnly=False)
    server.stop()


BAD_CONFIGS = [
    ("accounts: []\n", "field accounts:"),
    ("accounts:\n  - {access_key_id: AKIAIOSFODNN7EXAMPLE}\n", "field accounts[0].secret_access_key:"),
    ("accounts:\n  - {access_key_id: A, secret_access_key: s}\nbuckets:\n  - {name: b, owner: X, region: r}\n",
     "field buckets[0].owner:"),
    ("accounts:\n  - {access_key_id: A, secret_access_key: s}\nlimits: {jobs_per_day: many}\n",
     "field limits.jobs_per_day:"),
    ("accounts: [unclosed\n", "not valid YAML"),
    ("colour: blue\n", "field colour:"),
]


@pytest.mark.parametrize(("content", "field"), BAD_CONFIGS)
def test_a_bad_config_file_is_one_line_naming_file_and_field_and_exit_2(tmp_path, capsys, content, field):
    config = tmp_path / "bad.yaml"
    config.write_text(content)
    assert main(["--config", str(config), "--port", "0"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == ""
    assert len(lines) == 1 and lines[0].startswith("importexport-mock: error: config ") and str(config) in lines[0]
    assert field in lines[0], lines[0]


def test_a_missing_config_file_exits_2_without_a_traceback_from_the_real_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mockserver", "--config", str(tmp_path / "absent.yaml")],
                            capture_output=True, text=True, env=worktree_environment(), timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "absent.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_small_dev_shm_leaves_the_default_database_on_disk(monkeypatch):
    class Full:
        f_bavail, f_frsize = 16 * 1024, 4096  # 64 MiB, a container's usual /dev/shm

    monkeypatch.setattr("mockserver.cli.os.statvfs", lambda path: Full())
    monkeypatch.setattr("mockserver.cli.os.access", lambda path, mode: True)
    assert scratch_parent() is None
