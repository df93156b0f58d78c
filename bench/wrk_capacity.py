"""Server capacity measured with a load generator written in C: `wrk` against the mock, moto and the trivial app.

Each server runs as its own process; wrk (one thread, keep-alive connections) replays one signed
request per action at 1, 2, 4, 8 and 16 connections. The requests are captured from botocore as it
would send them (signed with SigV2 through botocore's own signer for the mock and the trivial app,
SigV4 for moto, which has no Import/Export service and answers its nearest Query actions instead:
STS GetCallerIdentity for the reads, SQS CreateQueue for the write). They are re-signed before every
round, so no signature outlives the 15-minute window. Every round starts the servers afresh.

The mock runs twice side by side: as it serves (requests on the server's I/O thread) and with
`--worker-threads 16` (waitress's pool of 16 workers, how it served before; `pool` in the table), so
the effect of the serving model is measured in the same run. For CreateJob a third mock runs with
`--db` on the disk of the system's temporary directory (`disk` in the table): the default database
sits in memory-backed /dev/shm (mockserver/cli.py `scratch_parent`), and this shows what each synced
commit costs where it reaches a disk.

Servers are alternated within a round (the order rotates between rounds) so that drift on a shared
machine hits every server alike. Per server, action and concurrency: requests/s and the p50, p90 and
p99 latency that wrk measured, the median over the rounds.

    python bench/wrk_capacity.py [--rounds 3] [--seconds 2] [--connections 1 2 4 8 16] [--no-pool] [--no-disk]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from harness import MANIFEST, boto3, create_job, start_mock, start_moto, start_trivial, summary

CONNECTIONS = (1, 2, 4, 8, 16)
ACTIONS = ("GetStatus", "ListJobs", "CreateJob")
MOTO_STANDINS = {"GetStatus": ("sts", "get_caller_identity", {}),
                 "ListJobs": ("sts", "get_caller_identity", {}),
                 "CreateJob": ("sqs", "create_queue", {"QueueName": "wrk-bench"})}
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
WRK_TIMEOUT_S = 120
POOL_THREADS = 16
_DONE_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class CapturedRequest:
    """One request exactly as botocore would send it (method, URL, headers, body)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes

    def wrk_script(self) -> str:
        lines = [f"wrk.method = {json.dumps(self.method)}", f"wrk.body = {_lua_string(self.body)}"]
        lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}"
                  for name, value in self.headers.items() if name.lower() not in {"host", "content-length"}]
        return "\n".join(lines) + "\n" + _DONE_SCRIPT


def _lua_string(data: bytes) -> str:
    return '"' + "".join(f"\\{byte:03d}" for byte in data) + '"'


def capture(service: str, url: str, operation: str, params: dict) -> CapturedRequest:
    """The signed request botocore builds for `operation`, taken before it is sent (nothing is sent)."""
    client = boto3.session.Session().client(
        service, endpoint_url=url, region_name="us-east-1", config=Config(retries={"max_attempts": 0}),
        aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY)
    captured: list[CapturedRequest] = []

    def keep(request, **_):
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        headers = {name: value.decode() if isinstance(value, bytes) else value
                   for name, value in request.headers.items()}
        captured.append(CapturedRequest(request.method, request.url, headers, body))
        raise _Captured

    client.meta.events.register("before-send", keep)
    try:
        getattr(client, operation)(**params)
    except _Captured:
        pass
    return captured[0]


def sign_sigv2(request: CapturedRequest) -> CapturedRequest:
    """The same action's parameters signed with Signature Version 2 by botocore's `SigV2Auth`."""
    fields = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    unsigned = AWSRequest(method="POST", url=request.url, data=fields,
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV2Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)).add_auth(unsigned)
    prepared = unsigned.prepare()
    body = prepared.body if isinstance(prepared.body, bytes) else (prepared.body or "").encode()
    return CapturedRequest("POST", request.url, {"Content-Type": unsigned.headers["Content-Type"]}, body)


class _Captured(Exception):
    """Raised after the request was captured, so botocore sends nothing."""


def requests_for(server: str, url: str, job_id: str) -> dict[str, CapturedRequest]:
    """One freshly signed request per action for `server`."""
    if server == "moto":
        return {action: capture(service, url, operation, params)
                for action, (service, operation, params) in MOTO_STANDINS.items()}
    params = {"GetStatus": {"JobId": job_id}, "ListJobs": {},
              "CreateJob": {"JobType": "Import", "Manifest": MANIFEST, "ValidateOnly": False}}
    return {action: sign_sigv2(capture("importexport", url, _snake(action), params[action])) for action in ACTIONS}


def _snake(action: str) -> str:
    return {"GetStatus": "get_status", "ListJobs": "list_jobs", "CreateJob": "create_job"}[action]


def run_wrk(request: CapturedRequest, connections: int, seconds: float, scratch: Path) -> dict:
    """One wrk run; requests/s, latency percentiles in ms, and the error counts."""
    script = scratch / "request.lua"
    script.write_text(request.wrk_script())
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(script),
               request.url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=WRK_TIMEOUT_S, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.split(" ", 1)[1])
    errors = sum(raw[key] for key in ("connect", "read", "write", "status", "timeout"))
    return {"rps": raw["requests"] / (raw["duration_us"] / 1e6), "p50_ms": raw["p50_us"] / 1000,
            "p90_ms": raw["p90_us"] / 1000, "p99_ms": raw["p99_us"] / 1000, "errors": errors,
            "requests": raw["requests"]}


def measure(rounds: int, seconds: int, connections: Sequence[int] = CONNECTIONS, with_pool: bool = True,
            with_disk: bool = True, progress: Callable[[str], None] = lambda _: None) -> dict:
    """Every server x action x concurrency, servers alternated; medians over the rounds."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package `wrk`; the README's install line has it)")
    samples: dict[str, list[dict]] = {}
    for round_index in range(rounds):
        # Fresh servers every round: the CreateJob runs store thousands of jobs, and ListJobs (whose
        # default page holds up to 1,000 of them) would measure those instead of the server.
        with ExitStack() as stack:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wrk-bench-")))
            servers = {"mock": stack.enter_context(start_mock("--jobs-per-day", "100000000")).url,
                       "moto": stack.enter_context(start_moto()).url,
                       "trivial": stack.enter_context(start_trivial()).url}
            if with_pool:
                servers["pool"] = stack.enter_context(
                    start_mock("--jobs-per-day", "100000000", "--worker-threads", str(POOL_THREADS))).url
            if with_disk:
                servers["disk"] = stack.enter_context(
                    start_mock("--jobs-per-day", "100000000", "--db", str(scratch / "disk.db"))).url
            job_ids = {server: create_mock_job(servers[server]) for server in ("mock", "pool", "disk") if server in servers}
            names = list(servers)
            order = names[round_index % len(names):] + names[:round_index % len(names)]
            signed = {server: requests_for(server, servers[server], job_ids.get(server, "ABCDE")) for server in servers}
            for action in ACTIONS:  # CreateJob last, so the reads see the one job created above
                for count in connections:
                    for server in order:
                        if server == "trivial" and action == "CreateJob":
                            continue  # the trivial app has no write path to compare
                        if server == "disk" and action != "CreateJob":
                            continue  # only a write reaches the disk
                        result = run_wrk(signed[server][action], count, seconds, scratch)
                        samples.setdefault(f"{server}|{action}|{count}", []).append(result)
                        progress(f"round {round_index + 1} {server:7} {action:9} c={count:<2} "
                                 f"{result['rps']:8.0f} req/s p99 {result['p99_ms']:6.1f} ms "
                                 f"errors {result['errors']}")
    table = _medians(samples)
    return {"rounds": rounds, "seconds": seconds, "connections": list(connections), "pool_threads": POOL_THREADS,
            "table": table, "ratios": _ratios(table, connections)}


def create_mock_job(url: str) -> str:
    return create_job(boto3.session.Session().client(
        "importexport", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY))


def _medians(samples: dict[str, list[dict]]) -> dict[str, dict]:
    table = {}
    for key, runs in samples.items():
        table[key] = {metric: summary([run[metric] for run in runs])
                      for metric in ("rps", "p50_ms", "p90_ms", "p99_ms", "errors")}
    return table


def _ratios(table: dict[str, dict], connections: Sequence[int]) -> dict[str, float]:
    """The targets' ratios, from the medians: mock vs itself at c=1, vs moto, vs the trivial app."""
    ratios: dict[str, float] = {}
    for action in ACTIONS:
        single = table[f"mock|{action}|1"]["rps"]["median"]
        for count in connections:
            mock = table[f"mock|{action}|{count}"]["rps"]["median"]
            ratios[f"{action} c={count} / c=1"] = mock / single
            ratios[f"{action} c={count} mock/moto"] = mock / table[f"moto|{action}|{count}"]["rps"]["median"]
            if f"pool|{action}|{count}" in table:
                ratios[f"{action} c={count} mock/pool"] = mock / table[f"pool|{action}|{count}"]["rps"]["median"]
            if f"disk|{action}|{count}" in table:
                ratios[f"{action} c={count} disk/moto"] = (table[f"disk|{action}|{count}"]["rps"]["median"]
                                                          / table[f"moto|{action}|{count}"]["rps"]["median"])
            if f"trivial|{action}|{count}" in table:
                ratios[f"{action} c={count} mock/trivial"] = mock / table[f"trivial|{action}|{count}"]["rps"]["median"]
    return ratios


def markdown(result: dict) -> str:
    """The table BENCHMARKS.md shows: requests/s and p99 per server, action and concurrency, and the ratios."""
    table, ratios = result["table"], result["ratios"]
    lines = ["| action | conn. | mock req/s | mock p50 / p99 ms | pool req/s | pool p99 ms | disk req/s "
             "| moto req/s | trivial req/s | mock c=N / c=1 | mock / moto | disk / moto | mock / trivial |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def rate(server: str, action: str, count: int) -> str:
        row = table.get(f"{server}|{action}|{count}")
        return f"{row['rps']['median']:,.0f}" if row else "—"

    def p99(server: str, action: str, count: int) -> str:
        row = table.get(f"{server}|{action}|{count}")
        return f"{row['p99_ms']['median']:.1f}" if row else "—"

    def ratio(name: str, digits: int) -> str:
        return f"{ratios[name]:.{digits}f}" if name in ratios else "—"

    for action in ACTIONS:
        for count in result["connections"]:
            mock = table[f"mock|{action}|{count}"]
            lines.append(
                f"| {action} | {count} | {rate('mock', action, count)} | {mock['p50_ms']['median']:.1f} / "
                f"{mock['p99_ms']['median']:.1f} | {rate('pool', action, count)} | {p99('pool', action, count)} "
                f"| {rate('disk', action, count)} | {rate('moto', action, count)} | {rate('trivial', action, count)} "
                f"| {ratio(f'{action} c={count} / c=1', 2)} | {ratio(f'{action} c={count} mock/moto', 1)} "
                f"| {ratio(f'{action} c={count} disk/moto', 1)} | {ratio(f'{action} c={count} mock/trivial', 2)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--no-pool", action="store_true", help="skip the mock with --worker-threads 16")
    parser.add_argument("--no-disk", action="store_true", help="skip the mock with --db on disk (CreateJob)")
    parser.add_argument("--connections", type=int, nargs="*", default=list(CONNECTIONS))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    result = measure(args.rounds, args.seconds, args.connections, not args.no_pool, not args.no_disk,
                     progress=lambda line: print(line, flush=True))
    print(markdown(result))
    if args.output:
        args.output.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
