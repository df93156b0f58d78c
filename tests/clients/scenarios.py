"""The named scenarios every client runs: the lifecycle, the modeled errors input alone triggers, and
the modeled errors that need the server's control API (the mock's /_mock/, docs/contract.md §2).

Expectations accept every reading docs/decisions.md allows (a legal server may differ from the
mock), so the same scenarios judge any endpoint. Each error call names its `target`: the modeled
code (botocore model of importexport) it is built to trigger.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests

from . import manifests
from .manifests import DEFAULT_BUCKETS, Buckets
from .steps import Call, Control, Credentials, Endpoint, Expect, Scenario

SECONDARY_KEY = "AKIAI44QH8DHBEXAMPLE"
MALFORMED_KEY = "not-a-well-formed-key"
DAYS_31 = 31 * 86400
LABEL_ADDRESS = {"name": "Jane Roe", "company": "Example Corp.", "street1": "123 Any Street", "city": "Anytown",
                 "stateOrProvince": "WA", "postalCode": "91011-1111", "country": "USA", "phoneNumber": "206-555-1111"}
# W10: a client tool version that is not a version string
VERSION_CODES = ("InvalidVersionException", "InvalidParameterException")
# A2: an access key id that is not well-formed
MALFORMED_KEY_CODES = ("InvalidAccessKeyIdException", "InvalidClientTokenIdException", "MissingAuthenticationToken",
                       "IncompleteSignature", "MissingParameterException")


def _member(name: str, wanted: Any) -> Callable[[Mapping[str, Any], Mapping[str, str]], str | None]:
    def check(output: Mapping[str, Any], saved: Mapping[str, str]) -> str | None:
        expected = saved.get(wanted[2:-1], wanted) if isinstance(wanted, str) and wanted.startswith("${") else wanted
        return None if output.get(name) == expected else f"{name} is {output.get(name)!r}, expected {expected!r}"
    return check


def _created(output: Mapping[str, Any], saved: Mapping[str, str]) -> str | None:
    if not output.get("JobId") or output.get("JobType") != "Import" or not output.get("Signature"):
        return f"CreateJob answer lacks JobId, JobType Import or Signature: {dict(output)!r}"
    return None


def _pending(output: Mapping[str, Any], saved: Mapping[str, str]) -> str | None:
    seen = (output.get("JobId"), output.get("JobType"), output.get("ProgressCode"))
    return None if seen == (saved["job"], "Import", "Pending") else f"JobId, JobType, ProgressCode are {seen}"


def _listed(output: Mapping[str, Any], saved: Mapping[str, str]) -> str | None:
    listed = [job.get("JobId") for job in output.get("Jobs") or []]
    return None if saved["job"] in listed else f"job {saved['job']} not among the listed jobs {listed}"


def _label_is_pdf(output: Mapping[str, Any], saved: Mapping[str, str]) -> str | None:
    url = output.get("ShippingLabelURL")
    if not url:
        return f"no ShippingLabelURL in {dict(output)!r}"
    try:
        body = requests.get(url, timeout=30).content
    except requests.RequestException as error:
        return f"cannot download {url}: {error}"
    return None if body.startswith(b"%PDF-") else f"{url} does not serve a PDF: {body[:40]!r}"


def _canceled(output: Mapping[str, Any], saved: Mapping[str, str]) -> str | None:
    return _member("ProgressCode", "Canceled")(output, saved)


def lifecycle(endpoint: Endpoint, buckets: Buckets = DEFAULT_BUCKETS) -> Scenario:
    """Create, read, list, update, label, cancel and re-read one import job, without a control API."""
    key = endpoint.credentials.access_key_id
    manifest = manifests.s3_import(key, buckets.primary)
    job = {"JobId": "${job}"}
    return Scenario("lifecycle", sequence=[
        Call("create", "CreateJob", {"JobType": "Import", "Manifest": manifest, "ValidateOnly": False},
             Expect.success(_created), save={"job": "JobId"}),
        Call("status", "GetStatus", job, Expect.success(_pending)),
        Call("list", "ListJobs", {}, Expect.success(_listed)),
        Call("update", "UpdateJob", {**job, "JobType": "Import", "ValidateOnly": False,
                                     "Manifest": manifests.s3_import(key, buckets.primary, device_id="49384")},
             Expect.success(_member("Success", True))),
        Call("label", "GetShippingLabel", {"jobIds": ["${job}"], **LABEL_ADDRESS}, Expect.success(_label_is_pdf)),
        Call("cancel", "CancelJob", job, Expect.success(_member("Success", True))),
        # L4: live answers 200 with ProgressCode Canceled; the model allows CanceledJobIdException
        Call("status-after-cancel", "GetStatus", job,
             Expect(allow_success=True, check=_canceled, codes=("CanceledJobIdException",))),
    ])


def _error(name: str, operation: str, params: Mapping[str, Any], target: str, *also: str,
           credentials: Credentials | None = None) -> Call:
    return Call(name, operation, params, Expect.error(target, *also), credentials=credentials, target=target)


def _manifest_errors(key: str, buckets: Buckets) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Manifests that break one rule each: name -> (manifest, accepted codes, the modeled one first)."""
    bad_customs = manifests.CUSTOMS.format(encrypted="perhaps")
    return {
        "malformed": (manifests.MALFORMED, ("MalformedManifestException",)),
        "foreign-key": (manifests.s3_import(SECONDARY_KEY, buckets.primary), ("InvalidAccessKeyIdException",)),
        "po-box": (manifests.s3_import(key, buckets.primary, street1="P.O. Box 12"), ("InvalidAddressException",)),
        "bad-erase-device": (manifests.s3_import(key, buckets.primary, erase_device="perhaps"),
                             ("InvalidManifestFieldException",)),
        "no-device-id": (manifests.without_device_id(key, buckets.primary), ("MissingManifestFieldException",)),
        "missing-bucket": (manifests.s3_import(key, buckets.missing), ("NoSuchBucketException",)),
        "no-customs": (manifests.international_import(key, buckets.primary, customs=""),
                       ("MissingCustomsException",)),
        "bad-customs": (manifests.international_import(key, buckets.primary, customs=bad_customs),
                        ("InvalidCustomsException",)),
        "zfs": (manifests.s3_export(key, buckets.primary, buckets.log, file_system="ZFS"),
                ("InvalidFileSystemException",)),
        "two-regions": (manifests.s3_export(key, buckets.other_region, buckets.log), ("MultipleRegionsException",)),
        "foreign-bucket": (manifests.s3_import(key, buckets.foreign), ("BucketPermissionException",)),
    }


def modeled_errors(endpoint: Endpoint, buckets: Buckets = DEFAULT_BUCKETS) -> Scenario:
    """Every (operation, modeled error) pair a client can trigger by its input alone.

    Not here: GetShippingLabel's InvalidParameterException (only an empty jobIds list triggers it,
    and all three clients refuse to send a request without the required jobIds) and GetStatus's
    CanceledJobIdException (decision L4 lets a server answer 200 Canceled instead; the lifecycle
    accepts both).
    """
    key = endpoint.credentials.access_key_id
    valid = manifests.s3_import(key, buckets.primary)
    malformed_key = Credentials(MALFORMED_KEY, endpoint.credentials.secret_access_key)
    job, canceled = {"JobId": "${job}"}, {"JobId": "${canceled}"}
    unknown = {"JobId": "NOSUCHJOB1"}
    probes = [
        _error("create-empty-manifest", "CreateJob", {"JobType": "Import", "Manifest": "", "ValidateOnly": False},
               "MissingParameterException"),
        _error("create-job-type-foo", "CreateJob", {"JobType": "Foo", "Manifest": valid, "ValidateOnly": False},
               "InvalidParameterException"),
        _error("create-api-version", "CreateJob",
               {"JobType": "Import", "Manifest": valid, "ValidateOnly": False, "APIVersion": "not a version!"},
               *VERSION_CODES),
        _error("update-empty-manifest", "UpdateJob",
               {**job, "JobType": "Import", "Manifest": "", "ValidateOnly": False}, "MissingParameterException"),
        _error("update-job-type-foo", "UpdateJob", {**job, "JobType": "Foo", "Manifest": valid, "ValidateOnly": False},
               "InvalidParameterException"),
        _error("update-unknown-job", "UpdateJob",
               {**unknown, "JobType": "Import", "Manifest": valid, "ValidateOnly": False}, "InvalidJobIdException"),
        _error("update-canceled-job", "UpdateJob",
               {**canceled, "JobType": "Import", "Manifest": valid, "ValidateOnly": False}, "CanceledJobIdException"),
        _error("update-api-version", "UpdateJob",
               {**job, "JobType": "Import", "Manifest": valid, "ValidateOnly": False, "APIVersion": "not a version!"},
               *VERSION_CODES),
        _error("cancel-unknown-job", "CancelJob", unknown, "InvalidJobIdException"),
        _error("cancel-canceled-job", "CancelJob", canceled, "CanceledJobIdException"),
        _error("cancel-api-version", "CancelJob", {**job, "APIVersion": "not a version!"}, *VERSION_CODES),
        _error("status-unknown-job", "GetStatus", unknown, "InvalidJobIdException"),
        _error("status-api-version", "GetStatus", {**job, "APIVersion": "not a version!"}, *VERSION_CODES),
        _error("list-max-jobs-1001", "ListJobs", {"MaxJobs": 1001}, "InvalidParameterException"),
        _error("list-api-version", "ListJobs", {"APIVersion": "not a version!"}, *VERSION_CODES),
        _error("label-unknown-job", "GetShippingLabel", {"jobIds": ["NOSUCHJOB1"]}, "InvalidJobIdException"),
        _error("label-canceled-job", "GetShippingLabel", {"jobIds": ["${canceled}"]}, "CanceledJobIdException"),
        _error("label-po-box", "GetShippingLabel", {"jobIds": ["${job}"], **LABEL_ADDRESS, "street1": "P.O. Box 12"},
               "InvalidAddressException"),
        _error("label-api-version", "GetShippingLabel", {"jobIds": ["${job}"], "APIVersion": "not a version!"},
               *VERSION_CODES),
    ]
    for operation, params in (("CreateJob", {"JobType": "Import", "Manifest": valid, "ValidateOnly": False}),
                              ("UpdateJob", {**job, "JobType": "Import", "Manifest": valid, "ValidateOnly": False}),
                              ("CancelJob", job), ("GetStatus", job), ("ListJobs", {}),
                              ("GetShippingLabel", {"jobIds": ["${job}"]})):
        probes.append(_error(f"{operation}-malformed-key", operation, params, *MALFORMED_KEY_CODES,
                             credentials=malformed_key))
    for name, (manifest, codes) in _manifest_errors(key, buckets).items():
        job_type = "Export" if "exportBucket" in manifest else "Import"
        probes.append(_error(f"create-{name}", "CreateJob",
                             {"JobType": job_type, "Manifest": manifest, "ValidateOnly": False}, *codes))
        probes.append(_error(f"update-{name}", "UpdateJob",
                             {**job, "JobType": job_type, "Manifest": manifest, "ValidateOnly": False}, *codes))
    create = {"JobType": "Import", "Manifest": valid, "ValidateOnly": False}
    return Scenario("modeled-errors", sequence=[
        Call("create", "CreateJob", create, Expect.success(_created), save={"job": "JobId"}),
        Call("create-to-cancel", "CreateJob", create, Expect.success(_created), save={"canceled": "JobId"}),
        Call("cancel", "CancelJob", canceled, Expect.success(_member("Success", True))),
    ], probes=probes)


def control_errors(endpoint: Endpoint, buckets: Buckets = DEFAULT_BUCKETS) -> Scenario:
    """The modeled errors that need the control API: a started job, an injected error, the quota."""
    key = endpoint.credentials.access_key_id
    create = {"JobType": "Import", "Manifest": manifests.s3_import(key, buckets.primary), "ValidateOnly": False}
    started = {"JobId": "${started}"}
    return Scenario("control-errors", sequence=[
        Call("create", "CreateJob", create, Expect.success(_created), save={"started": "JobId"}),
        Control("start", "jobs/${started}/state", {"progress_code": "InProgress", "location_code": "AtAWS"}),
        _error("cancel-started", "CancelJob", started, "UnableToCancelJobIdException"),
        _error("update-started", "UpdateJob", {**started, **create}, "UnableToUpdateJobIdException"),
        Control("inject", "inject", {"operation": "CreateJob", "code": "InvalidJobIdException",
                                     "message": "injected by tests/clients"}),
        _error("create-injected", "CreateJob", create, "InvalidJobIdException"),
        Control("quota-zero", "quota", {"access_key_id": key, "jobs_per_day": 0}),
        _error("create-over-quota", "CreateJob", create, "CreateJobQuotaExceededException"),
    ], teardown=[
        Control("quota-restored", "quota", {"access_key_id": key, "jobs_per_day": None}),
    ])


def expiry_errors(endpoint: Endpoint, buckets: Buckets = DEFAULT_BUCKETS) -> Scenario:
    """ExpiredJobIdException from every job-scoped action once the server's clock passed 30 days (L6)."""
    key = endpoint.credentials.access_key_id
    create = {"JobType": "Import", "Manifest": manifests.s3_import(key, buckets.primary), "ValidateOnly": False}
    aging = {"JobId": "${aging}"}
    return Scenario("expiry-errors", sequence=[
        Call("create", "CreateJob", create, Expect.success(_created), save={"aging": "JobId"}),
        Control("expire", "clock", {"advance_s": DAYS_31}),
    ], probes=[
        _error("status-expired", "GetStatus", aging, "ExpiredJobIdException"),
        _error("cancel-expired", "CancelJob", aging, "ExpiredJobIdException"),
        _error("update-expired", "UpdateJob", {**aging, **create}, "ExpiredJobIdException"),
        _error("label-expired", "GetShippingLabel", {"jobIds": ["${aging}"]}, "ExpiredJobIdException"),
    ], teardown=[
        Control("clock-back", "clock", {"offset_s": 0}),
    ])


SCENARIOS = {"lifecycle": lifecycle, "modeled-errors": modeled_errors, "control-errors": control_errors,
             "expiry-errors": expiry_errors}
