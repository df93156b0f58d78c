"""Property-based cases: hypothesis draws many cases of one property, and each runs like a case file's.

A property source file (`fixtures/**/*.property`, YAML `{concern: ..., properties: [<id>, ...]}`)
names properties defined in `PROPERTIES`. A property has a case's header (id, operation, level,
source, doc, decision, tags; `property` is always a tag), `outcome`, an expectation (docs/contract.md
§3) summing up what any drawn case may expect, and a strategy drawing the steps of one case. Its
metadata case (one step expecting `outcome`, never run) stands for it in collection, reports,
deviations and the coverage matrix.

`PropertyRun` runs one property under one scheme: hypothesis (`max_examples` from
`--property-examples`, seed from `--property-seed` or fresh per run, no database, no deadline) draws
steps, each draw goes through `cases_from_data` and `CaseRunner`, and a failure is shrunk to a
smallest failing case. `PropertyFailed` is that case's `CaseFailed` with the run (seed, replay
command, case data); `render_property_failure` shows them before the usual failure report.
"""
from __future__ import annotations

import argparse
import dataclasses
import secrets
import shlex
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

from conformance import property_strategies as S
from conformance.casemodel import Case
from conformance.cases import CaseFileError, cases_from_data, display_name
from conformance.datafiles import DataFileError, load_yaml
from conformance.failure import render_failure
from conformance.runner import CaseFailed, CaseRunner, Target

DEFAULT_EXAMPLES = 15
VALIDATE_ONLY_JOB_ID = "^[A-Z0-9]{5}-VALIDATE-ONLY$"
M5 = ("M5/M6: required fields are manifestVersion, accessKeyId, deviceId, returnAddress{name, street1, city, "
      "postalCode, phoneNumber, country} (stateOrProvince too for a US address) for every kind; bucket (S3 "
      "import); fileSystem, operations[*].exportBucket, logBucket (export); eraseDevice, logBucket, "
      "operations[*].{destination, source, region} (EBS/Glacier), Glacier also vaultName and archiveComment. "
      "M4: without operations or their destination an EBS/Glacier manifest reads as an S3 import manifest "
      "lacking its bucket, so InvalidManifestFieldException is accepted there too.")

M7 = ("M7: enumerated fields (acl, serviceLevel, eraseDevice yes/no/true/false in any case, fileSystem); a value "
      "outside the set is InvalidManifestFieldException (InvalidFileSystemException for fileSystem). Only the acl "
      "rejection is documented, so the property as a whole rests on the decision, like the single enum cases.")

EBS_SHAPE = ("M4/M5: each field dropped here is required by the documentation (docs/sources.md F12, F20-F26), but "
             "the drawn manifests include EBS ones, whose operations sub-fields (destination ebs-snapshot, source, "
             "region) could not be read; like the written EBS cases, the property rests on that manifest shape.")


@dataclass(frozen=True)
class Property:
    """One property: a case header, the summed-up outcome, and a strategy drawing one case's steps."""

    id: str
    operation: str
    level: str
    source: str
    doc: str
    outcome: dict
    steps: st.SearchStrategy
    tags: tuple = ()
    decision: Optional[str] = None

    def case_data(self, steps: list) -> dict:
        """Case-file data (contract §3) holding one case of this property with `steps`."""
        case = {"id": self.id, "operation": self.operation, "level": self.level, "source": self.source,
                "tags": ["property", *self.tags], "doc": self.doc}
        if self.decision:
            case["decision"] = self.decision
        case["steps"] = steps
        return {"concern": f"A case drawn by the property {self.id}.", "cases": [case]}


def _error(code) -> dict:
    return {"status": 400, "code": code, "type": "Sender"}


def _create_job(manifest: S.Manifest, expect: dict) -> list:
    params = {"JobType": manifest.job_type, "ValidateOnly": "true"}
    return [{"request": {"params": params, "manifest_text": manifest.text}, "expect": expect}]


def _accepted(kind: str) -> st.SearchStrategy:
    expect = {"status": 200, "xpath": [{"path": "//ie:JobId", "matches": VALIDATE_ONLY_JOB_ID}]}
    return S.manifests(kind).map(lambda manifest: _create_job(manifest, expect))


def _missing(documented_only: bool) -> st.SearchStrategy:
    def steps(drawn: tuple) -> list:
        manifest, path = drawn
        codes = ["MissingManifestFieldException"]
        if manifest.kind in ("ebs-import", "glacier-import") and path[0] == "operations" and path[-1] in (
                "operations", "destination"):
            codes.append("InvalidManifestFieldException")
        return _create_job(manifest, _error(codes[0] if len(codes) == 1 else codes))
    return S.manifests_missing_a_field(documented_only).map(steps)


def _invalid_enum(drawn: tuple) -> list:
    manifest, field = drawn
    code = "InvalidFileSystemException" if field == "fileSystem" else "InvalidManifestFieldException"
    return _create_job(manifest, _error(code))


def _max_jobs(value: int) -> list:
    expect = ({"status": 200, "xpath": [{"path": "//ie:IsTruncated", "matches": "^(true|false)$"}]}
              if 0 <= value <= 1000 else _error("InvalidParameterException"))
    return [{"request": {"params": {"MaxJobs": str(value)}}, "expect": expect}]


def _unknown_job(job_id: str) -> list:
    return [{"request": {"params": {"JobId": S.escape_template(job_id)}}, "expect": _error("InvalidJobIdException")}]


PROPERTIES = {prop.id: prop for prop in (
    Property("Property.Manifest.S3ImportVariantsAccepted", "CreateJob", "documented", "F23",
             "Valid S3 import manifests, however their options, key order, indentation, quoting and Unicode "
             "names vary, pass ValidateOnly=true with a -VALIDATE-ONLY JobId.",
             {"status": 200}, _accepted("s3-import"), ("manifest", "validate-only")),
    Property("Property.Manifest.S3ExportVariantsAccepted", "CreateJob", "documented", "F26",
             "Valid S3 export manifests with 1-3 operations and any optional fields pass ValidateOnly=true.",
             {"status": 200}, _accepted("s3-export"), ("manifest", "validate-only")),
    Property("Property.Manifest.MissingDocumentedFieldRejected", "CreateJob", "inferred", "M5",
             "A valid manifest of any kind without one of the required fields docs/sources.md F12 names fails with "
             "MissingManifestFieldException.",
             _error("MissingManifestFieldException"), _missing(True), ("manifest", "validate-only"), EBS_SHAPE),
    Property("Property.Manifest.MissingRequiredFieldRejected", "CreateJob", "inferred", "M5",
             "A valid manifest of any kind without any one of its required fields, nested ones included, fails "
             "with MissingManifestFieldException.",
             _error(["MissingManifestFieldException", "InvalidManifestFieldException"]), _missing(False),
             ("manifest", "validate-only"), M5),
    Property("Property.Manifest.InvalidEnumRejected", "CreateJob", "inferred", "M7",
             "An acl, serviceLevel, eraseDevice or fileSystem value outside its set fails with "
             "InvalidManifestFieldException (InvalidFileSystemException for fileSystem).",
             _error(["InvalidManifestFieldException", "InvalidFileSystemException"]),
             S.manifests_with_invalid_enum().map(_invalid_enum), ("manifest", "validate-only"), M7),
    Property("Property.ListJobs.MaxJobsRange", "ListJobs", "documented", "F5",
             "MaxJobs from 0 to 1000 lists jobs with IsTruncated; any other integer fails with "
             "InvalidParameterException.",
             {"one_of": [{"status": 200}, _error("InvalidParameterException")]},
             S.max_jobs_values().map(_max_jobs), ("parameters", "pagination")),
    Property("Property.GetStatus.UnknownJobIdRejected", "GetStatus", "documented", "F30",
             "GetStatus with any printable JobId text that names no job fails with InvalidJobIdException.",
             _error("InvalidJobIdException"), S.unknown_job_ids().map(_unknown_job), ("parameters",)),
    Property("Property.CancelJob.UnknownJobIdRejected", "CancelJob", "documented", "F30",
             "CancelJob with any printable JobId text that names no job fails with InvalidJobIdException.",
             _error("InvalidJobIdException"), S.unknown_job_ids().map(_unknown_job), ("parameters",)),
)}


def example_count(text: str) -> int:
    """`--property-examples` value: a positive integer."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return count


def property_file_cases(path: Path, fixtures_root: Path) -> list[Case]:
    """The metadata cases of the properties a property source file names; CaseFileError names the
    file and field of the first problem."""
    display = display_name(path, fixtures_root)
    try:
        data = load_yaml(path)
    except DataFileError as error:
        raise CaseFileError(str(error).replace(str(path), display, 1)) from None
    if not isinstance(data, dict) or set(data) != {"concern", "properties"}:
        raise CaseFileError(f"{display}: expected exactly the keys concern and properties")
    names = data["properties"]
    if not isinstance(names, list) or not names:
        raise CaseFileError(f"{display}: properties: expected a non-empty list of property ids")
    lines = path.read_text(encoding="utf-8").splitlines()
    cases = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or name not in PROPERTIES:
            raise CaseFileError(f"{display}: properties[{index}]: unknown property {name!r}; "
                                f"known: {', '.join(sorted(PROPERTIES))}")
        if names.index(name) != index:
            raise CaseFileError(f"{display}: properties[{index}]: {name} is listed twice")
        prop = PROPERTIES[name]
        summary = prop.case_data([{"operation": prop.operation, "expect": prop.outcome}])
        line = next((number for number, text in enumerate(lines) if text.strip() in (f"- {name}", name)), 0)
        cases.append(dataclasses.replace(cases_from_data(summary, path, fixtures_root)[0], line=line))
    return cases


class PropertyFailed(CaseFailed):
    """A property with a drawn case that did not conform: the shrunk case's failure, with its run."""

    def __init__(self, run: "PropertyRun", failure: CaseFailed):
        super().__init__(failure.case, failure.scheme, failure.failed, failure.history, failure.notes)
        self.run = run


class PropertyError(Exception):
    """A property run that broke for another reason (a strategy drawing invalid case data, a flaky
    target hypothesis could not reproduce); the message has the seed and the error's traceback."""


class PropertyRun:
    """One property under one scheme against a target, as hypothesis drives it."""

    def __init__(self, prop: Property, case: Case, scheme: str, target: Target, node_id: str,
                 examples: int = DEFAULT_EXAMPLES, seed_value: Optional[int] = None):
        self.prop = prop
        self.case = case
        self.scheme = scheme
        self.target = target
        self.node_id = node_id
        self.examples = examples
        self.seed = seed_value if seed_value is not None else secrets.randbelow(2**32)
        self.runs = 0
        self.first_failure_at: Optional[int] = None
        self.last_data: Optional[dict] = None

    @property
    def replay_command(self) -> str:
        command = f"pytest {shlex.quote(self.node_id)} --property-seed {self.seed}"
        if self.examples != DEFAULT_EXAMPLES:
            command += f" --property-examples {self.examples}"
        if self.target.settings.endpoint_url is not None:
            command += "  (plus this run's target options)"
        return command

    def run_one(self, steps: list) -> None:
        """Run one drawn case; raise CaseFailed when it does not conform."""
        self.runs += 1
        self.last_data = self.prop.case_data(steps)
        case = cases_from_data(self.last_data, self.case.file, self.case.fixtures_root)[0]
        try:
            CaseRunner(case, self.scheme, self.target).run()
        except CaseFailed:
            if self.first_failure_at is None:
                self.first_failure_at = self.runs
            raise

    def execute(self) -> None:
        """Draw and run up to `examples` cases; PropertyFailed with the shrunk failing case, if any."""
        @seed(self.seed)
        @settings(max_examples=self.examples, deadline=None, database=None, derandomize=False,
                  phases=(Phase.generate, Phase.shrink), report_multiple_bugs=False, print_blob=False,
                  verbosity=Verbosity.quiet, suppress_health_check=(HealthCheck.too_slow,))
        @given(self.prop.steps)
        def check(steps: list) -> None:
            self.run_one(steps)

        try:
            check()
        except CaseFailed as failure:
            raise PropertyFailed(self, failure) from None
        except Exception as error:
            raise PropertyError("\n".join(self.summary_lines()) + "\n\nThe run broke:\n"
                                + "".join(traceback.format_exception(error))) from None

    def summary_lines(self) -> list[str]:
        return [f"  seed:     {self.seed}", f"  replay:   {self.replay_command}",
                f"  examples: up to {self.examples} drawn; {self.runs} run in all"
                + (f", the first failing one was number {self.first_failure_at}" if self.first_failure_at else "")]

    def metadata(self) -> dict:
        """The run's part of the item's results.json record."""
        return {"seed": self.seed, "max_examples": self.examples, "runs": self.runs}


class _CaseDumper(yaml.SafeDumper):
    """Case data as YAML, multi-line strings (manifests) as literal blocks."""


_CaseDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def render_property_failure(failed: PropertyFailed) -> str:
    """The property, its seed and replay command, the shrunk case's data, then its failure report."""
    run = failed.run
    prop = run.prop
    header = [f"Property {prop.id} [{run.scheme}] is falsified: a drawn case did not conform",
              f"  source:   {prop.source} (level: {prop.level})", f"  doc:      {prop.doc}", *run.summary_lines()]
    data = yaml.dump(run.last_data, Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=100)
    example = ("Smallest failing case found (case-file data: saved as a .yaml file under fixtures/ with a new "
               "id, it replays without hypothesis):\n" + "\n".join("    " + line for line in data.splitlines()))
    return "\n\n".join(["\n".join(header), example, render_failure(failed)])
