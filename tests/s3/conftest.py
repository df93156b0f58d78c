"""moto's S3 on loopback (in this process) and the mock started as a process against it.

The mock's accounts are filed in moto's IAM the way `--with-s3` does (`mockserver.local_s3`,
decision S1), so buckets created with the secondary key belong to another moto account.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config

from mockserver.config import load_config
from mockserver.local_s3 import LocalS3
from tests.support.mock_process import MockProcess, worktree_environment

PRIMARY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SECONDARY = ("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
STARTUP_LINE = re.compile(
    r"importexport-mock: serving on (?P<url>http://127\.0\.0\.1:\d+)( \(control API at /_mock/\))?"
    r"( with S3 at (?P<s3>http://127\.0\.0\.1:\d+))?"
)


def environment(**extra: str) -> dict[str, str]:
    """The environment of a child process: this worktree first on PYTHONPATH, no AWS files."""
    return worktree_environment(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_PAGER="",
                                **extra)


class S3MockProcess(MockProcess):
    """`python -m mockserver --port 0 ARGS` until `stop()`; `url` and `s3_url` from its startup line."""

    def __init__(self, *args: str):
        super().__init__(*args, env=environment())
        self.s3_url: str | None = None

    def start(self) -> S3MockProcess:
        super().start()
        match = STARTUP_LINE.fullmatch(self.startup_line)
        if not match:
            self.stop()
            raise AssertionError(f"unexpected startup line: {self.startup_line!r}; stderr: {self.stderr()}")
        self.s3_url = match.group("s3")
        return self

    def importexport(self, account: tuple[str, str] = PRIMARY):
        return boto3.client("importexport", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=account[0], aws_secret_access_key=account[1],
                            config=Config(retries={"total_max_attempts": 1}, read_timeout=60))


def s3_client(endpoint_url: str, account: tuple[str, str] = PRIMARY, region: str = "us-east-1"):
    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region,
                        aws_access_key_id=account[0], aws_secret_access_key=account[1],
                        config=Config(s3={"addressing_style": "path"}))


def create_bucket(endpoint_url: str, name: str, account: tuple[str, str] = PRIMARY,
                  region: str = "us-east-1") -> None:
    """CreateBucket as `account` in `region` (moto, like S3, takes us-east-1 without a constraint)."""
    extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3_client(endpoint_url, account, region).create_bucket(Bucket=name, **extra)


US_RETURN_ADDRESS = ("  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n  stateOrProvince: WA\n"
                     "  postalCode: 91011-1111\n  phoneNumber: 206-555-1111\n  country: USA\n")
# An EU bucket is loaded in the EU facility and returns to an EU address (decision M16).
IRISH_RETURN_ADDRESS = ("  name: Jane Roe\n  company: Example Ltd.\n  street1: 1 Grand Canal Square\n  city: Dublin\n"
                        "  stateOrProvince: Dublin\n  postalCode: D02 P820\n  phoneNumber: +353 1 555 0100\n"
                        "  country: Ireland\n")


def import_manifest(bucket: str, access_key_id: str = PRIMARY[0], log_bucket: str | None = None,
                    return_address: str = US_RETURN_ADDRESS) -> str:
    log = f"logBucket: {log_bucket}\n" if log_bucket else ""
    return (
        f"manifestVersion: 2.0\naccessKeyId: {access_key_id}\nbucket: {bucket}\n{log}deviceId: 49382\n"
        f"eraseDevice: yes\nreturnAddress:\n{return_address}"
    )


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """moto's S3 on a free loopback port, the default accounts filed in its IAM; its URL."""
    server = LocalS3("127.0.0.1", 0, load_config().accounts)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(scope="session")
def s3_mock(moto_s3) -> Iterator[S3MockProcess]:
    """The mock whose buckets and labels live in `moto_s3`."""
    mock = S3MockProcess("--s3-endpoint-url", moto_s3).start()
    yield mock
    mock.stop()
