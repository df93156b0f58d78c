"""Mock throughput against moto and against the limit, driven by the same boto3 client code.

Targets: moto's STS GetCallerIdentity (what people run to mock AWS today), our GetStatus and
ListJobs, and a trivial WSGI app on the mock's server stack (waitress, 16 threads) answering
the same two actions with fixed responses. Each round drives every target at concurrency 1 and 8
(client processes, one boto3 client each), in an order that alternates between rounds so drift hits every
target alike.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable

from harness import boto_client, create_job, percentile, start_mock, start_moto, start_trivial, summary

CONCURRENCIES = (1, 8)
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 600
_FORK = multiprocessing.get_context("fork")  # the children inherit the call factories (closures)


def _client_process(make_call: Callable[[], Callable[[], object]], calls: int, ready, results) -> None:
    """One client: its own boto3 client, one warm-up call, then `calls` timed calls after the barrier."""
    try:
        call = make_call()
        call()  # warm the connection
        ready.wait(timeout=START_TIMEOUT_S)
        own = []
        for _ in range(calls):
            started = time.perf_counter()
            call()
            own.append(time.perf_counter() - started)
        results.put(own)
    except Exception as error:  # noqa: BLE001 - any failure is reported by the parent
        results.put(f"{type(error).__name__}: {error}")
        ready.abort()  # the parent stops waiting at the barrier


def _drive(make_call: Callable[[], Callable[[], object]], clients: int, total: int) -> tuple[float, list[float]]:
    """`total` calls split over `clients` client processes; requests/s and every call's latency (s).

    Processes, not threads: boto3 threads of one Python process share one interpreter lock, so at
    concurrency 8 they measured the client process (even the trivial app answered fewer calls at 8
    than at 1), not the server.
    """
    per_client = max(1, total // clients)
    ready = _FORK.Barrier(clients + 1)
    results = _FORK.Queue()
    processes = [_FORK.Process(target=_client_process, args=(make_call, per_client, ready, results), daemon=True)
                 for _ in range(clients)]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=START_TIMEOUT_S)
    except threading.BrokenBarrierError:
        raise SystemExit(f"a throughput client failed: {results.get(timeout=START_TIMEOUT_S)}") from None
    started = time.perf_counter()
    latencies = [results.get(timeout=RUN_TIMEOUT_S) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join(timeout=START_TIMEOUT_S)
    failures = [outcome for outcome in latencies if isinstance(outcome, str)]
    if failures:
        raise SystemExit(f"a throughput client failed: {failures[0]}")
    flat = [value for own in latencies for value in own]
    return len(flat) / elapsed, flat


def measure(rounds: int, requests_per_round: int) -> dict:
    """Requests/s, p50 and p99 per target and concurrency, plus the ratios side by side."""
    with start_mock("--jobs-per-day", "1000000") as mock, start_moto() as moto, start_trivial() as trivial:
        job_id = create_job(boto_client("importexport", mock.url))
        targets: dict[str, Callable[[], Callable[[], object]]] = {
            "moto STS GetCallerIdentity": lambda: boto_client("sts", moto.url).get_caller_identity,
            "mock GetStatus": lambda: _bound(boto_client("importexport", mock.url).get_status, JobId=job_id),
            "mock ListJobs": lambda: boto_client("importexport", mock.url).list_jobs,
            "trivial app GetStatus": lambda: _bound(boto_client("importexport", trivial.url).get_status,
                                                    JobId=job_id),
            "trivial app ListJobs": lambda: boto_client("importexport", trivial.url).list_jobs,
        }
        rates: dict[tuple[str, int], list[float]] = {}
        p50s: dict[tuple[str, int], list[float]] = {}
        p99s: dict[tuple[str, int], list[float]] = {}
        ratios: dict[str, list[float]] = {}
        for round_number in range(rounds):
            order = list(targets) if round_number % 2 == 0 else list(reversed(targets))
            this_round: dict[tuple[str, int], float] = {}
            for clients in CONCURRENCIES:
                for name in order:
                    rate, latencies = _drive(targets[name], clients, requests_per_round)
                    key = (name, clients)
                    this_round[key] = rate
                    rates.setdefault(key, []).append(rate)
                    p50s.setdefault(key, []).append(percentile(latencies, 0.50) * 1000)
                    p99s.setdefault(key, []).append(percentile(latencies, 0.99) * 1000)
            for clients in CONCURRENCIES:
                moto_rate = this_round[("moto STS GetCallerIdentity", clients)]
                for action in ("GetStatus", "ListJobs"):
                    ours = this_round[(f"mock {action}", clients)]
                    limit = this_round[(f"trivial app {action}", clients)]
                    ratios.setdefault(f"{action} / moto, c={clients}", []).append(ours / moto_rate)
                    ratios.setdefault(f"{action} / trivial app, c={clients}", []).append(ours / limit)
            for name in targets:
                ratios.setdefault(f"{name}: c=8 / c=1", []).append(this_round[(name, 8)] / this_round[(name, 1)])
    return {
        "rates": {f"{name}, c={clients}": summary(values) for (name, clients), values in rates.items()},
        "p50_ms": {f"{name}, c={clients}": summary(values) for (name, clients), values in p50s.items()},
        "p99_ms": {f"{name}, c={clients}": summary(values) for (name, clients), values in p99s.items()},
        "ratios": {name: summary(values) for name, values in ratios.items()},
    }


def _bound(method: Callable[..., object], **kwargs: object) -> Callable[[], object]:
    return lambda: method(**kwargs)
