"""The known-deviations file (docs/contract.md §5): listed cases run as strict xfail.

Each entry names a case id, optionally with `[sigv2]`/`[sigv4]`, and a reason. A listed case that
fails is `xfailed`; one that passes fails the run as `XPASS(strict)`, so the file stays honest. An
entry that matches no case (or a scheme the case does not run under) is a configuration error, as
is an id listed twice.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conformance.cases.datafiles import DataFileError, describe_schema_error, first_schema_error, load_yaml
from conformance.settings import SettingsError

DEVIATIONS_SCHEMA = Path(__file__).with_name("deviations_schema.json")
_ENTRY_ID = re.compile(r"^(?P<case>[A-Za-z0-9_.-]+)(?:\[(?P<scheme>sigv2|sigv4)\])?$")


@dataclass(frozen=True)
class Deviation:
    """One listed case (all its schemes when `scheme` is None) and why it is known to fail."""

    case_id: str
    scheme: str | None
    reason: str

    def covers(self, case_id: str, scheme: str) -> bool:
        """True when this entry lists the item `case_id[scheme]`."""
        return self.case_id == case_id and self.scheme in (None, scheme)


def load_deviations(path: Path) -> list[Deviation]:
    """Read and validate the deviations file; SettingsError names the file and entry."""
    try:
        data = load_yaml(path)
    except DataFileError as error:
        raise SettingsError(f"--deviations {error}") from None
    data = [] if data is None else data
    problem = first_schema_error(DEVIATIONS_SCHEMA, data)
    if problem is not None:
        raise SettingsError(f"--deviations {path}: {describe_schema_error(problem)}")
    deviations = []
    listed = set()
    for index, entry in enumerate(data):
        if entry["id"] in listed:
            raise SettingsError(f"--deviations {path}: [{index}].id: {entry['id']} is listed twice")
        listed.add(entry["id"])
        parts = _ENTRY_ID.match(entry["id"])
        assert parts is not None, "the schema's id pattern is _ENTRY_ID's"
        deviations.append(Deviation(parts["case"], parts["scheme"], entry["reason"]))
    return deviations


def check_known(deviations: list[Deviation], schemes_by_case: Mapping[str, tuple], path: Path) -> None:
    """SettingsError for the first entry that matches no case or no scheme of its case."""
    for index, deviation in enumerate(deviations):
        schemes = schemes_by_case.get(deviation.case_id)
        if schemes is None:
            raise SettingsError(f"--deviations {path}: [{index}].id: no case has the id {deviation.case_id}")
        if deviation.scheme is not None and deviation.scheme not in schemes:
            raise SettingsError(
                f"--deviations {path}: [{index}].id: case {deviation.case_id} does not run under "
                f"{deviation.scheme} (it runs under {', '.join(schemes)})"
            )


def deviation_for(deviations: list[Deviation], case_id: str, scheme: str) -> Deviation | None:
    """The entry listing `case_id[scheme]`, if any."""
    return next((deviation for deviation in deviations if deviation.covers(case_id, scheme)), None)
