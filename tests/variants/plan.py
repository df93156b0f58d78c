"""The runs `pytest tests/variants` makes: one per variant server, the whole suite with both schemes."""
from __future__ import annotations

from tests.mutants.harness import RunSpec
from tests.variants.servers import SERVERS

VARIANT_SPECS = tuple(RunSpec(server.name, server.server, auth="both") for server in SERVERS)
