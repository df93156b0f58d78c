"""What a mutant is: a name, a group, the one bug it carries, and where that bug lives.

The bug lives in the proxy (`request`: rewrite what the client sent before the mock sees it;
`response`: rewrite what the mock answered) or in the mock itself (`patch`: a `SeamPatch`, called in
the mock's process before the app is built, replacing named public seams). `auth` is the `--auth`
value the suite runs with against this mutant: `sigv4` unless the bug is specific to SigV2 (a full `both` run per
mutant took the whole matrix past its time budget; docs/mutants.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from tests.mutants.seams import SeamPatch

GROUPS = ("wire", "errors", "semantics", "security")


@dataclass(frozen=True)
class Mutant:
    """One plausible implementation bug."""

    name: str
    group: str
    description: str
    request: Optional[Callable] = None
    response: Optional[Callable] = None
    patch: Optional[SeamPatch] = None
    auth: str = "sigv4"

    @property
    def where(self) -> str:
        """`proxy: request`, `proxy: response`, `mock patch`, ... for the kill matrix."""
        parts = [label for label, present in (("request rewrite", self.request), ("response rewrite", self.response),
                                               ("mock patch", self.patch)) if present is not None]
        return " + ".join(parts) or "none"


IDENTITY = Mutant("none", "baseline", "no mutation: the proxy forwards everything unchanged", auth="both")
