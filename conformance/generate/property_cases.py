"""Property-based cases: hypothesis draws many cases of one property, and each runs like a case file's.

A property source file (`fixtures/**/*.property`, YAML `{concern: ..., properties: [<id>, ...]}`, read
by `generate/sources.PropertySource`) names properties defined in `PROPERTIES`. A property has a case's
header (id, operation, level, source, doc, decision, tags; `property` is always a tag), `outcome`, an
expectation (docs/contract.md §3) summing up what any drawn case may expect, and a strategy drawing the
steps of one case. Its metadata case (one step expecting `outcome`, never run) stands for it in
collection, reports, deviations and the coverage matrix. The strategy is built on demand
(`Property.steps()`), so that collecting, listing or running written cases never imports hypothesis.

Running a property (hypothesis driving the draws against a target) is `conformance.run.property_run`.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis import strategies as st

    StepsStrategy = Callable[[], st.SearchStrategy]

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
    outcome: dict[str, Any]
    steps: StepsStrategy  # builds the strategy drawing one case's steps
    tags: tuple[str, ...] = ()
    decision: str | None = None

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


def _create_job(manifest, expect: dict) -> list:
    params = {"JobType": manifest.job_type, "ValidateOnly": "true"}
    return [{"request": {"params": params, "manifest_text": manifest.text}, "expect": expect}]


def _strategies() -> ModuleType:
    """`property_strategies`, imported (with hypothesis) only when a property's strategy is built."""
    from conformance.generate import property_strategies

    return property_strategies


def _accepted(kind: str) -> StepsStrategy:
    expect = {"status": 200, "xpath": [{"path": "//ie:JobId", "matches": VALIDATE_ONLY_JOB_ID}]}
    return lambda: _strategies().manifests(kind).map(lambda manifest: _create_job(manifest, expect))


def _missing(documented_only: bool) -> StepsStrategy:
    def steps(drawn: tuple) -> list:
        manifest, path = drawn
        codes = ["MissingManifestFieldException"]
        if manifest.kind in ("ebs-import", "glacier-import") and path[0] == "operations" and path[-1] in (
                "operations", "destination"):
            codes.append("InvalidManifestFieldException")
        return _create_job(manifest, _error(codes[0] if len(codes) == 1 else codes))
    return lambda: _strategies().manifests_missing_a_field(documented_only).map(steps)


def _invalid_enum(drawn: tuple) -> list:
    manifest, field = drawn
    code = "InvalidFileSystemException" if field == "fileSystem" else "InvalidManifestFieldException"
    return _create_job(manifest, _error(code))


def _max_jobs(value: int) -> list:
    expect = ({"status": 200, "xpath": [{"path": "//ie:IsTruncated", "matches": "^(true|false)$"}]}
              if 0 <= value <= 1000 else _error("InvalidParameterException"))
    return [{"request": {"params": {"MaxJobs": str(value)}}, "expect": expect}]


def _unknown_job(job_id: str) -> list:
    params = {"JobId": _strategies().escape_template(job_id)}
    return [{"request": {"params": params}, "expect": _error("InvalidJobIdException")}]


def _unknown_job_ids() -> st.SearchStrategy:
    return _strategies().unknown_job_ids().map(_unknown_job)


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
             lambda: _strategies().manifests_with_invalid_enum().map(_invalid_enum), ("manifest", "validate-only"), M7),
    Property("Property.ListJobs.MaxJobsRange", "ListJobs", "documented", "F5",
             "MaxJobs from 0 to 1000 lists jobs with IsTruncated; any other integer fails with "
             "InvalidParameterException.",
             {"one_of": [{"status": 200}, _error("InvalidParameterException")]},
             lambda: _strategies().max_jobs_values().map(_max_jobs), ("parameters", "pagination")),
    Property("Property.GetStatus.UnknownJobIdRejected", "GetStatus", "documented", "F30",
             "GetStatus with any printable JobId text that names no job fails with InvalidJobIdException.",
             _error("InvalidJobIdException"), _unknown_job_ids, ("parameters",)),
    Property("Property.CancelJob.UnknownJobIdRejected", "CancelJob", "documented", "F30",
             "CancelJob with any printable JobId text that names no job fails with InvalidJobIdException.",
             _error("InvalidJobIdException"), _unknown_job_ids, ("parameters",)),
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
