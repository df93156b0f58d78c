"""The mock's configuration: accounts, buckets and limits, loaded and checked from YAML.

`load_config()` reads the bundled `default_config.yaml`, or the file given with `--config`, which
replaces it. Every problem becomes a `ConfigError` naming the file and the offending field, so the
command line can report it on one line.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from mockserver.backend.records import BucketInfo

DEFAULT_CONFIG_NAME = "default_config.yaml"
DEFAULT_JOBS_PER_DAY = 50
DEFAULT_MAX_MANIFEST_BYTES = 65536


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class MockConfig:
    """Accounts (access key id -> secret), buckets by name, the limits, and an optional S3 API.

    With `s3_endpoint_url`, buckets come from that S3 API and `buckets` is not used.
    """

    accounts: dict[str, str]
    buckets: dict[str, BucketInfo] = field(default_factory=dict)
    jobs_per_day: int = DEFAULT_JOBS_PER_DAY
    max_manifest_bytes: int = DEFAULT_MAX_MANIFEST_BYTES
    s3_endpoint_url: str | None = None

    def with_jobs_per_day(self, jobs_per_day: int) -> MockConfig:
        """A copy whose daily CreateJob quota is `jobs_per_day`."""
        return replace(self, jobs_per_day=jobs_per_day)

    def with_s3_endpoint_url(self, s3_endpoint_url: str) -> MockConfig:
        """A copy whose buckets and labels live in the S3 API at `s3_endpoint_url`."""
        return replace(self, s3_endpoint_url=s3_endpoint_url)


def load_config(path: Path | None = None) -> MockConfig:
    """Load `path`, or the bundled default configuration when `path` is None."""
    if path is None:
        source = f"<bundled {DEFAULT_CONFIG_NAME}>"
        text = resources.files("mockserver").joinpath(DEFAULT_CONFIG_NAME).read_text("utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config {source}: cannot read the file ({exc})") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"config {source}: not valid YAML ({_one_line(exc)})") from None
    return _ConfigReader(source).read(document)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


class _ConfigReader:
    """Checks one parsed configuration document field by field."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, field_name: str, problem: str) -> ConfigError:
        return ConfigError(f"config {self.source}: field {field_name}: {problem}")

    def read(self, document: Any) -> MockConfig:
        if not isinstance(document, dict):
            raise ConfigError(f"config {self.source}: the file must hold a mapping with 'accounts'")
        unknown = sorted(set(map(str, document)) - {"accounts", "buckets", "limits", "s3_endpoint_url"})
        if unknown:
            raise self.fail(unknown[0], "unknown field (expected accounts, buckets, limits, s3_endpoint_url)")
        accounts = self.read_accounts(document.get("accounts"))
        buckets = self.read_buckets(document.get("buckets", []), accounts)
        jobs_per_day, max_manifest_bytes = self.read_limits(document.get("limits", {}))
        s3_endpoint_url = None
        if "s3_endpoint_url" in document:
            s3_endpoint_url = check_s3_endpoint_url(document["s3_endpoint_url"], self.fail)
        return MockConfig(accounts, buckets, jobs_per_day, max_manifest_bytes, s3_endpoint_url)

    def read_accounts(self, value: Any) -> dict[str, str]:
        if not isinstance(value, list) or not value:
            raise self.fail("accounts", "must be a non-empty list of {access_key_id, secret_access_key}")
        accounts: dict[str, str] = {}
        for index, entry in enumerate(value):
            where = f"accounts[{index}]"
            self.require_mapping(entry, where, {"access_key_id", "secret_access_key"})
            key_id = self.require_text(entry, where, "access_key_id")
            secret = self.require_text(entry, where, "secret_access_key")
            if key_id in accounts:
                raise self.fail(f"{where}.access_key_id", f"duplicate access key id {key_id!r}")
            accounts[key_id] = secret
        return accounts

    def read_buckets(self, value: Any, accounts: dict[str, str]) -> dict[str, BucketInfo]:
        if not isinstance(value, list):
            raise self.fail("buckets", "must be a list of {name, owner, region}")
        buckets: dict[str, BucketInfo] = {}
        for index, entry in enumerate(value):
            where = f"buckets[{index}]"
            self.require_mapping(entry, where, {"name", "owner", "region"})
            name = self.require_text(entry, where, "name")
            owner = self.require_text(entry, where, "owner")
            region = self.require_text(entry, where, "region")
            if owner not in accounts:
                raise self.fail(f"{where}.owner", f"{owner!r} is not the access_key_id of an account")
            if name in buckets:
                raise self.fail(f"{where}.name", f"duplicate bucket {name!r}")
            buckets[name] = BucketInfo(name=name, owner=owner, region=region)
        return buckets

    def read_limits(self, value: Any) -> tuple[int, int]:
        if not isinstance(value, dict):
            raise self.fail("limits", "must be a mapping {jobs_per_day, max_manifest_bytes}")
        unknown = sorted(set(map(str, value)) - {"jobs_per_day", "max_manifest_bytes"})
        if unknown:
            raise self.fail(f"limits.{unknown[0]}", "unknown field")
        jobs_per_day = value.get("jobs_per_day", DEFAULT_JOBS_PER_DAY)
        max_manifest_bytes = value.get("max_manifest_bytes", DEFAULT_MAX_MANIFEST_BYTES)
        if not _is_int(jobs_per_day) or jobs_per_day < 0:
            raise self.fail("limits.jobs_per_day", "must be an integer >= 0")
        if not _is_int(max_manifest_bytes) or max_manifest_bytes < 1:
            raise self.fail("limits.max_manifest_bytes", "must be an integer >= 1")
        return jobs_per_day, max_manifest_bytes

    def require_mapping(self, entry: Any, where: str, allowed: set[str]) -> None:
        if not isinstance(entry, dict):
            raise self.fail(where, f"must be a mapping with {', '.join(sorted(allowed))}")
        unknown = sorted(set(map(str, entry)) - allowed)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}", "unknown field")

    def require_text(self, entry: dict, where: str, key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", "must be a non-empty string")
        return value


def check_s3_endpoint_url(value: Any, fail: Callable[[str, str], Exception]) -> str:
    """An http(s) URL with a host, or `fail("s3_endpoint_url", problem)` is raised."""
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail("s3_endpoint_url", "must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:5000")
    return str(value).rstrip("/")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
