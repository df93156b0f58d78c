"""Small value types shared by the mock's modules: the API error, a bucket, a validated manifest.

`ApiError` is raised anywhere in request handling and turned into an `ErrorResponse` by the app;
`BucketInfo` describes a configured bucket; `ManifestSummary` is what manifest validation returns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


class ApiError(Exception):
    """An error the mock answers with an `ErrorResponse` document.

    `code` is the wire `Code` (the botocore shape name for modeled errors), `status` the HTTP status.
    """

    def __init__(self, code: str, message: str, status: int = 400, error_type: str = "Sender"):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.error_type = error_type


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
    return_address: dict = field(default_factory=dict)
    log_bucket: Optional[str] = None
    buckets: list = field(default_factory=list)
    warning: Optional[str] = None
