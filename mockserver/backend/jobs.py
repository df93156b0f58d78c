"""The job backend: the six operations' rules over the job store (docs/decisions.md L1-L11).

`JobsBackend` takes typed arguments (the protocol layer has read and checked the parameters) and
returns records, or raises an exception from `mockserver.exceptions`. Jobs belong to the account that
created them; other accounts get `InvalidJobIdException`. Jobs expire 30 days after creation on the
mock clock, and only `Pending` jobs can be updated or canceled. The public methods are also the seams
that the patched-mock mutants replace (tests/mutants), so each is documented by what it decides.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from mockserver.backend.buckets import BucketDirectory
from mockserver.backend.records import CreatedJob, JobPage, JobRecord, ManifestSummary, ShippingLabel
from mockserver.backend.store import DuplicateJobId, JobStore, QuotaExceeded
from mockserver.config import MockConfig
from mockserver.exceptions import (
    CanceledJobIdException,
    CreateJobQuotaExceededException,
    ExpiredJobIdException,
    InvalidJobIdException,
    InvalidParameterException,
    UnableToCancelJobIdException,
    UnableToUpdateJobIdException,
)
from mockserver.manifest.validation import validate_manifest
from mockserver.runtime import SECONDS_PER_DAY, RuntimeState

JOB_LIFETIME_S = 30 * SECONDS_PER_DAY
VALIDATE_ONLY_SUFFIX = "-VALIDATE-ONLY"
DEFAULT_LABEL_BUCKET = "labels"
_JOB_ID_ALPHABET = string.ascii_uppercase + string.digits
_JOB_ID_ATTEMPTS = 20


class JobsBackend:
    """Import/Export jobs: creation, update, cancellation, status, listing and shipping labels."""

    def __init__(self, config: MockConfig, store: JobStore, runtime: RuntimeState, buckets: BucketDirectory):
        self.config = config
        self.store = store
        self.runtime = runtime
        self.buckets = buckets
        self._signing_secret = store.job_signing_secret()

    def create_job(self, owner: str, job_type: str, manifest: str, validate_only: bool, now: float) -> CreatedJob:
        """Validate the manifest and store a new Pending job (or, with `validate_only`, only name one)."""
        summary = self._validate_manifest(manifest, job_type, owner)
        if validate_only:
            job_id = _new_job_id() + VALIDATE_ONLY_SUFFIX
            return CreatedJob(job_id, job_type, self._sign(job_id, manifest), summary.warning)
        job = self._store_new_job(owner, job_type, manifest, summary, now)
        return CreatedJob(job.job_id, job.job_type, job.signature, summary.warning)

    def bulk_create(self, owner: str, job_type: str, manifest: str, count: int, now: float) -> int:
        """Store `count` Pending jobs of `owner` at once, all with this (validated) manifest, created at
        `now`, outside the daily quota: the control API's bulk load for scale tests. How many were stored."""
        summary = self._validate_manifest(manifest, job_type, owner)
        stored = 0
        while stored < count:
            job_ids = {_new_job_id() for _ in range(count - stored)}
            jobs = [JobRecord(job_id=job_id, owner=owner, job_type=job_type, manifest=manifest,
                              signature=self._sign(job_id, manifest), created_at=int(now), **_manifest_facts(summary))
                    for job_id in job_ids]
            stored += self.store.insert_jobs(owner, jobs, int(now) - int(now) % SECONDS_PER_DAY)
        return stored

    def update_job(
        self, owner: str, job_id: str, job_type: str, manifest: str, validate_only: bool, now: float
    ) -> str | None:
        """Replace a Pending job's manifest and type (unless `validate_only`); return the manifest warning."""
        job = self.updatable_job(owner, job_id, now)
        summary = self._validate_manifest(manifest, job_type, owner)
        if not validate_only:
            updated = self.updated_job(job, job_type, manifest, summary)
            if not self.store.replace_manifest_if_pending(updated):
                self.updatable_job(owner, job_id, now)
                raise _unable_to_update(job_id)
        return summary.warning

    def cancel_job(self, owner: str, job_id: str, now: float) -> None:
        """Cancel a Pending job; a job that has started cannot be canceled."""
        job = self.live_job(owner, job_id, now)
        if job.progress_code != "Pending" or not self.store.cancel_if_pending(job_id):
            self.live_job(owner, job_id, now)
            raise UnableToCancelJobIdException(f"Unable to cancel job {job_id}: the job has already started")

    def get_status(self, owner: str, job_id: str, now: float) -> JobRecord:
        """The caller's job as stored (canceled jobs included), unless it expired."""
        return self.owned_job(owner, job_id, now)

    def list_jobs(self, owner: str, marker: str | None, max_jobs: int, now: float) -> JobPage:
        """The caller's unexpired jobs newest first, after `marker` (a JobId of theirs), at most `max_jobs`."""
        if marker is not None:
            marked = self.store.get_job(marker)
            if marked is None or marked.owner != owner:
                raise InvalidParameterException(f"Marker {marker} is not one of your jobs")
        page: list[JobRecord] = []
        for job in self.store.jobs_of(owner, after=marker, chunk=max_jobs + 1):
            if self.is_expired(job, now):
                continue
            if len(page) == max_jobs:
                return JobPage(page, True)
            page.append(job)
        return JobPage(page, False)

    def warm_up(self) -> None:
        """Import the label renderer and draw one throwaway label, so the first real label is not slow."""
        from mockserver.backend.shipping_label import warm_up

        warm_up()

    def get_shipping_label(
        self, owner: str, job_ids: list[str], address_overrides: Mapping[str, str], now: float, host: str
    ) -> str:
        """Render one PDF label for live jobs of the caller (the first job's return address, overridden
        field by field), keep it in the first job's label bucket (decision S4) and return its URL.
        `host` is the Host the request was sent to (the mock serves its own labels there)."""
        # fpdf2 takes a second or two to import: imported here, or by `warm_up` before the server serves.
        from mockserver.backend.shipping_label import render_shipping_label, validate_address

        jobs = [self.live_job(owner, job_id, now) for job_id in job_ids]
        address = dict(jobs[0].return_address)
        address.update(address_overrides)
        validate_address(address)
        pdf = render_shipping_label(job_ids, address)
        label = ShippingLabel(jobs[0].label_bucket or DEFAULT_LABEL_BUCKET, f"shipping-label-{'-'.join(job_ids)}.pdf")
        return self.buckets.publish_label(owner, label, pdf, host)

    def is_expired(self, job: JobRecord, now: float) -> bool:
        """Whether `job` is 30 days old or older at mock time `now` (then it is neither served nor listed)."""
        return now - job.created_at >= JOB_LIFETIME_S

    def owned_job(self, owner: str, job_id: str, now: float) -> JobRecord:
        """The caller's job, not expired; otherwise InvalidJobIdException or ExpiredJobIdException."""
        job = self.store.get_job(job_id)
        if job is None or job.owner != owner:
            raise InvalidJobIdException(f"No such job {job_id} for your account")
        if self.is_expired(job, now):
            raise ExpiredJobIdException(f"The job {job_id} has expired")
        return job

    def live_job(self, owner: str, job_id: str, now: float) -> JobRecord:
        """The caller's job, neither expired nor canceled (else CanceledJobIdException)."""
        job = self.owned_job(owner, job_id, now)
        if job.is_canceled:
            raise CanceledJobIdException(f"The job {job_id} has been canceled")
        return job

    def updatable_job(self, owner: str, job_id: str, now: float) -> JobRecord:
        """A live job of the caller that is still Pending (else UnableToUpdateJobIdException)."""
        job = self.live_job(owner, job_id, now)
        if job.progress_code != "Pending":
            raise _unable_to_update(job_id)
        return job

    def updated_job(self, job: JobRecord, job_type: str, manifest: str, summary: ManifestSummary) -> JobRecord:
        """The record UpdateJob stores: the new type and manifest, their signature and manifest facts."""
        return replace(
            job,
            job_type=job_type,
            manifest=manifest,
            signature=self._sign(job.job_id, manifest),
            **_manifest_facts(summary),
        )

    def _validate_manifest(self, manifest: str, job_type: str, signer: str) -> ManifestSummary:
        return validate_manifest(
            manifest,
            job_type=job_type,
            signer_access_key_id=signer,
            buckets=self.buckets.buckets_for(signer),
            max_manifest_bytes=self.config.max_manifest_bytes,
        )

    def _store_new_job(
        self, owner: str, job_type: str, manifest: str, summary: ManifestSummary, now: float
    ) -> JobRecord:
        quota = self.runtime.jobs_per_day(owner)
        day_start = int(now) - int(now) % SECONDS_PER_DAY
        for _ in range(_JOB_ID_ATTEMPTS):
            job_id = _new_job_id()
            job = JobRecord(
                job_id=job_id,
                owner=owner,
                job_type=job_type,
                manifest=manifest,
                signature=self._sign(job_id, manifest),
                created_at=int(now),
                **_manifest_facts(summary),
            )
            try:
                return self.store.insert_job(job, quota, day_start)
            except DuplicateJobId:
                continue
            except QuotaExceeded:
                raise CreateJobQuotaExceededException(
                    f"You have reached the limit of {quota} jobs per day; "
                    "contact awsimportexport@amazon.com to create more",
                ) from None
        raise RuntimeError("could not draw an unused JobId")

    def _sign(self, job_id: str, manifest: str) -> str:
        return job_signature(self._signing_secret, job_id, manifest)


def job_signature(secret: bytes, job_id: str, manifest: str) -> str:
    """Base64 HMAC-SHA1 over the JobId and the manifest: the device's SIGNATURE value."""
    digest = hmac.new(secret, (job_id + manifest).encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_file_contents(job_id: str, signature: str) -> str:
    """The SIGNATURE file a customer copies onto the device."""
    return f"version:2.0\nsigningMethod:HmacSHA1\njobId:{job_id}\nsignature:{signature}"


def _manifest_facts(summary: ManifestSummary) -> dict[str, Any]:
    return {
        "manifest_kind": summary.kind,
        "return_address": {str(k): str(v) for k, v in summary.return_address.items() if v is not None},
        "label_bucket": summary.buckets[0] if summary.buckets else None,
    }


def _unable_to_update(job_id: str) -> UnableToUpdateJobIdException:
    return UnableToUpdateJobIdException(f"Unable to update job {job_id}: the job has already started")


def _new_job_id() -> str:
    return "".join(secrets.choice(_JOB_ID_ALPHABET) for _ in range(5))
