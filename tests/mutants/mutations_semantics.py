"""Semantic mutants: paging, ValidateOnly, lifecycle rules, expiry and quota.

Bugs of what the server does (not of how it writes it) are mostly mock patches: each replaces named,
documented public seams of the backend (`tests/mutants/seams.py`) in the mock's process before the
app is built, keeping one rule of the original out.
"""
from __future__ import annotations

import dataclasses
import sys

from tests.mutants.mutant import Mutant
from tests.mutants.requestside import drop_param, params_hook, set_param
from tests.mutants.seams import Seam, SeamPatch, replace_seam
from tests.mutants.xmlrewrite import retext

_JOBS = "mockserver.backend.jobs:JobsBackend"
_STORE = "mockserver.backend.store:JobStore"


def _oldest_first(newest_first):
    """The account's jobs oldest first, from just after the job `after` in that order."""
    def oldest_first(self, owner, after=None, chunk=64):
        jobs = list(reversed(list(newest_first(self, owner))))
        job_ids = [job.job_id for job in jobs]
        return iter(jobs[job_ids.index(after) + 1:] if after in job_ids else jobs)
    return oldest_first


def _manifest_kept(updated_job):
    """UpdateJob's record with the new type and signature, but the old manifest."""
    def kept(self, job, job_type, manifest, summary):
        return dataclasses.replace(updated_job(self, job, job_type, manifest, summary), manifest=job.manifest)
    return kept


def _faulty_manifest_stored(update_job):
    """UpdateJob refuses a faulty manifest with the right error, but stores its text all the same."""
    def update_job_storing_faulty(self, owner, job_id, job_type, manifest, validate_only, now):
        try:
            return update_job(self, owner, job_id, job_type, manifest, validate_only, now)
        except Exception:  # the refusal, whatever its code, is answered as before
            job = self.store.get_job(job_id)
            if job is not None and job.owner == owner and not validate_only:
                self.store.replace_manifest_if_pending(dataclasses.replace(job, manifest=manifest))
            raise
    return update_job_storing_faulty


def _replaced_in_any_state(replace_if_pending):
    """Store the new manifest whatever the job's ProgressCode (made Pending for the write, then restored)."""
    def replace_manifest(self, updated):
        job = self.get_job(updated.job_id)
        if job is None:
            return replace_if_pending(self, updated)
        self.set_status(updated.job_id, {"progress_code": "Pending"})
        replaced = replace_if_pending(self, updated)
        self.set_status(updated.job_id, {"progress_code": job.progress_code})
        return replaced
    return replace_manifest


def _canceled_in_any_state(cancel_job):
    def cancel_in_any_state(self, owner, job_id, now):
        self.live_job(owner, job_id, now)
        self.store.set_status(job_id, {"progress_code": "Canceled"})
    return cancel_in_any_state


_OLDEST_FIRST = replace_seam(f"{_STORE}.jobs_of", _oldest_first)
_CANCEL_NOOP = replace_seam(f"{_STORE}.cancel_if_pending", lambda original: lambda self, job_id: True)
_UPDATE_NOOP = replace_seam(f"{_STORE}.replace_manifest_if_pending", lambda original: lambda self, updated: True)
_MANIFEST_KEPT = replace_seam(f"{_JOBS}.updated_job", _manifest_kept)
_FAULTY_MANIFEST_STORED = replace_seam(
    f"{_JOBS}.update_job", _faulty_manifest_stored, uses=(f"{_STORE}.get_job", f"{_STORE}.replace_manifest_if_pending")
)
_NEVER_EXPIRE = replace_seam(f"{_JOBS}.is_expired", lambda original: lambda self, job, now: False)
_NO_QUOTA = replace_seam(
    "mockserver.runtime:RuntimeState.jobs_per_day", lambda original: lambda self, access_key_id: sys.maxsize
)
_CANCEL_IN_ANY_STATE = replace_seam(
    f"{_JOBS}.cancel_job", _canceled_in_any_state, uses=(f"{_JOBS}.live_job", f"{_STORE}.set_status")
)
_UPDATE_IN_ANY_STATE = SeamPatch(
    (
        Seam(f"{_JOBS}.updatable_job", lambda updatable_job: lambda self, owner, job_id, now:
             self.live_job(owner, job_id, now)),
        Seam(f"{_STORE}.replace_manifest_if_pending", _replaced_in_any_state),
    ),
    uses=(f"{_JOBS}.live_job", f"{_STORE}.get_job", f"{_STORE}.set_status"),
)


def _is_true(value: str) -> bool:
    return value.lower() == "true"


SEMANTIC_MUTANTS = (
    Mutant("semantics.listjobs_oldest_first", "semantics",
           "ListJobs returns the oldest job first (paging stays consistent)", patch=_OLDEST_FIRST),
    Mutant("semantics.is_truncated_always_false", "semantics", "ListJobs IsTruncated is always false",
           response=retext(["IsTruncated"], lambda text: "false", operations=["ListJobs"])),
    Mutant("semantics.is_truncated_always_true", "semantics", "ListJobs IsTruncated is always true",
           response=retext(["IsTruncated"], lambda text: "true", operations=["ListJobs"])),
    Mutant("semantics.marker_ignored", "semantics", "ListJobs ignores Marker (always the first page)",
           request=params_hook(drop_param("Marker"), ["ListJobs"])),
    Mutant("semantics.max_jobs_ignored", "semantics", "ListJobs ignores MaxJobs (always the default page)",
           request=params_hook(drop_param("MaxJobs"), ["ListJobs"])),
    Mutant("semantics.validate_only_ignored", "semantics",
           "CreateJob ignores ValidateOnly=true and creates a real job",
           request=params_hook(set_param("ValidateOnly", "false", _is_true), ["CreateJob"])),
    Mutant("semantics.cancel_does_nothing", "semantics",
           "CancelJob answers Success but the job stays Pending", patch=_CANCEL_NOOP),
    Mutant("semantics.update_does_nothing", "semantics",
           "UpdateJob answers Success but stores nothing", patch=_UPDATE_NOOP),
    Mutant("semantics.listjobs_canceled_not_flagged", "semantics", "ListJobs says IsCanceled false for canceled jobs",
           response=retext(["IsCanceled"], lambda text: "false", operations=["ListJobs"])),
    Mutant("semantics.getstatus_canceled_shows_pending", "semantics",
           "GetStatus shows ProgressCode Pending for a canceled job",
           response=retext(["ProgressCode"], lambda text: "Pending" if text == "Canceled" else text,
                           operations=["GetStatus"])),
    Mutant("semantics.label_without_url", "semantics", "GetShippingLabel answers an empty ShippingLabelURL",
           response=retext(["ShippingLabelURL"], lambda text: "", operations=["GetShippingLabel"])),
    Mutant("semantics.current_manifest_not_updated", "semantics",
           "UpdateJob changes JobType and signature but GetStatus keeps the old CurrentManifest",
           patch=_MANIFEST_KEPT),
    Mutant("semantics.update_stores_faulty_manifest", "semantics",
           "UpdateJob answers the manifest error but stores the faulty manifest", patch=_FAULTY_MANIFEST_STORED),
    Mutant("semantics.expired_jobs_served", "semantics",
           "jobs never expire: no ExpiredJobIdException, still listed after 30 days",
           patch=_NEVER_EXPIRE),
    Mutant("semantics.quota_not_enforced", "semantics",
           "the daily CreateJob quota is never enforced", patch=_NO_QUOTA),
    Mutant("semantics.update_after_processing_started", "semantics",
           "UpdateJob succeeds whatever the job's ProgressCode", patch=_UPDATE_IN_ANY_STATE),
    Mutant("semantics.cancel_after_completion", "semantics",
           "CancelJob succeeds whatever the job's ProgressCode (even Complete)", patch=_CANCEL_IN_ANY_STATE),
)
