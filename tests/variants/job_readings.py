"""Reading variants of what a server does with jobs: lifecycle, expiry, labels and manifests.

The readings docs/decisions.md allows here beside the mock's: a job in progress can still be
canceled (L3); GetStatus on a canceled job is an error (L4); an expired job answers GetStatus with
ProgressCode Expired and stays listed (L6); EBS and Glacier jobs come without a Signature (finding
1: the model makes it optional); a label needs an address (P11); stricter manifest readings (M1, M2,
M6, M7); large requests are accepted (W15). Rules change at the mock's public seams
(tests/mutants/seams.py), answers in the proxy.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.seams import Seam, SeamPatch, replace_seam
from tests.mutants.xmlrewrite import elements, operation_of, parse, remove
from tests.variants.answers import code_map, error_answer, recode, reject_authentic, values
from tests.variants.variant import Variant, announce

_JOBS = "mockserver.backend.jobs:JobsBackend"
_STORE = "mockserver.backend.store:JobStore"
STARTED_JOBS_CANCELABLE = "variant.reading.started_jobs_cancelable"
EXPIRED_JOBS_KEPT = "variant.reading.expired_jobs_kept"
LARGE_REQUESTS = "variant.reading.large_requests_accepted"
LARGE_LIMIT_BYTES = 16 * 1024 * 1024
ADDRESS_FIELDS = ("name", "company", "phoneNumber", "country", "stateOrProvince", "city", "postalCode",
                  "street1", "street2", "street3")
NORTH_AMERICA = ("us", "usa", "united states", "ca", "can", "canada")
GUIDELINE_FILE_SYSTEMS = ("EXT2", "EXT3", "FAT32")
UNSIGNED_DESTINATIONS = ("ebs-snapshot", "glacier")


def _manifest(text: str) -> Any:
    """The manifest with every scalar as text (`eraseDevice: yes` stays "yes", as a server reads it)."""
    try:
        return yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return None


# L3: a job in progress can still be canceled.
def _cancel_in_progress(cancel_job):
    def cancel(self, owner, job_id, now):
        job = self.live_job(owner, job_id, now)
        if job.progress_code == "InProgress":
            self.store.set_status(job_id, {"progress_code": "Canceled"})
            announce(STARTED_JOBS_CANCELABLE)
            return
        cancel_job(self, owner, job_id, now)
    return cancel


# L4: GetStatus on a canceled job answers CanceledJobIdException.
def _canceled_status_error(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
    root = parse(response.body) if not response.is_error else None
    if root is None or operation_of(root) != "GetStatus":
        return response
    if [element.text for element in elements(root, "ProgressCode")] != ["Canceled"]:
        return response
    job_id = next((element.text for element in elements(root, "JobId")), "")
    return error_answer(400, "CanceledJobIdException", f"The job {job_id} has been canceled")


# L6: an expired job answers GetStatus with ProgressCode Expired, and ListJobs keeps listing it.
def _status_expired(get_status):
    def status(self, owner, job_id, now):
        job = self.store.get_job(job_id)
        if job is not None and job.owner == owner and self.is_expired(job, now):
            announce(EXPIRED_JOBS_KEPT)
            return dataclasses.replace(job, progress_code="Expired")
        return get_status(self, owner, job_id, now)
    return status


def _listing_expired(list_jobs):
    def listed(self, owner, marker, max_jobs, now):
        page = list_jobs(self, owner, marker, max_jobs, float("-inf"))
        if any(self.is_expired(job, now) for job in page.jobs):
            announce(EXPIRED_JOBS_KEPT)
        return page
    return listed


# Finding 1: EBS and Glacier jobs without Signature / SignatureFileContents.
def _unsigned_kind(manifest_text: str) -> bool:
    manifest = _manifest(manifest_text)
    operations = manifest.get("operations") if isinstance(manifest, dict) else None
    destinations = [item.get("destination") for item in operations or [] if isinstance(item, dict)] \
        if isinstance(operations, list) else []
    return any(destination in UNSIGNED_DESTINATIONS for destination in destinations)


_DROP_SIGNATURE = remove(["Signature", "SignatureFileContents"], operations=["CreateJob", "GetStatus"])


def _ebs_glacier_unsigned(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
    root = parse(response.body) if not response.is_error else None
    if root is None or operation_of(root) not in ("CreateJob", "GetStatus"):
        return response
    manifest = values(request).get("Manifest", "") if operation_of(root) == "CreateJob" else \
        next((element.text or "" for element in elements(root, "CurrentManifest")), "")
    return _DROP_SIGNATURE(request, response) if _unsigned_kind(manifest) else response


# P11: GetShippingLabel needs an address.
def _label_without_address(params: list) -> str | None:
    present = dict(params)
    if (present.get("Action") or present.get("Operation")) != "GetShippingLabel":
        return None
    return None if any(name in present for name in ADDRESS_FIELDS) else "name must be specified"


# M6, M7: stricter manifest readings, refused before the mock sees them.
def _strict_manifest(params: list) -> tuple | None:
    present = dict(params)
    if (present.get("Action") or present.get("Operation")) not in ("CreateJob", "UpdateJob"):
        return None
    manifest = _manifest(present.get("Manifest", ""))
    if not isinstance(manifest, dict):
        return None
    erase = manifest.get("eraseDevice")
    if isinstance(erase, str) and erase not in ("yes", "no"):
        return "InvalidManifestFieldException", f"eraseDevice must be yes or no, not {erase}"
    if manifest.get("fileSystem") in GUIDELINE_FILE_SYSTEMS:
        return "InvalidFileSystemException", f"The file system {manifest['fileSystem']} is not supported"
    address = manifest.get("returnAddress")
    if isinstance(address, dict) and "stateOrProvince" not in address \
            and str(address.get("country", "")).strip().lower() not in NORTH_AMERICA:
        return "MissingManifestFieldException", "returnAddress.stateOrProvince must be specified"
    return None


def _refuse_strict_manifest(request: ProxyRequest, backend) -> ProxyResponse | None:
    params = request.params()
    refused = _strict_manifest(params) if params is not None else None
    if refused is None:
        return None
    code, message = refused
    return reject_authentic(lambda checked: message, code)(request, backend)


# M1, M2: duplicate manifest keys as an invalid field; no warning for a 1.x manifest.
def _has_duplicate_keys(text: str) -> bool:
    try:
        nodes = [yaml.compose(text, Loader=yaml.SafeLoader)]
    except yaml.YAMLError:
        return False
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                return True
            nodes += [value for _, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
    return False


_DUPLICATE_KEYS = recode(code_map({"MalformedManifestException": ("InvalidManifestFieldException", None)},
                                  lambda request: _has_duplicate_keys(values(request).get("Manifest", ""))))
_NO_WARNING = remove(["WarningMessage"])


def _manifest_readings(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
    response = _DUPLICATE_KEYS(request, response)
    return _NO_WARNING(request, response) if b"WarningMessage" in response.body else response


# W15: no size limit the suite can reach (16 MiB for bodies and manifests).
def _large_body(read_body):
    def read_large_body(request):
        body = request.stream.read(LARGE_LIMIT_BYTES + 1)
        if len(body) > 1024 * 1024:
            announce(LARGE_REQUESTS)
        return body
    return read_large_body


def _large_manifest(validate_manifest):
    def validate(text, **options):
        if len(text.encode("utf-8")) > options["max_manifest_bytes"]:
            announce(LARGE_REQUESTS)
        return validate_manifest(text, **{**options, "max_manifest_bytes": LARGE_LIMIT_BYTES})
    return validate


JOB_VARIANTS = (
    Variant(STARTED_JOBS_CANCELABLE, "reading",
            "CancelJob succeeds for a job InProgress (only Complete and later refuse)",
            "L3", patch=replace_seam(f"{_JOBS}.cancel_job", _cancel_in_progress,
                                     uses=(f"{_JOBS}.live_job", f"{_STORE}.set_status"))),
    Variant("variant.reading.canceled_status_error", "reading",
            "GetStatus on a canceled job answers 400 CanceledJobIdException",
            "L4", response=_canceled_status_error),
    Variant(EXPIRED_JOBS_KEPT, "reading",
            "GetStatus on an expired job answers 200 with ProgressCode Expired; ListJobs keeps listing expired jobs",
            "L6", patch=SeamPatch((Seam(f"{_JOBS}.get_status", _status_expired),
                                   Seam(f"{_JOBS}.list_jobs", _listing_expired)),
                                  uses=(f"{_STORE}.get_job", f"{_JOBS}.is_expired"))),
    Variant("variant.reading.ebs_glacier_unsigned", "reading",
            "CreateJob and GetStatus of EBS and Glacier jobs carry no Signature and no SignatureFileContents",
            "issue 8 finding 1 (Signature optional in the model; docs/xsd.md)", response=_ebs_glacier_unsigned),
    Variant("variant.reading.label_needs_address", "reading",
            "GetShippingLabel without any address field is refused with 400 MissingParameterException",
            "P11", request=reject_authentic(_label_without_address, "MissingParameterException")),
    Variant("variant.reading.strict_manifest_values", "reading",
            "eraseDevice other than yes/no: InvalidManifestFieldException; fileSystem EXT2/EXT3/FAT32: "
            "InvalidFileSystemException; no stateOrProvince outside the US and Canada: "
            "MissingManifestFieldException",
            "M6, M7", request=_refuse_strict_manifest),
    Variant("variant.reading.manifest_leniency", "reading",
            "duplicate manifest keys answer InvalidManifestFieldException; a 1.x S3 manifest succeeds without "
            "a WarningMessage",
            "M1, M2", response=_manifest_readings),
    Variant(LARGE_REQUESTS, "reading",
            "bodies and manifests up to 16 MiB are accepted (no 413, no manifest size error)",
            "W15", patch=SeamPatch((Seam("mockserver.protocol.http_request:read_body", _large_body),
                                   Seam("mockserver.backend.jobs:validate_manifest", _large_manifest)))),
)
