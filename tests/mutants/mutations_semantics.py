"""Semantic mutants: paging, ValidateOnly, lifecycle rules, expiry and quota.

Bugs of what the server does (not of how it writes it) are mostly mock patches: each `_patch_*`
runs in the mock's process before the app is built and replaces one function of `mockserver`.
"""
from __future__ import annotations

import dataclasses
import sys

from tests.mutants.mutant import Mutant
from tests.mutants.requestside import drop_param, params_hook, set_param
from tests.mutants.xmlrewrite import retext

_MANIFEST_COLUMNS = ("job_type", "manifest", "manifest_kind", "return_address", "label_bucket", "signature")


def _patch_jobs_oldest_first() -> None:
    from mockserver.backend.store import JobStore
    newest_first = JobStore.jobs_of
    JobStore.jobs_of = lambda self, owner: list(reversed(newest_first(self, owner)))


def _patch_cancel_noop() -> None:
    from mockserver.backend.store import JobStore
    JobStore.cancel_if_pending = lambda self, job_id: True


def _patch_update_noop() -> None:
    from mockserver.backend.store import JobStore
    JobStore.replace_manifest_if_pending = lambda self, updated: True


def _patch_manifest_kept_on_update() -> None:
    from mockserver import actions

    def replace_keeping_manifest(job, **changes):
        changes.pop("manifest", None)
        return dataclasses.replace(job, **changes)
    actions.replace = replace_keeping_manifest


def _patch_jobs_never_expire() -> None:
    from mockserver.backend.jobs import Actions
    Actions._expired = lambda self, job, now: False


def _patch_quota_not_enforced() -> None:
    from mockserver.runtime import RuntimeState
    RuntimeState.jobs_per_day = lambda self, access_key_id: sys.maxsize


def _patch_update_in_any_state() -> None:
    from mockserver import store
    from mockserver.backend.jobs import Actions

    def replace_manifest(self, updated) -> bool:
        values = store._job_values(updated)
        with self._write() as connection:
            cursor = connection.execute(
                f"UPDATE jobs SET {', '.join(f'{c} = ?' for c in _MANIFEST_COLUMNS)} WHERE job_id = ?",
                [values[c] for c in _MANIFEST_COLUMNS] + [updated.job_id],
            )
        return cursor.rowcount == 1
    Actions._updatable_job = Actions._live_job
    store.JobStore.replace_manifest_if_pending = replace_manifest


def _patch_cancel_in_any_state() -> None:
    from mockserver import params
    from mockserver.backend.jobs import Actions

    def cancel_job(self, request):
        job_id = params.required(request.params, "JobId")
        self._live_job(job_id, request)
        self.store.set_status(job_id, {"progress_code": "Canceled"})
        return [("Success", True)]
    Actions.cancel_job = cancel_job


def _is_true(value: str) -> bool:
    return value.lower() == "true"


SEMANTIC_MUTANTS = (
    Mutant("semantics.listjobs_oldest_first", "semantics",
           "ListJobs returns the oldest job first (paging stays consistent)", patch=_patch_jobs_oldest_first),
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
           "CancelJob answers Success but the job stays Pending", patch=_patch_cancel_noop),
    Mutant("semantics.update_does_nothing", "semantics",
           "UpdateJob answers Success but stores nothing", patch=_patch_update_noop),
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
           patch=_patch_manifest_kept_on_update),
    Mutant("semantics.expired_jobs_served", "semantics",
           "jobs never expire: no ExpiredJobIdException, still listed after 30 days", patch=_patch_jobs_never_expire),
    Mutant("semantics.quota_not_enforced", "semantics",
           "the daily CreateJob quota is never enforced", patch=_patch_quota_not_enforced),
    Mutant("semantics.update_after_processing_started", "semantics",
           "UpdateJob succeeds whatever the job's ProgressCode", patch=_patch_update_in_any_state),
    Mutant("semantics.cancel_after_completion", "semantics",
           "CancelJob succeeds whatever the job's ProgressCode (even Complete)", patch=_patch_cancel_in_any_state),
)
