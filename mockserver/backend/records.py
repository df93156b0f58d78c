"""Value types of the mock's backend: a stored job, a configured bucket, a validated manifest.

`JobRecord` is one row of the job store; `BucketInfo` describes a configured bucket;
`ManifestSummary` is what manifest validation returns. (Errors live in `mockserver.exceptions`.)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class JobRecord:
    """One stored job: what CreateJob/UpdateJob recorded plus its status fields."""

    job_id: str
    owner: str
    job_type: str
    manifest: str
    manifest_kind: str
    signature: str
    created_at: int
    return_address: dict[str, str] = field(default_factory=dict)
    label_bucket: str | None = None
    progress_code: str = "Pending"
    location_code: str = "NotReceived"
    carrier: str | None = None
    tracking_number: str | None = None
    log_bucket: str | None = None
    log_key: str | None = None
    error_count: int = 0

    @property
    def is_canceled(self) -> bool:
        return self.progress_code == "Canceled"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BucketInfo:
    """A bucket the mock knows: who owns it (access key id) and its region."""

    name: str
    owner: str
    region: str


@dataclass
class ManifestSummary:
    """The facts the job store needs from a manifest that passed validation."""

    kind: str  # "s3-import" | "s3-export" | "ebs-import" | "glacier-import"
    manifest_version: str
    return_address: dict[str, Any] = field(default_factory=dict)
    log_bucket: str | None = None
    buckets: list[str] = field(default_factory=list)
    warning: str | None = None


@dataclass(frozen=True)
class CreatedJob:
    """What CreateJob answers: the new (or validate-only) JobId, its type, signature and manifest warning."""

    job_id: str
    job_type: str
    signature: str
    warning: str | None


@dataclass(frozen=True)
class JobPage:
    """One ListJobs page: the caller's jobs newest first, and whether more follow."""

    jobs: list[JobRecord]
    is_truncated: bool


@dataclass(frozen=True)
class ShippingLabel:
    """A rendered label, stored at `/<bucket>/<file_name>` and served from there."""

    bucket: str
    file_name: str

    @property
    def path(self) -> str:
        return f"/{self.bucket}/{self.file_name}"
