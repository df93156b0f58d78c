"""Throughput of the mock endpoint against the limit of its HTTP stack, side by side in one run.

Targets, each a process of its own on a free port:
  mock      `python -m mockserver` on a fresh database (one job created), this checkout;
  limit     a trivial WSGI app answering a fixed XML body of the same size, on the same server
            (`mockserver.serving.create_server`, served the same way): the ceiling for the mock;
  baseline  (with `--baseline DIR`) `python -m mockserver` imported from another checkout, e.g. main,
            to put before and after figures side by side.
Every target gets the same pre-signed SigV2 request (signed once with botocore's SigV2Auth, replayed
within the 15-minute window): GetStatus of one job, or with `--action CreateJob` a CreateJob that
stores a new job each time (a write committed before the answer); sent from keep-alive `http.client`
connections by 1 and by 8 client threads. Rounds are interleaved across targets so that machine
load hits them alike; the script prints the median requests/s with min and max, and the ratios
mock/limit and 8/1.

    PYTHONPATH=. python bench/mock_before_after.py [--rounds 5] [--requests 800] [--action CreateJob]
                                                   [--baseline /work/main]
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import boto3
from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ACCESS_KEY_ID, MANIFEST, SECRET_ACCESS_KEY

REPO_ROOT = Path(__file__).resolve().parents[1]
CLIENT_COUNTS = (1, 8)
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
STARTUP_LINE = re.compile(r"serving on (http://\S+)")


def start_server(command: list[str], python_path: Path) -> tuple[subprocess.Popen, str]:
    """Start `command` in `python_path`, also first on PYTHONPATH (`python -m` puts the working directory
    ahead of PYTHONPATH); return it and the URL of its startup line."""
    environment = {**os.environ, "PYTHONPATH": str(python_path)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=environment, cwd=python_path)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = STARTUP_LINE.search(line)
    if not match:
        process.kill()
        raise SystemExit(f"{command} did not start: {line!r}")
    return process, match.group(1)


def serve_limit(body_bytes: int) -> None:
    """The limit target: a WSGI app with no work at all, on the mock's own server setup."""
    from mockserver.serving import create_server

    body = b"<Response>" + b"x" * max(0, body_bytes - 23) + b"</Response>\n"
    headers = [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))]

    def application(environ, start_response):
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", headers)
        return [body]

    server = create_server(application, "127.0.0.1", 0)
    print(f"limit: serving on http://127.0.0.1:{server.effective_port}", flush=True)
    server.run()


def signed_body(url: str, action: str, job_id: str) -> bytes:
    """The form body of a SigV2-signed GetStatus of `job_id`, or of a CreateJob."""
    arguments = {"JobId": job_id} if action == "GetStatus" else {
        "JobType": "Import", "Manifest": MANIFEST, "ValidateOnly": "false"}
    params = {
        "Action": action, "Version": "2010-06-01", **arguments, "AWSAccessKeyId": ACCESS_KEY_ID,
        "SignatureVersion": "2", "SignatureMethod": "HmacSHA256",
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _, params["Signature"] = SigV2Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)).calc_signature(
        AWSRequest(method="POST", url=f"{url}/"), params
    )
    return urlencode(params).encode()


def create_job(url: str) -> str:
    client = boto3.client("importexport", endpoint_url=url, region_name="us-east-1",
                          aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY,
                          config=Config(retries={"max_attempts": 0}))
    return client.create_job(JobType="Import", Manifest=MANIFEST, ValidateOnly=False)["JobId"]


def run_round(url: str, body: bytes, clients: int, total_requests: int) -> float:
    """Send `total_requests` requests split over `clients` keep-alive connections; return requests/s."""
    per_client = total_requests // clients
    address = urlsplit(url)

    def client_loop(_: int) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            for _ in range(per_client):
                connection.request("POST", "/", body=body, headers=FORM_HEADERS)
                response = connection.getresponse()
                answer = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url}: {response.status} {answer[:200]!r}")
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client_loop, range(clients)))
    return per_client * clients / (time.perf_counter() - started)


def _figure(rates: list[float]) -> str:
    return f"{statistics.median(rates):6.0f} ({min(rates):.0f}-{max(rates):.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds per target and client count (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=800, help="requests per round (default: %(default)s)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also run the mock of the checkout in DIR (e.g. /work/main), as 'baseline'")
    parser.add_argument("--action", choices=("GetStatus", "CreateJob"), default="GetStatus",
                        help="the request sent (default: %(default)s)")
    parser.add_argument("--serve-limit", type=int, metavar="BYTES", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_limit is not None:
        serve_limit(args.serve_limit)
        return 0
    mock_command = [sys.executable, "-m", "mockserver", "--port", "0", "--jobs-per-day", "10000000"]
    processes: list[subprocess.Popen] = []
    targets: dict[str, tuple[str, bytes]] = {}
    try:
        checkouts = {"mock": REPO_ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
        for name, checkout in checkouts.items():
            process, url = start_server(mock_command, checkout)
            processes.append(process)
            targets[name] = (url, signed_body(url, args.action, create_job(url)))
        url, body = targets["mock"]
        sample = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=30)
        sample.request("POST", "/", body=body, headers=FORM_HEADERS)
        answer_bytes = len(sample.getresponse().read())
        sample.close()
        process, limit_url = start_server(
            [sys.executable, str(Path(__file__).resolve()), "--serve-limit", str(answer_bytes)], REPO_ROOT)
        processes.append(process)
        targets["limit"] = (limit_url, body)
        for target_url, target_body in targets.values():
            run_round(target_url, target_body, 1, 50)
        rates: dict[tuple[str, int], list[float]] = {(name, n): [] for name in targets for n in CLIENT_COUNTS}
        for _ in range(args.rounds):
            for clients in CLIENT_COUNTS:
                for name, (target_url, target_body) in targets.items():
                    rates[name, clients].append(run_round(target_url, target_body, clients, args.requests))
        print(f"{args.action} req/s, median (min-max) of {args.rounds} interleaved rounds of {args.requests} requests")
        print(f"| target   | {' | '.join(f'{n} client(s)'.ljust(20) for n in CLIENT_COUNTS)} | 8/1  |")
        print(f"|----------|{'|'.join('-' * 22 for _ in CLIENT_COUNTS)}|------|")
        for name in targets:
            medians = [statistics.median(rates[name, n]) for n in CLIENT_COUNTS]
            cells = " | ".join(_figure(rates[name, n]).ljust(20) for n in CLIENT_COUNTS)
            print(f"| {name:<8} | {cells} | {medians[1] / medians[0]:.2f} |")
        for n in CLIENT_COUNTS:
            mock_median = statistics.median(rates["mock", n])
            line = f"{n} client(s): mock/limit {mock_median / statistics.median(rates['limit', n]):.2f}"
            if "baseline" in targets:
                line += f", mock/baseline {mock_median / statistics.median(rates['baseline', n]):.2f}"
            print(line)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
