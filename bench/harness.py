"""Shared pieces of the benchmark: server processes, boto3 clients, timing summaries.

Everything here is black-box: servers run as child processes (`python -m mockserver ...`, moto's
ThreadedMotoServer, a trivial WSGI app) and are reached over HTTP on 127.0.0.1 only.
"""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import boto3
from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
MANIFEST = f"""manifestVersion: 2.0
accessKeyId: {ACCESS_KEY_ID}
bucket: amzn-s3-demo-bucket
deviceId: 49382
eraseDevice: yes
returnAddress:
  name: Jane Roe
  street1: 123 Any Street
  city: Anytown
  stateOrProvince: WA
  postalCode: 91011
  phoneNumber: 206-555-1111
  country: USA
"""
RETURN_ADDRESS_WORDS = ("Jane Roe", "123 Any Street", "Anytown")
_SERVING = re.compile(r"serving on (http://\S+)")


def child_environment() -> dict:
    """The environment for child processes: this checkout first on PYTHONPATH."""
    python_path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": python_path}


class ServerProcess:
    """A server started as a child process that prints `... serving on http://HOST:PORT` first."""

    def __init__(self, command: Sequence[str], name: str):
        self.name = name
        self.process = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=child_environment(), cwd=REPO_ROOT,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = _SERVING.search(line)
        if not match:
            self.process.kill()
            raise SystemExit(f"{name} did not start: {line!r}")
        self.url = match.group(1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def start_mock(*extra: str) -> ServerProcess:
    """`python -m mockserver --port 0` with a fresh temporary database (plus `extra` flags)."""
    return ServerProcess([sys.executable, "-m", "mockserver", "--port", "0", *extra], "the mock")


def start_moto() -> ServerProcess:
    return ServerProcess([sys.executable, str(BENCH_DIR / "moto_server.py")], "moto")


def start_trivial() -> ServerProcess:
    return ServerProcess([sys.executable, str(BENCH_DIR / "trivial_server.py")], "the trivial WSGI app")


def boto_client(service: str, url: str):
    """A boto3 client for `service` at `url`, no retries (a failure is a failure)."""
    return boto3.session.Session().client(
        service, endpoint_url=url, region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"max_attempts": 0}, max_pool_connections=16),
    )


def create_job(client) -> str:
    return client.create_job(JobType="Import", Manifest=MANIFEST, ValidateOnly=False)["JobId"]


def summary(values: Sequence[float]) -> dict:
    """Median, min and max of several runs (and how many)."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(function, *args, **kwargs) -> float:
    """Seconds one call of `function` takes."""
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started
