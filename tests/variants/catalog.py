"""Every legal variant, by name: the shape freedoms, the protocol readings and the job readings in one tuple."""
from __future__ import annotations

from tests.variants.job_readings import JOB_VARIANTS
from tests.variants.manifest_readings import MANIFEST_VARIANTS
from tests.variants.readings import READING_VARIANTS
from tests.variants.shapes import SHAPE_VARIANTS
from tests.variants.variant import Variant

VARIANTS: tuple = SHAPE_VARIANTS + READING_VARIANTS + JOB_VARIANTS + MANIFEST_VARIANTS
_BY_NAME = {variant.name: variant for variant in VARIANTS}
if len(_BY_NAME) != len(VARIANTS):
    raise RuntimeError("two variants share a name")


def variant_named(name: str) -> Variant:
    """The variant called `name`; KeyError naming the choices otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no variant {name!r}; known: {', '.join(sorted(_BY_NAME))}") from None
