"""The six Import/Export actions and the job lifecycle rules (docs/decisions.md L1-L11).

Each action takes the decoded parameters and the authenticated signer and returns the result
members in botocore model order, or raises `ApiError`. Jobs belong to the account that created
them; other accounts get `InvalidJobIdException`. Jobs expire 30 days after creation on the mock
clock, and only `Pending` jobs can be updated or canceled.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass, replace
from typing import Callable, Mapping
from urllib.parse import quote

from mockserver import params as p
from mockserver.config import MockConfig
from mockserver.manifest import validate_manifest
from mockserver.model import ApiError, ManifestSummary
from mockserver.responses import Fields
from mockserver.runtime import SECONDS_PER_DAY, RuntimeState, format_timestamp
from mockserver.status import location_message, progress_message
from mockserver.store import DuplicateJobId, JobRecord, JobStore, QuotaExceeded

JOB_LIFETIME_S = 30 * SECONDS_PER_DAY
VALIDATE_ONLY_SUFFIX = "-VALIDATE-ONLY"
DEFAULT_LABEL_BUCKET = "labels"
_JOB_ID_ALPHABET = string.ascii_uppercase + string.digits
_JOB_ID_ATTEMPTS = 20


@dataclass(frozen=True)
class ActionRequest:
    """One authenticated call: its parameters, the signer's key, the Host header, the mock time."""

    params: Mapping[str, str]
    signer: str
    host: str
    now: float


class Actions:
    """Runs the six operations against the job store."""

    def __init__(self, config: MockConfig, store: JobStore, runtime: RuntimeState):
        self.config = config
        self.store = store
        self.runtime = runtime
        self._signing_secret = store.job_signing_secret()
        self._handlers: dict[str, Callable[[ActionRequest], Fields]] = {
            "CancelJob": self.cancel_job,
            "CreateJob": self.create_job,
            "GetShippingLabel": self.get_shipping_label,
            "GetStatus": self.get_status,
            "ListJobs": self.list_jobs,
            "UpdateJob": self.update_job,
        }

    def run(self, operation: str, request: ActionRequest) -> Fields:
        return self._handlers[operation](request)

    def create_job(self, request: ActionRequest) -> Fields:
        raw_job_type = p.required(request.params, "JobType")
        manifest = p.required(request.params, "Manifest")
        job_type = p.job_type(raw_job_type)
        validate_only = p.validate_only(request.params)
        summary = self._validate_manifest(manifest, job_type, request.signer)
        if validate_only:
            job_id = _new_job_id() + VALIDATE_ONLY_SUFFIX
            signature = self._sign(job_id, manifest)
        else:
            job = self._store_new_job(request, job_type, manifest, summary)
            job_id, signature = job.job_id, job.signature
        return [
            ("JobId", job_id),
            ("JobType", job_type),
            ("Signature", signature),
            ("SignatureFileContents", signature_file_contents(job_id, signature)),
            ("WarningMessage", summary.warning),
        ]

    def update_job(self, request: ActionRequest) -> Fields:
        job_id = p.required(request.params, "JobId")
        manifest = p.required(request.params, "Manifest")
        job_type = p.job_type(p.required(request.params, "JobType"))
        validate_only = p.validate_only(request.params)
        job = self._updatable_job(job_id, request)
        summary = self._validate_manifest(manifest, job_type, request.signer)
        if not validate_only:
            updated = replace(
                job,
                job_type=job_type,
                manifest=manifest,
                signature=self._sign(job_id, manifest),
                **_manifest_facts(summary),
            )
            if not self.store.replace_manifest_if_pending(updated):
                self._updatable_job(job_id, request)
                raise _unable_to_update(job_id)
        return [("Success", True), ("WarningMessage", summary.warning)]

    def cancel_job(self, request: ActionRequest) -> Fields:
        job_id = p.required(request.params, "JobId")
        job = self._live_job(job_id, request)
        if job.progress_code != "Pending" or not self.store.cancel_if_pending(job_id):
            self._live_job(job_id, request)
            raise ApiError(
                "UnableToCancelJobIdException", f"Unable to cancel job {job_id}: the job has already started"
            )
        return [("Success", True)]

    def get_status(self, request: ActionRequest) -> Fields:
        job = self._owned_job(p.required(request.params, "JobId"), request)
        returned = job.location_code == "Returned"
        return [
            ("JobId", job.job_id),
            ("JobType", job.job_type),
            ("LocationCode", job.location_code),
            ("LocationMessage", location_message(job)),
            ("ProgressCode", job.progress_code),
            ("ProgressMessage", progress_message(job)),
            ("Carrier", job.carrier if returned else None),
            ("TrackingNumber", job.tracking_number if returned else None),
            ("LogBucket", job.log_bucket),
            ("LogKey", job.log_key),
            ("ErrorCount", job.error_count),
            ("Signature", job.signature),
            ("SignatureFileContents", signature_file_contents(job.job_id, job.signature)),
            ("CurrentManifest", job.manifest),
            ("CreationDate", format_timestamp(job.created_at)),
        ]

    def list_jobs(self, request: ActionRequest) -> Fields:
        limit = p.max_jobs(request.params)
        jobs = self.store.jobs_of(request.signer)
        start = 0
        if "Marker" in request.params:
            job_ids = [job.job_id for job in jobs]
            marker = request.params["Marker"]
            if marker not in job_ids:
                raise ApiError("InvalidParameterException", f"Marker {marker} is not one of your jobs")
            start = job_ids.index(marker) + 1
        remaining = [job for job in jobs[start:] if not self._expired(job, request.now)]
        page = remaining[:limit]
        members = [
            [
                ("JobId", job.job_id),
                ("CreationDate", format_timestamp(job.created_at)),
                ("IsCanceled", job.is_canceled),
                ("JobType", job.job_type),
            ]
            for job in page
        ]
        return [("Jobs", members), ("IsTruncated", len(remaining) > len(page))]

    def get_shipping_label(self, request: ActionRequest) -> Fields:
        # fpdf2 takes seconds to import; load the label module on the first label, not at startup.
        from mockserver.label import render_shipping_label, validate_address

        job_ids = p.job_ids(request.params)
        jobs = [self._live_job(job_id, request) for job_id in job_ids]
        address = dict(jobs[0].return_address)
        address.update(p.address_overrides(request.params))
        validate_address(address)
        pdf = render_shipping_label(job_ids, address)
        bucket = jobs[0].label_bucket or DEFAULT_LABEL_BUCKET
        file_name = f"shipping-label-{'-'.join(job_ids)}.pdf"
        self.store.save_label(f"/{bucket}/{file_name}", pdf)
        url = f"http://{request.host}/{quote(bucket, safe='')}/{file_name}"
        return [("ShippingLabelURL", url)]

    def _validate_manifest(self, manifest: str, job_type: str, signer: str) -> ManifestSummary:
        return validate_manifest(
            manifest,
            job_type=job_type,
            signer_access_key_id=signer,
            buckets=self.config.buckets,
            max_manifest_bytes=self.config.max_manifest_bytes,
        )

    def _store_new_job(
        self, request: ActionRequest, job_type: str, manifest: str, summary: ManifestSummary
    ) -> JobRecord:
        quota = self.runtime.jobs_per_day(request.signer)
        day_start = int(request.now) - int(request.now) % SECONDS_PER_DAY
        for _ in range(_JOB_ID_ATTEMPTS):
            job_id = _new_job_id()
            job = JobRecord(
                job_id=job_id,
                owner=request.signer,
                job_type=job_type,
                manifest=manifest,
                signature=self._sign(job_id, manifest),
                created_at=int(request.now),
                **_manifest_facts(summary),
            )
            try:
                return self.store.insert_job(job, quota, day_start)
            except DuplicateJobId:
                continue
            except QuotaExceeded:
                raise ApiError(
                    "CreateJobQuotaExceededException",
                    f"You have reached the limit of {quota} jobs per day; "
                    "contact awsimportexport@amazon.com to create more",
                ) from None
        raise RuntimeError("could not draw an unused JobId")

    def _owned_job(self, job_id: str, request: ActionRequest) -> JobRecord:
        """The caller's job, not expired; otherwise InvalidJobId/ExpiredJobId."""
        job = self.store.get_job(job_id)
        if job is None or job.owner != request.signer:
            raise ApiError("InvalidJobIdException", f"No such job {job_id} for your account")
        if self._expired(job, request.now):
            raise ApiError("ExpiredJobIdException", f"The job {job_id} has expired")
        return job

    def _live_job(self, job_id: str, request: ActionRequest) -> JobRecord:
        """The caller's job, neither expired nor canceled."""
        job = self._owned_job(job_id, request)
        if job.is_canceled:
            raise ApiError("CanceledJobIdException", f"The job {job_id} has been canceled")
        return job

    def _updatable_job(self, job_id: str, request: ActionRequest) -> JobRecord:
        job = self._live_job(job_id, request)
        if job.progress_code != "Pending":
            raise _unable_to_update(job_id)
        return job

    def _expired(self, job: JobRecord, now: float) -> bool:
        return now - job.created_at >= JOB_LIFETIME_S

    def _sign(self, job_id: str, manifest: str) -> str:
        return job_signature(self._signing_secret, job_id, manifest)


def job_signature(secret: bytes, job_id: str, manifest: str) -> str:
    """Base64 HMAC-SHA1 over the JobId and the manifest: the device's SIGNATURE value."""
    digest = hmac.new(secret, (job_id + manifest).encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_file_contents(job_id: str, signature: str) -> str:
    return f"version:2.0\nsigningMethod:HmacSHA1\njobId:{job_id}\nsignature:{signature}"


def _manifest_facts(summary: ManifestSummary) -> dict:
    return {
        "manifest_kind": summary.kind,
        "return_address": {str(k): str(v) for k, v in summary.return_address.items() if v is not None},
        "label_bucket": summary.buckets[0] if summary.buckets else None,
    }


def _unable_to_update(job_id: str) -> ApiError:
    return ApiError(
        "UnableToUpdateJobIdException", f"Unable to update job {job_id}: the job has already started"
    )


def _new_job_id() -> str:
    return "".join(secrets.choice(_JOB_ID_ALPHABET) for _ in range(5))
