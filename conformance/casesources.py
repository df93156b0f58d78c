"""Where cases come from: YAML case files, generator files that name a case generator, and
property files that name property-based cases.

Case files are `<rootdir>/fixtures/**/*.yaml` outside `fixtures/manifests/` and
`fixtures/examples/reference/`. A generator file (`*.generator`, YAML `{generator: <name>}`) stands
for cases computed at collection time, such as the negative cases derived from the botocore service
model (`fixtures/generated/model-negatives.generator`); they are validated and built exactly like a
case file's, and named after the generator file in node ids and reports. A property file
(`*.property`, YAML `{concern: ..., properties: [<id>, ...]}`) names properties of
`conformance.property_cases`; each stands here as its metadata case (one step expecting what any
drawn case may expect), and runs as hypothesis-drawn cases.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from conformance.cases import CaseFileError, cases_from_data, display_name, load_case_file
from conformance.casemodel import Case
from conformance.datafiles import DataFileError, load_yaml
from conformance.model_cases import model_case_file
from conformance.property_cases import property_file_cases

FIXTURES_DIR = "fixtures"
EXCLUDED_DIRS = (Path("manifests"), Path("examples") / "reference")
CASE_SUFFIX = ".yaml"
GENERATOR_SUFFIX = ".generator"
PROPERTY_SUFFIX = ".property"
GENERATORS: dict[str, Callable[[], dict]] = {
    "model-negatives": model_case_file,
}


def is_case_source(path: Path, rootpath: Path) -> bool:
    """True for a case, generator or property file under `<rootdir>/fixtures/` outside the data folders."""
    if path.suffix not in (CASE_SUFFIX, GENERATOR_SUFFIX, PROPERTY_SUFFIX):
        return False
    try:
        relative = path.relative_to(rootpath / FIXTURES_DIR)
    except ValueError:
        return False
    return not any(relative.is_relative_to(excluded) for excluded in EXCLUDED_DIRS)


def case_sources(rootpath: Path) -> Iterator[Path]:
    """Every case, generator and property file under `<rootdir>/fixtures/`, sorted."""
    return (path for path in sorted((rootpath / FIXTURES_DIR).rglob("*"))
            if path.is_file() and is_case_source(path, rootpath))


def _generated_data(path: Path, fixtures_root: Path) -> dict:
    display = display_name(path, fixtures_root)
    try:
        spec = load_yaml(path)
    except DataFileError as error:
        raise CaseFileError(str(error).replace(str(path), display, 1)) from None
    name = spec.get("generator") if isinstance(spec, dict) else None
    if name not in GENERATORS:
        raise CaseFileError(f"{display}: generator: must be one of {', '.join(sorted(GENERATORS))}, got {name!r}")
    return GENERATORS[name]()


def load_cases(path: Path, rootpath: Path) -> list[Case]:
    """The cases of one case, generator or property file; CaseFileError names file, case id and field."""
    fixtures_root = rootpath / FIXTURES_DIR
    if path.suffix == GENERATOR_SUFFIX:
        return cases_from_data(_generated_data(path, fixtures_root), path, fixtures_root)
    if path.suffix == PROPERTY_SUFFIX:
        return property_file_cases(path, fixtures_root)
    return load_case_file(path, fixtures_root)


def load_all_cases(rootpath: Path) -> list[Case]:
    """Every case of the suite, in collection order (raises on the first bad source)."""
    return [case for path in case_sources(rootpath) for case in load_cases(path, rootpath)]
