"""pytest plugin for the xdist baseline: every xdist worker tests its own proxy and mock.

The suite's own bundled-mock mode gives each xdist worker a private mock, because cases that move
the mock's clock or change quotas through the control API would otherwise disturb the cases the
other worker runs at the same moment. This plugin does the same for an external target: with
`MUTANT_WORKER_ENDPOINTS="gw0=http://127.0.0.1:P1,gw1=http://127.0.0.1:P2"` the worker `gwN` gets
`--endpoint-url` and `--control-url` of its own entry (the controller, which runs no case, the first).
Load it with `-p tests.mutants.worker_endpoints`.
"""
from __future__ import annotations

import os

ENDPOINTS_VARIABLE = "MUTANT_WORKER_ENDPOINTS"


def pytest_load_initial_conftests(early_config, parser, args: list) -> None:
    entries = [item.split("=", 1) for item in os.environ.get(ENDPOINTS_VARIABLE, "").split(",") if "=" in item]
    if not entries:
        return
    endpoints = dict(entries)
    url = endpoints.get(os.environ.get("PYTEST_XDIST_WORKER", ""), entries[0][1])
    args[:] = [*args, "--endpoint-url", url, "--control-url", f"{url}/_mock"]
