"""Runs a fuzz campaign against a live mock and checks every response: a 2xx or a 4xx (never a 5xx),
an answer within the client timeout, and a body valid against xsd/; afterwards the mock must still
answer normal signed calls, and its resident memory must not grow past a stated bound.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from tests.reliability.apiclient import ApiClient, Reply, response_schema
from tests.reliability.fuzzing import FuzzRequest, RequestFuzzer
from tests.reliability.mockprocess import MockProcess

# Memory bounds, checked on the mock's VmRSS. The working set fills up during the run: 17 SQLite
# connections (one per waitress worker, 256 KiB page cache each), a glibc malloc arena per worker
# thread, fpdf2 once a label is drawn (the mock fixes glibc's mmap threshold, so 1 MiB bodies are no
# longer kept in the arenas), so the total growth is bounded loosely; a leak shows as growth that goes
# on once the working set is full, so the second half of a run is bounded tightly.
RSS_GROWTH_BOUND_BYTES = 256 * 1024 * 1024
RSS_SECOND_HALF_GROWTH_BOUND_BYTES = 64 * 1024 * 1024
CLIENT_TIMEOUT_S = 10.0


@dataclass
class FuzzFailure:
    index: int
    problem: str
    request: FuzzRequest
    reply: Reply | None

    def describe(self, seed: int, replay_command: str) -> str:
        answer = "no answer" if self.reply is None else f"{self.reply.status} {self.reply.body[:600]!r}"
        return (f"request #{self.index} of seed {seed}: {self.problem}\n  drawn as: {self.request.how}\n"
                f"  request: {self.request.replay_literal()}\n  response: {answer}\n"
                f"  replay: {replay_command.format(seed=seed, index=self.index)}")


@dataclass
class FuzzReport:
    seed: int
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[FuzzFailure] = field(default_factory=list)
    rss_before: int = 0
    rss_half: int = 0
    rss_after: int = 0
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def rss_growth(self) -> int:
        return self.rss_after - self.rss_before

    @property
    def rss_second_half_growth(self) -> int:
        return self.rss_after - self.rss_half

    def rss_problem(self) -> str | None:
        """Why the memory figures break a bound, or None."""
        if self.rss_growth >= RSS_GROWTH_BOUND_BYTES:
            return f"RSS grew by {self.rss_growth / 2**20:.1f} MiB over the run"
        if self.rss_second_half_growth >= RSS_SECOND_HALF_GROWTH_BOUND_BYTES:
            return f"RSS grew by {self.rss_second_half_growth / 2**20:.1f} MiB over the second half of the run"
        return None

    def summary(self) -> str:
        return (f"seed {self.seed}: {self.sent} requests in {self.seconds:.1f} s "
                f"({self.sent / max(self.seconds, 1e-9):.0f}/s), 5xx {self.server_errors}, "
                f"failures {len(self.failures)}, statuses {dict(sorted(self.statuses.items()))}, "
                f"RSS {self.rss_before / 2**20:.1f} -> {self.rss_half / 2**20:.1f} (half-way) -> "
                f"{self.rss_after / 2**20:.1f} MiB (growth {self.rss_growth / 2**20:+.1f} MiB, bound "
                f"{RSS_GROWTH_BOUND_BYTES / 2**20:.0f}; second half {self.rss_second_half_growth / 2**20:+.1f} MiB, "
                f"bound {RSS_SECOND_HALF_GROWTH_BOUND_BYTES / 2**20:.0f})")


def check_reply(request: FuzzRequest, reply: Reply, schema: etree.XMLSchema) -> str | None:
    """The first rule `reply` breaks, or None."""
    if not (200 <= reply.status < 300 or 400 <= reply.status < 500):
        return f"status {reply.status} is neither 2xx nor 4xx"
    if request.method == "HEAD" or reply.headers.get("content-type", "").startswith("application/pdf"):
        return None
    try:
        root = etree.fromstring(reply.body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return f"body is not well-formed XML: {error}"
    if not schema.validate(root):
        return f"body is not valid against xsd/: {schema.error_log.last_error}"
    reply.root = root
    return None


def run_fuzz(mock: MockProcess, seed: int, count: int, only: int | None = None,
             progress: Callable[[int], None] = lambda sent: None) -> FuzzReport:
    """Send `count` fuzzed requests (or just request `only`) to `mock`, checking each and the aftermath."""
    schema = response_schema()
    client = ApiClient(mock.url, timeout_s=CLIENT_TIMEOUT_S)
    fuzzer = RequestFuzzer(seed, mock.url)
    report = FuzzReport(seed)
    _seed_jobs(client, fuzzer)
    report.rss_before = mock.rss_bytes()
    started = time.monotonic()
    report.rss_half = report.rss_before
    for index in ([only] if only is not None else range(count)):
        if index == count // 2:
            report.rss_half = mock.rss_bytes()
        request = fuzzer.draw(index)
        try:
            reply = client.send(request.method, request.path, request.headers, request.body)
        except (OSError, ConnectionError) as error:
            report.failures.append(FuzzFailure(index, f"no answer ({type(error).__name__}: {error})", request, None))
            if not mock.alive():
                break
            continue
        report.sent += 1
        report.statuses[reply.status] = report.statuses.get(reply.status, 0) + 1
        problem = check_reply(request, reply, schema)
        if problem is not None:
            report.failures.append(FuzzFailure(index, problem, request, reply))
        elif reply.status == 200 and reply.root is not None and reply.root.tag.endswith("CreateJobResponse"):
            job_id = reply.text("JobId")
            if job_id and not job_id.endswith("VALIDATE-ONLY") and len(fuzzer.job_ids) < 500:
                fuzzer.job_ids.append(job_id)
        if report.sent % 1000 == 0:
            progress(report.sent)
    report.seconds = time.monotonic() - started
    report.rss_after = mock.rss_bytes()
    client.close()
    return report


def still_answers(url: str) -> str | None:
    """None when the mock answers a normal signed ListJobs and GetStatus (both schemes), else why not."""
    client = ApiClient(url, timeout_s=CLIENT_TIMEOUT_S)
    try:
        for scheme in ("sigv4", "sigv2"):
            listed = client.call("ListJobs", {"MaxJobs": "5"}, scheme)
            if listed.status != 200:
                return f"ListJobs ({scheme}) answered {listed.status}: {listed.body[:300]!r}"
            job_ids = listed.texts(".//ie:Jobs/ie:member/ie:JobId")
            if job_ids:
                status = client.call("GetStatus", {"JobId": job_ids[0]}, scheme)
                if status.status != 200:
                    return f"GetStatus ({scheme}) answered {status.status}: {status.body[:300]!r}"
        return None
    except OSError as error:
        return f"no answer: {error}"
    finally:
        client.close()


def _seed_jobs(client: ApiClient, fuzzer: RequestFuzzer) -> None:
    """A few real jobs so that job-scoped actions reach their rules, not only 'unknown job'."""
    from tests.reliability.manifests import VALID_MANIFESTS, job_type_of
    for name, manifest in sorted(VALID_MANIFESTS.items()):
        reply = client.call("CreateJob", {"JobType": job_type_of(name), "Manifest": manifest, "ValidateOnly": "false"})
        if reply.status == 200:
            fuzzer.job_ids.append(reply.text("JobId") or "")
