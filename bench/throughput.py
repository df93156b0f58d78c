"""Mock throughput against moto and against the limit, driven by the same boto3 client code.

Targets: moto's STS GetCallerIdentity (what people run to mock AWS today), our GetStatus and
ListJobs, and a trivial WSGI app on the mock's server stack (waitress, 16 threads) answering
the same two actions with fixed responses. Each round drives every target at concurrency 1 and 8
(threads, one boto3 client per thread), in an order that alternates between rounds so drift hits every target alike.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from harness import boto_client, create_job, percentile, start_mock, start_moto, start_trivial, summary

CONCURRENCIES = (1, 8)


def _drive(make_call: Callable[[], Callable[[], object]], clients: int, total: int) -> tuple[float, list[float]]:
    """`total` calls split over `clients` threads; requests/s and every call's latency (s)."""
    per_client = max(1, total // clients)
    calls = [make_call() for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    ready = threading.Barrier(clients + 1)

    def loop(index: int) -> None:
        call, own = calls[index], latencies[index]
        call()  # warm the connection
        ready.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            call()
            own.append(time.perf_counter() - started)

    threads = [threading.Thread(target=loop, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
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
