"""Concurrent requests: many threads creating jobs at once lose none and never share a JobId."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

THREADS = 8
JOBS_PER_THREAD = 12


def test_concurrent_create_jobs_are_all_stored(mock):
    manifest = mock.import_manifest()
    client = mock.client()  # botocore clients are thread-safe; creating them is not

    def create_many(_: int) -> list[str]:
        return [client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)["JobId"]
                for _ in range(JOBS_PER_THREAD)]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        created = [job_id for batch in pool.map(create_many, range(THREADS)) for job_id in batch]

    assert len(created) == len(set(created)) == THREADS * JOBS_PER_THREAD
    listed = [job["JobId"] for job in mock.client().list_jobs()["Jobs"]]
    assert sorted(listed) == sorted(created)


def test_concurrent_creates_respect_the_daily_quota(mock):
    assert mock.control("quota", {"access_key_id": mock.PRIMARY[0], "jobs_per_day": 10}).json()["ok"]
    manifest = mock.import_manifest()
    client = mock.client()

    def try_create(_: int) -> str:
        try:
            return client.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)["JobId"]
        except client.exceptions.CreateJobQuotaExceededException:
            return "quota"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(try_create, range(24)))
    assert outcomes.count("quota") == 14
    assert len(mock.client().list_jobs()["Jobs"]) == 10
