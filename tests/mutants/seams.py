"""Patched-mock mutants replace public, documented seams of the mock, named in one place.

A seam is named `module:Qualified.name`, e.g. `mockserver.backend.jobs:JobsBackend.is_expired`. A
`SeamPatch` lists the seams it replaces (each with a function that builds the replacement from the
original) and the public names its replacements call (`uses`). test_seams.py resolves every one of
them, so a rename in the mock fails that fast test instead of silently changing what a mutant does.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def resolve(target: str) -> tuple[Any, str, Any]:
    """(owner, attribute name, current value) of `module:Qualified.name`; AttributeError if it is gone."""
    module_name, _, qualified_name = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualified_name.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, name, getattr(owner, name)


@dataclass(frozen=True)
class Seam:
    """One replaced seam: its name and a function from the original to the replacement."""

    target: str
    replacement: Callable[[Any], Any]


@dataclass(frozen=True)
class SeamPatch:
    """The `patch` of a patched-mock mutant: called in the mock's process before the app is built."""

    seams: tuple[Seam, ...]
    uses: tuple[str, ...] = field(default=())

    def __call__(self) -> None:
        for seam in self.seams:
            owner, name, original = resolve(seam.target)
            setattr(owner, name, seam.replacement(original))

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(seam.target for seam in self.seams)


def replace_seam(target: str, replacement: Callable[[Any], Any], uses: tuple[str, ...] = ()) -> SeamPatch:
    """A patch replacing one seam."""
    return SeamPatch((Seam(target, replacement),), uses)
