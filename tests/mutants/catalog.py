"""Every mutant, by name: the four hand-written groups of the issue "Detection power" in one ordered
tuple (`MUTANTS`), and the generated member-level ones (mutations_members.py) beside them."""
from __future__ import annotations

from tests.mutants.mutant import IDENTITY, Mutant
from tests.mutants.mutations_errors import ERROR_MUTANTS
from tests.mutants.mutations_manifest import MANIFEST_MUTANTS
from tests.mutants.mutations_members import MEMBER_MUTANTS
from tests.mutants.mutations_security import SECURITY_MUTANTS
from tests.mutants.mutations_semantics import SEMANTIC_MUTANTS
from tests.mutants.mutations_wire import WIRE_MUTANTS

MUTANTS: tuple = WIRE_MUTANTS + ERROR_MUTANTS + SEMANTIC_MUTANTS + MANIFEST_MUTANTS + SECURITY_MUTANTS
_BY_NAME = {mutant.name: mutant for mutant in (IDENTITY, *MUTANTS, *MEMBER_MUTANTS)}
if len(_BY_NAME) != len(MUTANTS) + len(MEMBER_MUTANTS) + 1:
    raise RuntimeError("two mutants share a name")


def mutant_named(name: str) -> Mutant:
    """The mutant called `name` (`none` is the identity); KeyError naming the choices otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no mutant {name!r}; known: {', '.join(sorted(_BY_NAME))}") from None


def server_named(name: str) -> Mutant:
    """What the proxy and the patched mock act on: a mutant, a legal variant (tests/variants/catalog.py,
    names starting `variant.`) or a server of several variants (tests/variants/servers.py, `variants.`)."""
    if name.startswith("variant."):
        from tests.variants.catalog import variant_named

        return variant_named(name).server
    if name.startswith("variants."):
        from tests.variants.servers import server_named as variant_server_named

        return variant_server_named(name).server
    return mutant_named(name)
