"""Verdict fidelity: the whole conformance suite must pass against every legal-variant server, with
both signing schemes, every variant's reading must have been met, and every real client must work
with the server.

Each test waits for its variant's run from the session's pool (conftest.py) and files it in the
variant table (reports/variant-matrix.{json,md}). A run the harness could not carry out is an
error, never a pass.
"""
from __future__ import annotations

import collections

import pytest

from tests.variants.catalog import VARIANTS
from tests.variants.plan import VARIANT_SPECS
from tests.variants.servers import server_named
from tests.variants.variant import KINDS

MINIMUM_VARIANTS = 15
SHOWN_IN_FAILURE = 25


def _key(spec) -> str:
    return spec.key


def test_catalog_covers_shapes_and_readings():
    counts = collections.Counter(variant.kind for variant in VARIANTS)
    assert len(VARIANTS) >= MINIMUM_VARIANTS
    assert set(counts) == set(KINDS), counts
    assert all(variant.name.startswith("variant.") and variant.allowed_by for variant in VARIANTS)


@pytest.mark.parametrize("spec", VARIANT_SPECS, ids=_key)
def test_suite_passes_variant(spec, variant_runs, variant_matrix):
    run = variant_runs.result(spec)
    if run.problems:
        pytest.fail(f"the harness failed for {spec.key} (logs in {run.suite.workdir}):\n" + "\n".join(run.problems))
    variant_matrix.record(run)
    unmet = [variant.name for variant in server_named(spec.key).variants if not run.readings_taken.get(variant.name)]
    assert not unmet, f"the suite never met the reading of {unmet} (server {spec.key}): they prove nothing"
    failed = run.suite.failed_items
    assert not failed, (f"false failures against the legal variant {spec.key} ({spec.mutant.description}); logs in "
                        f"{run.suite.workdir}:\n" + "\n".join(failed[:SHOWN_IN_FAILURE]))
    assert run.suite.returncode == 0
    failing_clients = [problem for result in run.clients for problem in result.problems]
    assert not failing_clients, (f"a real client cannot use the variant {spec.key}; it is not a legal variant:\n"
                                 + "\n".join(failing_clients[:SHOWN_IN_FAILURE]))
