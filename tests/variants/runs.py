"""One variant server's evidence: the whole suite against it (tests/mutants/harness.py), then the real clients.

The suite runs first, with `--auth both`, on its own mock + proxy. Then a fresh mock + proxy carrying
the same variants serves boto3, the AWS CLI and the AWS SDK for JavaScript v2, each running the
quick scenarios its variants ask for (`VariantServer.client_plan`). A client passes when every call
meets its expectation. The `READING_TAKEN` lines in the suite run's server logs, counted per variant,
show each reading was exercised: a variant that never answered otherwise than the mock proves nothing.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.clients.drivers import DRIVERS
from tests.clients.steps import Credentials, Endpoint
from tests.mutants.harness import RunSpec, Served, ServerStartError, SuiteRun, database_dir, mock_command, run_suite
from tests.mutants.resign import ACCOUNTS, PRIMARY_KEY
from tests.variants.servers import server_named
from tests.variants.variant import READING_TAKEN

PRIMARY = Credentials(PRIMARY_KEY, ACCOUNTS[PRIMARY_KEY])
PROBLEMS_KEPT = 10


@dataclass
class ClientResult:
    """What one real client saw of one variant server: the scenarios it ran and every problem."""

    client: str
    scenarios: tuple
    problems: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class VariantRun:
    """The suite run against a variant server, each variant's count of changed exchanges, the clients."""

    suite: SuiteRun
    readings_taken: dict = field(default_factory=dict)
    clients: list = field(default_factory=list)
    client_problems: list = field(default_factory=list)
    clients_s: float = 0.0

    @property
    def problems(self) -> list:
        """Harness failures (no evidence either way)."""
        return self.suite.problems + self.client_problems


def run_clients(spec: RunSpec, workdir: Path) -> tuple:
    """(client results, harness problems) of every real client against the variant server of `spec`."""
    server = server_named(spec.key)
    servers = []
    db_dir = Path(tempfile.mkdtemp(prefix="variant-clients-db-", dir=database_dir()))
    try:
        mock = Served(mock_command(spec.mutant, db_dir / "clients.db"), workdir / "clients-mock.log")
        servers.append(mock)
        proxy = Served([sys.executable, "-m", "tests.mutants.proxy", "--mutant", spec.key,
                        "--backend", mock.wait_until_serving()], workdir / "clients-proxy.log")
        servers.append(proxy)
        url = proxy.wait_until_serving()
        endpoint = Endpoint(url, PRIMARY, control_url=f"{url}/_mock")
        results = []
        for name, scenarios in server.client_plan.items():
            result = ClientResult(name, scenarios)
            driver = DRIVERS[name]()
            for scenario in scenarios:
                try:
                    result.problems += driver.run_scenario(scenario, endpoint).problems
                except Exception as error:  # noqa: BLE001 - whatever a client raises on a response, it failed
                    result.problems.append(f"[{name}] {scenario}: {type(error).__name__}: {error}")
            results.append(result)
        return results, []
    except ServerStartError as error:
        return [], [f"clients: {error}"]
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(db_dir, ignore_errors=True)


def readings_taken(workdir: Path) -> dict:
    """Variant name -> how often it answered otherwise than the mock during the suite run (servers' logs)."""
    counts: dict = {}
    for pattern in ("proxy*.log", "mock*.log"):
        for path in workdir.glob(pattern):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith(READING_TAKEN):
                    name = line[len(READING_TAKEN):].strip()
                    counts[name] = counts.get(name, 0) + 1
    return counts


def run_variant(spec: RunSpec, workdir: Path) -> VariantRun:
    """The suite against the variant server, then the real clients (on a fresh server)."""
    run = VariantRun(run_suite(spec, workdir))
    run.readings_taken = readings_taken(workdir)
    started = time.monotonic()
    run.clients, run.client_problems = run_clients(spec, workdir)
    run.clients_s = time.monotonic() - started
    return run
