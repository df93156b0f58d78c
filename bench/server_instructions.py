"""Instructions a server executes per request, counted by valgrind's callgrind: a figure machine load cannot move.

Wall-clock rates on a shared 2-core machine move with whatever else runs; instruction counts do
not. Each server runs under `valgrind --tool=callgrind` twice, once answering `--small` and once
`--large` identical signed requests on one keep-alive connection; the difference of the two totals
divided by the difference of the counts is the cost of one request, start-up and shutdown cancelled
out. Servers: the mock as it serves (its I/O thread), the mock with `--worker-threads 16`
(waitress's pool) and the trivial app (bench/trivial_server.py). With one connection there is no
contention, so the pool's figure shows only its two thread hand-overs per request.

    python bench/server_instructions.py [--action GetStatus] [--small 40] [--large 240]
"""
from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BENCH_DIR, REPO_ROOT, child_environment
from wrk_capacity import POOL_THREADS, CapturedRequest, create_mock_job, requests_for

START_TIMEOUT_S = 600
_SERVING = re.compile(r"serving on (http://\S+)")
_TOTALS = re.compile(r"^(?:summary|totals):\s*(\d+)", re.M)
SERVERS = {
    "mock (I/O thread)": ["-m", "mockserver", "--port", "0", "--jobs-per-day", "100000000"],
    f"mock (pool of {POOL_THREADS})": ["-m", "mockserver", "--port", "0", "--jobs-per-day", "100000000",
                                       "--worker-threads", str(POOL_THREADS)],
    "trivial app (waitress pool)": [str(BENCH_DIR / "trivial_server.py")],
}


def instructions(arguments: list[str], action: str, requests: int, scratch: Path) -> int:
    """Total instructions of one server process that answered `requests` requests, then exited."""
    out_file = scratch / f"callgrind-{requests}.out"
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", sys.executable, *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=child_environment(), cwd=REPO_ROOT)
    assert process.stdout is not None
    match = _SERVING.search(process.stdout.readline())
    if not match:
        process.kill()
        raise SystemExit(f"{arguments} did not start under valgrind")
    url = match.group(1)
    try:
        job_id = create_mock_job(url) if "mockserver" in arguments else "ABCDE"
        send(requests_for("mock", url, job_id)[action], requests)
    finally:
        process.terminate()
        process.wait(timeout=START_TIMEOUT_S)
    totals = _TOTALS.search(out_file.read_text(errors="replace"))
    if not totals:
        raise SystemExit(f"no instruction total in {out_file}")
    return int(totals.group(1))


def send(request: CapturedRequest, count: int) -> None:
    """`count` copies of `request` on one keep-alive connection; each must be answered 200."""
    address = urlsplit(request.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=START_TIMEOUT_S)
    headers = {name: value for name, value in request.headers.items() if name.lower() != "content-length"}
    for _ in range(count):
        connection.request(request.method, address.path or "/", body=request.body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"a request was answered {response.status}")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--action", default="GetStatus", choices=("GetStatus", "ListJobs"))
    parser.add_argument("--small", type=int, default=40)
    parser.add_argument("--large", type=int, default=240)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian package `valgrind`)")
    print(f"| server | instructions per {args.action} request | relative to the trivial app |")
    print("|---|---|---|")
    per_request: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="server-instructions-") as scratch:
        for name, arguments in SERVERS.items():
            small = instructions(arguments, args.action, args.small, Path(scratch))
            large = instructions(arguments, args.action, args.large, Path(scratch))
            per_request[name] = (large - small) / (args.large - args.small)
    trivial = per_request["trivial app (waitress pool)"]
    for name, value in per_request.items():
        print(f"| {name} | {value / 1e6:.3f} M | {value / trivial:.2f}x |")


if __name__ == "__main__":
    main()
