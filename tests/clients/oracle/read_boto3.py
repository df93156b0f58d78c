"""boto3 reader of the oracle: each job is one real boto3 call to the stub, parsed by botocore's own
Query-protocol parser.
One client per endpoint signs every job, its credentials set to the job's before each call (a client
per job costs more than the call). `python -m tests.clients.oracle.read_boto3 [jobs.json]`; contract in jobs.py.
"""
from __future__ import annotations

import sys

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.clients.oracle.jobs import emit, normalise, read_jobs

CONFIG = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=30)


def read(clients: dict, job: dict) -> dict:
    client = clients.get(job["endpoint"])
    if client is None:
        client = clients[job["endpoint"]] = boto3.session.Session().client(
            "importexport", region_name="us-east-1", endpoint_url=job["endpoint"],
            aws_access_key_id=job["access_key_id"], aws_secret_access_key=job["secret_access_key"], config=CONFIG)
    credentials = client._request_signer._credentials
    credentials.access_key, credentials.secret_key = job["access_key_id"], job["secret_access_key"]
    try:
        output = getattr(client, xform_name(job["operation"]))(**job["params"])
    except ClientError as error:
        details = error.response.get("Error", {})
        return {"id": job["id"], "error": {"code": details.get("Code"), "message": details.get("Message")}}
    except Exception as error:  # noqa: BLE001 - every other exception is a reading the oracle reports
        return {"id": job["id"], "failure": f"{type(error).__name__}: {error}"}
    return {"id": job["id"], "output": normalise(output)}


def main(argv: list[str]) -> None:
    clients: dict = {}
    emit(read(clients, job) for job in read_jobs(argv))


if __name__ == "__main__":
    main(sys.argv)
