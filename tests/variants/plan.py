"""The runs `pytest tests/variants` makes: one per legal variant, the whole suite with both schemes."""
from __future__ import annotations

from tests.mutants.harness import RunSpec
from tests.variants.catalog import VARIANTS

VARIANT_SPECS = tuple(RunSpec(variant.name, variant.server, auth="both") for variant in VARIANTS)
