"""Where the mock learns about buckets and keeps shipping labels: its configuration, or a real S3 API.

`ConfigBuckets` (the default) answers from the configuration's `buckets` table and keeps label PDFs in
the job store, served by the mock itself at `/<bucket>/<file>`. `S3Buckets` (`--s3-endpoint-url`)
asks an S3 API, acting as the caller with the caller's own key pair (an Import/Export account is an
AWS account; its keys are its S3 keys), and writes each label into the bucket with a presigned GET URL.

How S3's answers map to the manifest's bucket rules (docs/decisions.md S1-S3):
- exists: HeadBucket succeeds, or answers 403 (a bucket someone else owns); 404 means no such bucket.
- owned by the caller: the bucket is among the caller's ListBuckets (S3: "all buckets owned by the
  authenticated sender"). GetBucketAcl's owner id is not used: moto gives every bucket of every
  account the same canonical owner id, so it cannot tell two accounts apart.
- region: GetBucketLocation (an empty LocationConstraint is us-east-1, `EU` is eu-west-1).
Any other S3 failure is `AccessDenied` (403) or `ServiceUnavailable` (503) naming the S3 call, after
one attempt bounded by short timeouts.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import quote

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from mockserver.backend.records import BucketInfo, ShippingLabel
from mockserver.backend.store import JobStore
from mockserver.exceptions import AccessDenied, ApiError, ServiceUnavailable

FOREIGN_OWNER = "(another account)"
S3_CONNECT_TIMEOUT_S = 2
S3_READ_TIMEOUT_S = 5
LABEL_URL_LIFETIME_S = 7 * 24 * 3600
_LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}


class BucketDirectory(Protocol):
    """The buckets a caller's manifest may name, and the place a shipping label goes."""

    def buckets_for(self, caller: str) -> Mapping[str, BucketInfo]:
        """Bucket name -> BucketInfo (owner: an access key id) as seen by `caller`."""

    def publish_label(self, caller: str, label: ShippingLabel, pdf: bytes, host: str) -> str:
        """Keep the label PDF; return the URL a plain HTTP GET downloads it from."""


class ConfigBuckets:
    """The configuration's buckets table; labels kept in the job store and served by the mock."""

    def __init__(self, buckets: Mapping[str, BucketInfo], store: JobStore):
        self.buckets = buckets
        self.store = store

    def buckets_for(self, caller: str) -> Mapping[str, BucketInfo]:
        return self.buckets

    def publish_label(self, caller: str, label: ShippingLabel, pdf: bytes, host: str) -> str:
        self.store.save_label(label.path, pdf)
        return f"http://{host}/{quote(label.bucket, safe='')}/{label.file_name}"


class S3Buckets:
    """Buckets and labels in the S3 API at `endpoint_url`, reached with each caller's own keys."""

    def __init__(self, endpoint_url: str, accounts: Mapping[str, str]):
        self.endpoint_url = endpoint_url
        self.accounts = accounts
        self._session = botocore.session.get_session()
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def buckets_for(self, caller: str) -> Mapping[str, BucketInfo]:
        return _S3BucketView(self._client(caller), caller, self.endpoint_url)

    def publish_label(self, caller: str, label: ShippingLabel, pdf: bytes, host: str) -> str:
        client = self._client(caller)
        key = label.file_name
        _call(self.endpoint_url, "PutObject", label.bucket, lambda: client.put_object(
            Bucket=label.bucket, Key=key, Body=pdf, ContentType="application/pdf"))
        url: str = client.generate_presigned_url(
            "get_object", Params={"Bucket": label.bucket, "Key": key}, ExpiresIn=LABEL_URL_LIFETIME_S
        )
        return url

    def _client(self, caller: str) -> Any:
        with self._lock:
            if caller not in self._clients:
                self._clients[caller] = self._session.create_client(
                    "s3",
                    region_name="us-east-1",
                    endpoint_url=self.endpoint_url,
                    aws_access_key_id=caller,
                    aws_secret_access_key=self.accounts[caller],
                    config=Config(
                        connect_timeout=S3_CONNECT_TIMEOUT_S,
                        read_timeout=S3_READ_TIMEOUT_S,
                        retries={"total_max_attempts": 1},
                        s3={"addressing_style": "path"},
                        signature_version="s3v4",
                    ),
                )
            return self._clients[caller]


class _S3BucketView(Mapping[str, BucketInfo]):
    """The buckets one caller's manifest names, looked up in S3 on first use (one request's view)."""

    def __init__(self, client: Any, caller: str, endpoint_url: str):
        self.client = client
        self.caller = caller
        self.endpoint_url = endpoint_url
        self._known: dict[str, BucketInfo | None] = {}
        self._owned: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._lookup(name) is not None

    def __getitem__(self, name: str) -> BucketInfo:
        info = self._lookup(name)
        if info is None:
            raise KeyError(name)
        return info

    def __iter__(self) -> Iterator[str]:
        return iter([name for name, info in self._known.items() if info is not None])

    def __len__(self) -> int:
        return sum(info is not None for info in self._known.values())

    def _lookup(self, name: str) -> BucketInfo | None:
        if name not in self._known:
            self._known[name] = self._describe(name)
        return self._known[name]

    def _describe(self, name: str) -> BucketInfo | None:
        try:
            self.client.head_bucket(Bucket=name)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                return None
            if status == 403:
                region = error.response["ResponseMetadata"].get("HTTPHeaders", {}).get("x-amz-bucket-region", "")
                return BucketInfo(name=name, owner=FOREIGN_OWNER, region=region)
            raise _s3_failure(self.endpoint_url, "HeadBucket", name, error) from None
        except BotoCoreError as error:
            raise _s3_failure(self.endpoint_url, "HeadBucket", name, error) from None
        owner = self.caller if name in self._owned_buckets() else FOREIGN_OWNER
        location = _call(self.endpoint_url, "GetBucketLocation", name,
                         lambda: self.client.get_bucket_location(Bucket=name))
        constraint = location.get("LocationConstraint")
        return BucketInfo(name=name, owner=owner, region=_LEGACY_LOCATIONS.get(constraint, constraint))

    def _owned_buckets(self) -> set[str]:
        if self._owned is None:
            listing = _call(self.endpoint_url, "ListBuckets", None, self.client.list_buckets)
            self._owned = {bucket["Name"] for bucket in listing.get("Buckets", [])}
        return self._owned


def _call(endpoint_url: str, operation: str, bucket: str | None, call: Any) -> Any:
    try:
        return call()
    except (ClientError, BotoCoreError) as error:
        raise _s3_failure(endpoint_url, operation, bucket, error) from None


def _s3_failure(endpoint_url: str, operation: str, bucket: str | None, error: Exception) -> ApiError:
    on = f" on bucket {bucket}" if bucket else ""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "?")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        message = f"S3 at {endpoint_url} refused {operation}{on}: {code} (HTTP {status})"
        return AccessDenied(message) if status == 403 else ServiceUnavailable(message)
    detail = " ".join(str(error).split())
    return ServiceUnavailable(f"S3 at {endpoint_url} could not be used for {operation}{on}: {detail}")
