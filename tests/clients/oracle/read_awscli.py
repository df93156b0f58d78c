"""AWS CLI v1 reader of the oracle: each job runs the CLI's own entry point (`awscli.clidriver`, the
code `aws` runs) in this one process (one driver, as `aws` builds it, with the job's credentials set
on its session), with `--output json --no-paginate`, and reads what it prints.

The CLI parses with botocore but prints through its own formatter and, by default
(`cli_timestamp_format = none`), shows timestamps exactly as the response wrote them; so its
reading can differ from boto3's and it is a reader of its own. A service error is the `(Code)` of its
stderr line; any other nonzero exit is a failure with the CLI's message.
`python -m tests.clients.oracle.read_awscli [jobs.json]`; contract in jobs.py.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys

from awscli.clidriver import CLIDriver, create_clidriver
from botocore import xform_name

from tests.clients.oracle.jobs import emit, read_jobs

CLI_ERROR = re.compile(r"An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)", re.S)


def arguments(job: dict) -> list[str]:
    """`aws importexport get-status --job-id ABC ...` as an argument list (without `aws`)."""
    command = ["importexport", xform_name(job["operation"], "-")]
    for member, value in job["params"].items():
        option = xform_name(member, "-")
        if isinstance(value, bool):
            command.append(f"--{option}" if value else f"--no-{option}")
        elif isinstance(value, list):
            command += [f"--{option}", *map(str, value)]
        else:
            command += [f"--{option}", str(value)]
    return [*command, "--endpoint-url", job["endpoint"], "--region", "us-east-1", "--output", "json",
            "--no-paginate"]


def read(driver: CLIDriver, job: dict) -> dict:
    driver.session.set_credentials(job["access_key_id"], job["secret_access_key"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = driver.main(arguments(job))
    if status == 0:
        text = out.getvalue().strip()
        return {"id": job["id"], "output": json.loads(text) if text else {}}
    match = CLI_ERROR.search(err.getvalue())
    if match:
        return {"id": job["id"], "error": {"code": match.group(1), "message": match.group(2).strip()}}
    return {"id": job["id"], "failure": f"exit {status}: {' '.join(err.getvalue().split())}"}


def main(argv: list[str]) -> None:
    os.environ.update(AWS_MAX_ATTEMPTS="1", AWS_RETRY_MODE="standard", AWS_CONFIG_FILE=os.devnull,
                      AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_PAGER="")
    os.environ.pop("AWS_PROFILE", None)
    driver = create_clidriver()
    emit(read(driver, job) for job in read_jobs(argv))


if __name__ == "__main__":
    main(sys.argv)
