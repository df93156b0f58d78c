"""Throughput of the mock endpoint: GetStatus requests per second with 1 and with 8 concurrent clients.

Starts `python -m mockserver` on a free port with a fresh database, creates one job, then sends
pre-signed SigV2 GetStatus requests (signed once with botocore's SigV2Auth, replayed within the
15-minute window) from keep-alive connections. Each round sends a fixed number of requests; the
script prints the median requests/second of several rounds for each client count and their ratio.

    python bench/bench_mock.py [--rounds 5] [--requests 400]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import boto3
import requests
from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO_ROOT = Path(__file__).resolve().parents[1]
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CLIENT_COUNTS = (1, 8)
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


def start_mock() -> tuple[subprocess.Popen, str]:
    python_path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    environment = {**os.environ, "PYTHONPATH": python_path}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment,
    )
    line = process.stdout.readline()
    match = re.search(r"serving on (http://\S+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"the mock did not start: {line!r}")
    return process, match.group(1)


def signed_get_status_body(url: str, job_id: str) -> bytes:
    params = {
        "Action": "GetStatus", "Version": "2010-06-01", "JobId": job_id, "AWSAccessKeyId": ACCESS_KEY_ID,
        "SignatureVersion": "2", "SignatureMethod": "HmacSHA256",
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _, params["Signature"] = SigV2Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)).calc_signature(
        AWSRequest(method="POST", url=f"{url}/"), params
    )
    return urlencode(params).encode()


def run_round(url: str, body: bytes, clients: int, total_requests: int) -> float:
    """Send `total_requests` GetStatus requests split over `clients` threads; return requests/s."""
    per_client = total_requests // clients
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def client_loop(_: int) -> None:
        with requests.Session() as session:
            for _ in range(per_client):
                response = session.post(f"{url}/", data=body, headers=headers, timeout=30)
                if response.status_code != 200:
                    raise RuntimeError(f"GetStatus failed: {response.status_code} {response.text[:200]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client_loop, range(clients)))
    return per_client * clients / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per client count (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=400, help="requests per round (default: %(default)s)")
    args = parser.parse_args()
    process, url = start_mock()
    try:
        client = boto3.client("importexport", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY,
                              config=Config(retries={"max_attempts": 0}))
        job_id = client.create_job(JobType="Import", Manifest=MANIFEST, ValidateOnly=False)["JobId"]
        body = signed_get_status_body(url, job_id)
        run_round(url, body, 1, min(50, args.requests))
        medians = {}
        for clients in CLIENT_COUNTS:
            rates = [run_round(url, body, clients, args.requests) for _ in range(args.rounds)]
            medians[clients] = statistics.median(rates)
            print(f"GetStatus, {clients} client(s): median {medians[clients]:.0f} req/s over {args.rounds} rounds "
                  f"of {args.requests} requests (rounds: {', '.join(f'{rate:.0f}' for rate in rates)})")
        print(f"ratio {CLIENT_COUNTS[1]} clients / {CLIENT_COUNTS[0]} client: "
              f"{medians[CLIENT_COUNTS[1]] / medians[CLIENT_COUNTS[0]]:.2f}")
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
