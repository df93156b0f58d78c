"""Case sources: one class per kind of file that yields cases, behind one small interface.

A `CaseSource` is built from the file and the fixtures directory and answers `cases()`, the built
`Case`s of that file, or raises `CaseFileError` naming file, case id and field of the first problem.
Every kind reads its YAML through `read_yaml`, so a file that is not valid YAML is reported the same
way whatever it holds. The kinds:

* `CaseFileSource` (`*.yaml`): a written case file, validated and built by `loader.cases_from_data`.
  The published-example replays (`fixtures/examples/*.yaml`, `example: true`) are case files of this
  kind; the example requests they name are data (`examples.py`), not sources.
* `generate.sources.GeneratorSource` (`*.generator`) and `generate.sources.PropertySource`
  (`*.property`): cases computed rather than written.

`run/collection.py` picks the class by the file's suffix (`SOURCE_KINDS` there).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from conformance.cases.datafiles import DataFileError, load_yaml
from conformance.cases.definitions import Case
from conformance.cases.loader import CaseFileError, cases_from_data, display_name


class CaseSource:
    """A file that yields cases; `suffix` names the kind, `drawn` marks cases hypothesis draws at run time."""

    suffix: ClassVar[str]
    drawn: ClassVar[bool] = False

    def __init__(self, path: Path, fixtures_root: Path):
        self.path = path
        self.fixtures_root = fixtures_root
        self.display = display_name(path, fixtures_root)

    def read_yaml(self, *, exact_scalars: bool = False) -> Any:
        """The file's YAML; CaseFileError names the file as shown in reports."""
        try:
            return load_yaml(self.path, exact_scalars=exact_scalars)
        except DataFileError as error:
            raise CaseFileError(str(error).replace(str(self.path), self.display, 1)) from None

    def cases(self) -> list[Case]:
        """Every case of the file, in file order."""
        raise NotImplementedError


class CaseFileSource(CaseSource):
    """A written case file (docs/contract.md §3)."""

    suffix = ".yaml"

    def cases(self) -> list[Case]:
        data = self.read_yaml(exact_scalars=True)
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return cases_from_data(data, self.path, self.fixtures_root, lines)
