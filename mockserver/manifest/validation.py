"""Manifest validation for CreateJob and UpdateJob (reference §6, addendum A6, decisions M1-M14).

`validate_manifest` parses the text (`manifest_yaml`), picks the kind of job (M4) and runs the
checks in the order of M14, raising the first fault as an `ApiError` (HTTP 400, Type Sender):
malformed → manifestVersion → accessKeyId → missing fields → invalid fields (options.py for the
options passed on as given, M15) → return address → customs → export file system → buckets exist →
signer owns them → one region → EU return address → expedited shipping (shipping.py, M16). Messages
name the offending field, e.g. "The manifest is missing the required field: returnAddress.city".
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.backend.records import BucketInfo, ManifestSummary
from mockserver.exceptions import (
    ApiError,
    BucketPermissionException,
    InvalidAccessKeyIdException,
    InvalidFileSystemException,
    InvalidManifestFieldException,
    MissingManifestFieldException,
    MultipleRegionsException,
    NoSuchBucketException,
)
from mockserver.manifest.address import ADDRESS_FIELDS, check_address, requires_state
from mockserver.manifest.customs import check_customs
from mockserver.manifest.options import check_content_types, check_ignore_patterns, check_passed_on_options
from mockserver.manifest.shipping import check_eu_return_address, check_expedited_shipping, loading_facility
from mockserver.manifest.yaml_loader import given, parse_manifest_shared

S3_IMPORT = "s3-import"
S3_EXPORT = "s3-export"
EBS_IMPORT = "ebs-import"
GLACIER_IMPORT = "glacier-import"

RETURN_ADDRESS_REQUIRED = ("name", "street1", "city", "postalCode", "phoneNumber", "country")
ACL_VALUES = ("private", "public-read", "public-read-write", "authenticated-read")
SERVICE_LEVELS = ("standard", "expeditedShipping")
ERASE_DEVICE_VALUES = ("yes", "no", "true", "false")
EXPORT_FILE_SYSTEMS = ("NTFS", "EXT2", "EXT3", "EXT4", "FAT32")
# Options whose value must be one piece of text when present (the ones the mock reads or checks).
SINGLE_VALUE_OPTIONS = (
    "deviceId", "generator", "bucket", "prefix", "logBucket", "logPrefix", "fileSystem", "acl",
    "serviceLevel", "eraseDevice", "notificationEmail", "recoveryDirectory",
)
# The log key is logPrefix + "import-log-<JobId>" / "export-log-<JobId>", at most 1024 bytes (M8).
LOG_KEY_MAX_BYTES = 1024
LOG_NAME_BYTES = len("import-log-") + len("ABCDE")
ARCHIVE_COMMENT_MAX_CHARS = 997

_LEGACY_S3_VERSION = re.compile(r"1\.[0-9]+")


@dataclass(frozen=True)
class _KindRules:
    """What one kind of manifest requires beyond the fields every manifest has."""

    version: str
    accepts_legacy_version: bool
    required: tuple[str, ...]
    operation_fields: tuple[str, ...] = ()
    destination: str | None = None


_RULES = {
    S3_IMPORT: _KindRules("2.0", True, ("bucket",)),
    S3_EXPORT: _KindRules("2.0", True, ("fileSystem", "operations", "logBucket"), ("exportBucket",)),
    EBS_IMPORT: _KindRules(
        "3.0", False, ("eraseDevice", "logBucket", "operations"),
        ("destination", "source", "region"), "ebs-snapshot",
    ),
    GLACIER_IMPORT: _KindRules(
        "3.0", False, ("eraseDevice", "logBucket", "operations"),
        ("destination", "source", "region", "vaultName", "archiveComment"), "glacier",
    ),
}
_OPERATION_TEXT_FIELDS = {
    S3_EXPORT: ("exportBucket", "targetDirectory", "beginMarker", "endMarker", "prefix"),
    EBS_IMPORT: ("destination", "source", "region"),
    GLACIER_IMPORT: ("destination", "source", "region", "vaultName", "archiveComment"),
}


def _missing(field: str) -> ApiError:
    return MissingManifestFieldException(f"The manifest is missing the required field: {field}")


def _invalid(field: str, reason: str) -> ApiError:
    return InvalidManifestFieldException(f"The manifest field {field} is invalid: {reason}")


def _operations(manifest: Mapping) -> list:
    """The operations that are mappings, with their positions; empty when there is no list."""
    operations = manifest.get("operations")
    if not isinstance(operations, list):
        return []
    return [(index, item) for index, item in enumerate(operations) if isinstance(item, dict)]


def select_kind(manifest: Mapping, job_type: str) -> str:
    """The manifest kind (M4): export, or an import kind chosen by `operations[*].destination`."""
    if job_type == "Export":
        return S3_EXPORT
    destinations = [given(operation, "destination") for _, operation in _operations(manifest)]
    if "glacier" in destinations:
        return GLACIER_IMPORT
    if "ebs-snapshot" in destinations:
        return EBS_IMPORT
    return S3_IMPORT


def _check_version(manifest: Mapping, kind: str) -> str | None:
    """Check manifestVersion (M2, M3); return the warning for a legacy S3 version, if any."""
    rules = _RULES[kind]
    version = given(manifest, "manifestVersion")
    if version is None:
        raise _missing("manifestVersion")
    if version == rules.version:
        return None
    if rules.accepts_legacy_version and isinstance(version, str) and _LEGACY_S3_VERSION.fullmatch(version):
        return (
            f"manifestVersion {version} is deprecated; use manifestVersion {rules.version} "
            "for Amazon S3 jobs"
        )
    raise _invalid("manifestVersion", f"{kind} manifests use manifestVersion {rules.version}")


def _check_access_key(manifest: Mapping, signer_access_key_id: str) -> None:
    """The manifest's accessKeyId must be the key that signed the request (M10)."""
    access_key_id = given(manifest, "accessKeyId")
    if access_key_id is None:
        raise _missing("accessKeyId")
    if access_key_id != signer_access_key_id:
        raise InvalidAccessKeyIdException(
            "The manifest field accessKeyId does not match the AWS Access Key ID that signed the request"
        )


def _check_required(manifest: Mapping, kind: str) -> None:
    """Every required field must be given (M5, M6); structures of the wrong shape are left to later checks."""
    rules = _RULES[kind]
    for key in ("deviceId", "returnAddress", *rules.required):
        if given(manifest, key) is None:
            raise _missing(key)
    address = manifest["returnAddress"]
    if isinstance(address, dict):
        required: tuple[str, ...] = RETURN_ADDRESS_REQUIRED
        if requires_state(given(address, "country")):
            required += ("stateOrProvince",)
        for key in required:
            if given(address, key) is None:
                raise _missing(f"returnAddress.{key}")
    for index, operation in _operations(manifest):
        for key in rules.operation_fields:
            if given(operation, key) is None:
                raise _missing(f"operations[{index}].{key}")


def _check_choice(manifest: Mapping, key: str, allowed: tuple, *, ignore_case: bool) -> None:
    value = given(manifest, key)
    if value is None:
        return
    choices = [choice.lower() for choice in allowed] if ignore_case else allowed
    if (value.lower() if ignore_case else value) not in choices:
        raise _invalid(key, f"it must be one of {', '.join(allowed)}")


def _check_operations(manifest: Mapping, kind: str) -> None:
    """The shape and values of `operations` for kinds that require it (M7, M9)."""
    rules = _RULES[kind]
    operations = manifest["operations"]
    if not isinstance(operations, list):
        raise _invalid("operations", "it must be a list of operations")
    for index, operation in enumerate(operations):
        field = f"operations[{index}]"
        if not isinstance(operation, dict):
            raise _invalid(field, "each operation must be a mapping")
        for key in _OPERATION_TEXT_FIELDS[kind]:
            if key in operation and not isinstance(operation[key], str):
                raise _invalid(f"{field}.{key}", "it must be a single text value")
        if rules.destination and given(operation, "destination") != rules.destination:
            raise _invalid(f"{field}.destination", f"{kind} manifests use destination {rules.destination}")
        comment = given(operation, "archiveComment")
        if kind == GLACIER_IMPORT and len(comment) > ARCHIVE_COMMENT_MAX_CHARS:
            raise _invalid(
                f"{field}.archiveComment", f"it is longer than {ARCHIVE_COMMENT_MAX_CHARS} characters"
            )


def _check_values(manifest: Mapping, kind: str) -> None:
    """Fields that are present but unacceptable (M7, M8, M9): `InvalidManifestFieldException`."""
    for key in SINGLE_VALUE_OPTIONS:
        if key in manifest and not isinstance(manifest[key], str):
            raise _invalid(key, "it must be a single text value")
    check_passed_on_options(manifest)
    check_content_types(manifest)
    check_ignore_patterns(manifest, s3_import=kind == S3_IMPORT)
    if kind == S3_IMPORT:
        _check_choice(manifest, "acl", ACL_VALUES, ignore_case=False)
    _check_choice(manifest, "serviceLevel", SERVICE_LEVELS, ignore_case=False)
    _check_choice(manifest, "eraseDevice", ERASE_DEVICE_VALUES, ignore_case=True)
    log_prefix = manifest.get("logPrefix", "")
    if len(log_prefix.encode("utf-8", "surrogatepass")) + LOG_NAME_BYTES > LOG_KEY_MAX_BYTES:
        raise _invalid(
            "logPrefix", f"logPrefix plus the log name must not exceed {LOG_KEY_MAX_BYTES} bytes"
        )
    if _RULES[kind].operation_fields:
        _check_operations(manifest, kind)


def _check_file_system(manifest: Mapping) -> None:
    """An export's fileSystem must be one the service writes (M7): `InvalidFileSystemException`."""
    file_system = given(manifest, "fileSystem")
    if file_system.upper() not in EXPORT_FILE_SYSTEMS:
        raise InvalidFileSystemException(
            f"The manifest field fileSystem is invalid: {file_system} is not one of "
            f"{', '.join(EXPORT_FILE_SYSTEMS)}"
        )


def _named_buckets(manifest: Mapping, kind: str) -> list:
    """(field, bucket name) for every bucket the manifest names, in manifest order."""
    named = []
    if kind == S3_IMPORT:
        named.append(("bucket", given(manifest, "bucket")))
    if kind == S3_EXPORT:
        named += [
            (f"operations[{index}].exportBucket", given(operation, "exportBucket"))
            for index, operation in _operations(manifest)
        ]
    log_bucket = given(manifest, "logBucket")
    if log_bucket is not None:
        named.append(("logBucket", log_bucket))
    return named


def _check_buckets(named: list, buckets: Mapping[str, BucketInfo], signer_access_key_id: str) -> None:
    """Buckets must exist, belong to the signer and share one region (M13)."""
    for field, name in named:
        if name not in buckets:
            raise NoSuchBucketException(f"The bucket {name} named in {field} does not exist")
    for field, name in named:
        if buckets[name].owner != signer_access_key_id:
            raise BucketPermissionException(
                f"You do not have permission to use the bucket {name} named in {field}"
            )
    regions: dict[str, str] = {}
    for _, name in named:
        regions.setdefault(name, buckets[name].region)
    if len(set(regions.values())) > 1:
        listing = ", ".join(f"{name} ({region})" for name, region in regions.items())
        raise MultipleRegionsException(
            f"The buckets named in the manifest are in more than one region: {listing}"
        )


def validate_manifest(
    text: str,
    *,
    job_type: str,
    signer_access_key_id: str,
    buckets: Mapping[str, BucketInfo],
    max_manifest_bytes: int,
) -> ManifestSummary:
    """Validate a CreateJob/UpdateJob manifest for `job_type` ("Import" or "Export").

    Returns the summary the job store keeps; raises the first fault (M14) as an `ApiError`.
    """
    manifest = parse_manifest_shared(text, max_bytes=max_manifest_bytes)
    kind = select_kind(manifest, job_type)
    warning = _check_version(manifest, kind)
    _check_access_key(manifest, signer_access_key_id)
    _check_required(manifest, kind)
    _check_values(manifest, kind)
    return_address = manifest["returnAddress"]
    check_address(return_address, field_prefix="returnAddress.", allow_empty=True)
    named = _named_buckets(manifest, kind)
    facility = loading_facility(named, buckets)
    check_customs(manifest, facility=facility)
    if kind == S3_EXPORT:
        _check_file_system(manifest)
    _check_buckets(named, buckets, signer_access_key_id)
    check_eu_return_address(manifest, facility=facility)
    check_expedited_shipping(manifest, facility=facility)
    return ManifestSummary(
        kind=kind,
        manifest_version=given(manifest, "manifestVersion"),
        return_address=_summary_address(return_address),
        log_bucket=given(manifest, "logBucket"),
        buckets=list(dict.fromkeys(name for _, name in named)),
        warning=warning,
    )


def _summary_address(address: Mapping[str, Any]) -> dict:
    """The return address fields that carry a value, as text."""
    return {key: value for key in ADDRESS_FIELDS if (value := given(address, key)) is not None}
