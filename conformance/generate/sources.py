"""The case sources of computed cases: generator files and property files (see `cases/sources.py`).

A generator file (`*.generator`, YAML `{generator: <name>}`) stands for the cases a named generator
computes at collection time (`GENERATORS`), validated and built exactly like a case file's and named
after the generator file. A property file (`*.property`, YAML `{concern: ..., properties: [<id>, ...]}`)
names properties of `property_cases.PROPERTIES`; each stands as its metadata case (one step expecting
what any drawn case may expect), and runs as hypothesis-drawn cases.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from conformance.cases.definitions import Case
from conformance.cases.loader import CaseFileError, cases_from_data
from conformance.cases.sources import CaseSource
from conformance.generate.botocore_cases import model_case_file
from conformance.generate.client_shape_cases import ShapeError, client_shape_case_file
from conformance.generate.property_cases import PROPERTIES

# name -> the case-file data it computes, given the fixtures directory
GENERATORS: dict[str, Callable[[Path], dict]] = {
    "model-negatives": lambda fixtures_root: model_case_file(),
    "client-shapes": client_shape_case_file,
}


class GeneratorSource(CaseSource):
    """A generator file: the cases of the generator it names."""

    suffix = ".generator"

    def cases(self) -> list[Case]:
        spec = self.read_yaml()
        name = spec.get("generator") if isinstance(spec, dict) else None
        if name not in GENERATORS:
            raise CaseFileError(f"{self.display}: generator: must be one of {', '.join(sorted(GENERATORS))}, "
                                f"got {name!r}")
        try:
            data = GENERATORS[name](self.fixtures_root)
        except ShapeError as error:
            raise CaseFileError(f"{self.display}: {error}") from None
        return cases_from_data(data, self.path, self.fixtures_root)


class PropertySource(CaseSource):
    """A property file: the metadata case of each property it names."""

    suffix = ".property"
    drawn = True

    def cases(self) -> list[Case]:
        data = self.read_yaml()
        if not isinstance(data, dict) or set(data) != {"concern", "properties"}:
            raise CaseFileError(f"{self.display}: expected exactly the keys concern and properties")
        names = data["properties"]
        if not isinstance(names, list) or not names:
            raise CaseFileError(f"{self.display}: properties: expected a non-empty list of property ids")
        lines = self.path.read_text(encoding="utf-8").splitlines()
        cases = []
        for index, name in enumerate(names):
            if not isinstance(name, str) or name not in PROPERTIES:
                raise CaseFileError(f"{self.display}: properties[{index}]: unknown property {name!r}; "
                                    f"known: {', '.join(sorted(PROPERTIES))}")
            if names.index(name) != index:
                raise CaseFileError(f"{self.display}: properties[{index}]: {name} is listed twice")
            prop = PROPERTIES[name]
            summary = prop.case_data([{"operation": prop.operation, "expect": prop.outcome}])
            line = next((number for number, text in enumerate(lines) if text.strip() in (f"- {name}", name)), 0)
            cases.append(dataclasses.replace(cases_from_data(summary, self.path, self.fixtures_root)[0], line=line))
        return cases
