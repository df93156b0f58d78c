"""Every seam a patched-mock mutant replaces or calls still exists, is public and documented, and the
patch really swaps it (fast: no server runs). A rename in `mockserver` fails here, not silently in the
kill matrix."""
from __future__ import annotations

import inspect

import pytest

from tests.mutants.catalog import MUTANTS
from tests.mutants.seams import SeamPatch, resolve

PATCHED = [mutant for mutant in MUTANTS if mutant.patch is not None]


def _named(target: str) -> list[str]:
    return target.replace(":", ".").split(".")


def test_the_catalog_has_patched_mock_mutants():
    assert len(PATCHED) >= 8
    assert all(isinstance(mutant.patch, SeamPatch) for mutant in PATCHED)


@pytest.mark.parametrize("mutant", PATCHED, ids=lambda mutant: mutant.name)
def test_every_named_seam_exists_is_public_and_documented(mutant):
    assert mutant.patch is not None
    for target in (*mutant.patch.targets, *mutant.patch.uses):
        assert target.startswith("mockserver."), target
        assert not any(part.startswith("_") for part in _named(target)), f"{target} is private"
        _, _, value = resolve(target)
        assert callable(value), f"{target} is not a function"
        assert inspect.getdoc(value), f"{target} has no docstring"


@pytest.mark.parametrize("mutant", PATCHED, ids=lambda mutant: mutant.name)
def test_the_patch_replaces_exactly_its_seams(mutant):
    assert mutant.patch is not None
    originals = {target: resolve(target) for target in mutant.patch.targets}
    try:
        mutant.patch()
        for target, (owner, name, original) in originals.items():
            assert getattr(owner, name) is not original, f"{mutant.name} left {target} as it was"
    finally:
        for owner, name, original in originals.values():
            setattr(owner, name, original)
