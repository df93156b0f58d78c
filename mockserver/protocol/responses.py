"""One handler per action (moto's `responses.py`): read and check the parameters, call the backend
with typed arguments, and lay out what it returns as the result members in botocore model order.

`serialize.success_response` turns the members into the `<Op>Response` document. Parameter faults are
raised by `protocol.params` in the order the parameters are read here.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mockserver.backend.jobs import JobsBackend, signature_file_contents
from mockserver.backend.progress import location_message, progress_message
from mockserver.protocol import params as p
from mockserver.protocol.serialize import Fields
from mockserver.runtime import format_timestamp


@dataclass(frozen=True)
class ApiCall:
    """One authenticated call: its parameters, the signer's access key id, the Host header, the mock time."""

    params: Mapping[str, str]
    signer: str
    host: str
    now: float


class ImportExportResponses:
    """The six actions' handlers over one `JobsBackend`."""

    def __init__(self, backend: JobsBackend):
        self.backend = backend
        self._handlers: dict[str, Callable[[ApiCall], Fields]] = {
            "CancelJob": self.cancel_job,
            "CreateJob": self.create_job,
            "GetShippingLabel": self.get_shipping_label,
            "GetStatus": self.get_status,
            "ListJobs": self.list_jobs,
            "UpdateJob": self.update_job,
        }

    def dispatch(self, operation: str, call: ApiCall) -> Fields:
        """The result members of `operation` (one of `params.OPERATIONS`)."""
        return self._handlers[operation](call)

    def create_job(self, call: ApiCall) -> Fields:
        raw_job_type = p.required(call.params, "JobType")
        manifest = p.required(call.params, "Manifest")
        job_type = p.job_type(raw_job_type)
        validate_only = p.validate_only(call.params)
        created = self.backend.create_job(call.signer, job_type, manifest, validate_only, call.now)
        return [
            ("JobId", created.job_id),
            ("JobType", created.job_type),
            ("Signature", created.signature),
            ("SignatureFileContents", signature_file_contents(created.job_id, created.signature)),
            ("WarningMessage", created.warning),
        ]

    def update_job(self, call: ApiCall) -> Fields:
        job_id = p.required(call.params, "JobId")
        manifest = p.required(call.params, "Manifest")
        job_type = p.job_type(p.required(call.params, "JobType"))
        validate_only = p.validate_only(call.params)
        warning = self.backend.update_job(call.signer, job_id, job_type, manifest, validate_only, call.now)
        return [("Success", True), ("WarningMessage", warning)]

    def cancel_job(self, call: ApiCall) -> Fields:
        self.backend.cancel_job(call.signer, p.required(call.params, "JobId"), call.now)
        return [("Success", True)]

    def get_status(self, call: ApiCall) -> Fields:
        job = self.backend.get_status(call.signer, p.required(call.params, "JobId"), call.now)
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

    def list_jobs(self, call: ApiCall) -> Fields:
        max_jobs = p.max_jobs(call.params)
        page = self.backend.list_jobs(call.signer, call.params.get("Marker"), max_jobs, call.now)
        members: list[Fields] = [
            [
                ("JobId", job.job_id),
                ("CreationDate", format_timestamp(job.created_at)),
                ("IsCanceled", job.is_canceled),
                ("JobType", job.job_type),
            ]
            for job in page.jobs
        ]
        return [("Jobs", members), ("IsTruncated", page.is_truncated)]

    def get_shipping_label(self, call: ApiCall) -> Fields:
        job_ids = p.job_ids(call.params)
        url = self.backend.get_shipping_label(
            call.signer, job_ids, p.address_overrides(call.params), call.now, call.host
        )
        return [("ShippingLabelURL", url)]
