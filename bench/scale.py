"""Scale: ListJobs page latency and CreateJob throughput with few stored jobs against many.

Two mocks run side by side (`--admin`, the quota raised with `--jobs-per-day`), a small one and a
large one, filled with the control API's bulk load (`POST /_mock/jobs/bulk`, docs/contract.md §2:
real jobs with the benchmark's manifest, one transaction). Then ListJobs calls (MaxJobs=100: a full
page on both, the first page and a page from a marker half-way through the jobs) alternate between
the two mocks, and so do batches of CreateJob calls through the API (pre-signed SigV2 requests on a
keep-alive connection); the ratios compare the two side by side.
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

import requests
from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from harness import ACCESS_KEY_ID, MANIFEST, SECRET_ACCESS_KEY, boto_client, start_mock, summary

_SIGNER = SigV2Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY))
_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
FILL_THREADS = 8
PAGE = 100  # jobs per ListJobs page: a full page with 100 stored jobs as with many


def _signed_create_job(url: str) -> bytes:
    params = {
        "Action": "CreateJob", "Version": "2010-06-01", "JobType": "Import", "Manifest": MANIFEST,
        "ValidateOnly": "false", "AWSAccessKeyId": ACCESS_KEY_ID, "SignatureVersion": "2",
        "SignatureMethod": "HmacSHA256", "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _, params["Signature"] = _SIGNER.calc_signature(AWSRequest(method="POST", url=f"{url}/"), params)
    return urlencode(params).encode()


def create_jobs(url: str, count: int, threads: int = FILL_THREADS) -> float:
    """Create `count` jobs through the API with `threads` clients; return jobs/s."""
    counts = [count // threads + (1 if index < count % threads else 0) for index in range(threads)]
    failures: list[str] = []

    def fill(own: int) -> None:
        with requests.Session() as session:
            body, signed_at = _signed_create_job(url), time.monotonic()
            for _ in range(own):
                if time.monotonic() - signed_at > 300:  # re-sign well inside the 15-minute window
                    body, signed_at = _signed_create_job(url), time.monotonic()
                response = session.post(f"{url}/", data=body, headers=_FORM, timeout=120)
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text[:200]}")
                    return

    workers = [threading.Thread(target=fill, args=(own,)) for own in counts if own]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise SystemExit(f"CreateJob failed while filling {url}: {failures[0]}")
    return count / (time.perf_counter() - started)


def bulk_load(url: str, count: int) -> None:
    """Store `count` jobs of the benchmark's account through the control API."""
    response = requests.post(f"{url}/_mock/jobs/bulk", timeout=600,
                             json={"access_key_id": ACCESS_KEY_ID, "count": count, "manifest": MANIFEST})
    if response.status_code != 200 or response.json().get("created") != count:
        raise SystemExit(f"bulk load of {count} jobs into {url} failed: {response.status_code} {response.text[:200]}")


def _marker_half_way(client, jobs: int) -> str:
    """A JobId about half-way down the listing (so a page from it starts deep in the jobs)."""
    page = client.list_jobs(MaxJobs=min(jobs // 2, 1000))
    return page["Jobs"][-1]["JobId"]


def measure(small_jobs: int, create_small: int, large_jobs: int, rounds: int, batch: int) -> dict:
    """ListJobs at `small_jobs` vs `large_jobs` stored, CreateJob at `create_small` vs `large_jobs`."""
    quota = str(large_jobs + create_small + 10 * rounds * batch + 1000)
    with start_mock("--admin", "--jobs-per-day", quota) as small, \
            start_mock("--admin", "--jobs-per-day", quota) as large:
        fill_started = time.perf_counter()
        bulk_load(large.url, large_jobs)
        fill_seconds = time.perf_counter() - fill_started
        bulk_load(small.url, small_jobs)
        small_client, large_client = boto_client("importexport", small.url), boto_client("importexport", large.url)
        markers = {small_client: None, large_client: _marker_half_way(large_client, large_jobs)}
        list_small, list_large, list_ratio = [], [], []
        for round_number in range(rounds):
            pair = [(small_client, list_small), (large_client, list_large)]
            for client, into in pair if round_number % 2 == 0 else reversed(pair):
                client.list_jobs(MaxJobs=PAGE)
                started = time.perf_counter()
                for call in range(6):
                    marker = markers[client] if call % 2 else None
                    client.list_jobs(MaxJobs=PAGE, **({"Marker": marker} if marker else {}))
                into.append((time.perf_counter() - started) * 1000 / 6)
            list_ratio.append(list_large[-1] / list_small[-1])
        bulk_load(small.url, create_small - small_jobs)
        create_small_rate, create_large_rate, create_ratio = [], [], []
        for round_number in range(rounds):
            pair = [(small.url, create_small_rate), (large.url, create_large_rate)]
            for url, into in pair if round_number % 2 == 0 else reversed(pair):
                into.append(create_jobs(url, batch, threads=1))
            create_ratio.append(create_large_rate[-1] / create_small_rate[-1])
    return {
        "small_jobs": small_jobs, "create_small_jobs": create_small, "large_jobs": large_jobs,
        "bulk_load_seconds": fill_seconds,
        "list_ms_small": summary(list_small), "list_ms_large": summary(list_large),
        "list_large_over_small": summary(list_ratio),
        "create_per_s_small": summary(create_small_rate), "create_per_s_large": summary(create_large_rate),
        "create_large_over_small": summary(create_ratio),
    }
