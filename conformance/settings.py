"""One typed, frozen settings object: where and as whom the suite tests (docs/contract.md §1).

Sources, strongest first: command-line options, the `--target-config` file, the environment
(`IMPORTEXPORT_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`), the defaults. With no
endpoint from any source the suite starts the bundled mock, which knows only the default accounts
and buckets, so credentials from the environment are then ignored. Any bad value raises
`SettingsError` (a `pytest.UsageError`) with one line naming the option or file and the field.
A target config must name the endpoint (`endpoint_url`) unless `--endpoint-url` or the environment
does: a config never silently means the bundled mock.
"""
from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conformance.cases.datafiles import DataFileError, describe_schema_error, first_schema_error, load_yaml

TARGET_CONFIG_SCHEMA = Path(__file__).with_name("target_config_schema.json")
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
XSD_RELATIVE_PATH = Path("xsd") / "importexport-2010-06-01.xsd"
AUTH_CHOICES = {"sigv2": ("sigv2",), "sigv4": ("sigv4",), "both": ("sigv2", "sigv4")}


class SettingsError(pytest.UsageError):  # type: ignore[misc]  # pytest marks it final; its output is wanted
    """A configuration problem; its message is one line naming the option or file and field."""


@dataclass(frozen=True)
class Account:
    """An access key pair the suite signs with."""

    access_key_id: str
    secret_access_key: str


@dataclass(frozen=True)
class Buckets:
    """Bucket names by their role in the suite (`${bucket.<role>}`)."""

    primary: str = "amzn-s3-demo-bucket"
    log: str = "amzn-s3-demo-logs"
    other_region: str = "amzn-s3-demo-bucket-eu"
    foreign: str = "amzn-s3-demo-bucket-secondary"
    missing: str = "amzn-s3-demo-bucket-missing"


MAX_TRANSPORT_RETRIES = 10
DEFAULT_KEYS_SOURCE = "the documentation's example keys"
DEFAULT_PRIMARY = Account("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
DEFAULT_SECONDARY = Account("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")


@dataclass(frozen=True)
class Settings:
    """Everything the engine needs to know about the target and the run."""

    endpoint_url: str | None
    control_url: str | None
    auth: tuple[str, ...]
    timeout_s: float
    primary: Account
    secondary: Account | None
    buckets: Buckets
    xsd_path: Path
    report_dir: Path | None = None
    deviations_file: Path | None = None
    fetch_origins: tuple[str, ...] = ()
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    credentials_source: str = DEFAULT_KEYS_SOURCE
    transport_retries: int = 0

    @property
    def uses_bundled_mock(self) -> bool:
        """True when no endpoint was given: the suite starts and controls its own mock."""
        return self.endpoint_url is None

    @property
    def has_control(self) -> bool:
        """True when control steps can run (the bundled mock always has its control API)."""
        return self.uses_bundled_mock or self.control_url is not None

    def account(self, role: str) -> Account:
        """The account for `as: primary|secondary`."""
        if role == "secondary":
            if self.secondary is None:
                raise SettingsError("the case needs a secondary account but the target config has none")
            return self.secondary
        return self.primary


def retry_count(text: str) -> int:
    """`--transport-retries` value: a whole number from 0 to MAX_TRANSPORT_RETRIES."""
    try:
        count = int(text)
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_TRANSPORT_RETRIES:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_TRANSPORT_RETRIES}, got {text!r}")
    return count


def _checked_url(value: str, where: str, allow_path: bool) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{where}: {value!r} is not an http(s) URL with a host")
    if parts.query or parts.fragment:
        raise SettingsError(f"{where}: {value!r} must not have a query or fragment")
    if not allow_path and parts.path not in ("", "/"):
        raise SettingsError(f"{where}: {value!r} must not have a path (requests go to '/')")
    return value.rstrip("/")


def _read_target_config(path: Path) -> dict:
    try:
        data = load_yaml(path)
    except DataFileError as error:
        raise SettingsError(f"--target-config {error}") from None
    if data is None or data == {}:
        raise SettingsError(f"--target-config {path}: the file is empty; it must name at least endpoint_url "
                            "(docs/contract.md §1)")
    problem = first_schema_error(TARGET_CONFIG_SCHEMA, data)
    if problem is not None:
        raise SettingsError(f"--target-config {path}: {describe_schema_error(problem)}")
    return data


def _environment_account(environ: Mapping[str, str]) -> Account | None:
    key_id = environ.get("AWS_ACCESS_KEY_ID")
    secret = environ.get("AWS_SECRET_ACCESS_KEY")
    if not key_id and not secret:
        return None
    if not key_id or not secret:
        missing = "AWS_SECRET_ACCESS_KEY" if key_id else "AWS_ACCESS_KEY_ID"
        raise SettingsError(f"environment: {missing} is not set but its partner is; set both or neither")
    return Account(key_id, secret)


def _accounts(config: dict, environ: Mapping[str, str], bundled: bool, config_path) -> tuple:
    """(primary, secondary, where they come from: shown when the target refuses them)."""
    configured = config.get("accounts")
    if bundled:
        return DEFAULT_PRIMARY, DEFAULT_SECONDARY, DEFAULT_KEYS_SOURCE
    if configured is not None:
        secondary = configured.get("secondary")
        return (
            Account(**configured["primary"]),
            Account(**secondary) if secondary else None,
            f"--target-config {config_path}: accounts",
        )
    from_environment = _environment_account(environ)
    if from_environment is not None:
        return from_environment, None, "environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
    return DEFAULT_PRIMARY, DEFAULT_SECONDARY, DEFAULT_KEYS_SOURCE


def _check_report_dir(path: Path) -> None:
    """Before the run: --report-dir must be a directory that can be created (the reports are written
    after the last case, too late to say so)."""
    if path.exists() and not path.is_dir():
        raise SettingsError(f"--report-dir {path}: is a file, not a directory; name a new or existing directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(f"--report-dir {path}: cannot create the directory: {error.strerror}") from None


def load_settings(options: Mapping[str, Any], environ: Mapping[str, str], rootpath: Path) -> Settings:
    """Build the settings from option values (by dest name), the environment and the config file."""
    config_path = options.get("target_config")
    config = _read_target_config(Path(config_path)) if config_path else {}

    endpoint_url: str | None = None
    endpoint_source = ""
    for value, source in (
        (options.get("endpoint_url"), "--endpoint-url"),
        (config.get("endpoint_url"), f"--target-config {config_path}: endpoint_url"),
        (environ.get("IMPORTEXPORT_ENDPOINT_URL"), "environment: IMPORTEXPORT_ENDPOINT_URL"),
    ):
        if value:
            endpoint_url, endpoint_source = value, source
            break
    if config_path and endpoint_url is None:
        raise SettingsError(f"--target-config {config_path}: endpoint_url: missing; a target config names the "
                            "endpoint under test (without --target-config the bundled mock is used)")
    if endpoint_url is not None:
        endpoint_url = _checked_url(endpoint_url, endpoint_source, allow_path=False)

    control_url = options.get("control_url") or config.get("control_url")
    if control_url:
        where = "--control-url" if options.get("control_url") else f"--target-config {config_path}: control_url"
        if endpoint_url is None:
            raise SettingsError(f"{where}: given without an endpoint; the bundled mock's control API is used")
        control_url = _checked_url(control_url, where, allow_path=True)
    bundled = endpoint_url is None
    primary, secondary, credentials_source = _accounts(config, environ, bundled, config_path)
    auth_name = options.get("auth") or config.get("auth") or "both"
    timeout_s = options.get("timeout")
    if timeout_s is None:
        timeout_s = config.get("timeout_s", DEFAULT_TIMEOUT_S)
    if timeout_s <= 0:
        raise SettingsError(f"--timeout: must be a positive number of seconds, not {timeout_s}")
    fetch_origins = tuple(
        _checked_url(url, "--fetch-origin" if options.get("fetch_origins") else
                     f"--target-config {config_path}: fetch_origins", allow_path=False)
        for url in (options.get("fetch_origins") or config.get("fetch_origins") or ())
    )
    xsd_option = options.get("xsd")
    report_dir = options.get("report_dir")
    if report_dir:
        _check_report_dir(Path(report_dir))
    deviations = options.get("deviations")
    return Settings(
        endpoint_url=endpoint_url,
        control_url=control_url or None,
        auth=AUTH_CHOICES[auth_name],
        timeout_s=float(timeout_s),
        primary=primary,
        secondary=secondary,
        buckets=Buckets(**config.get("buckets", {})),
        xsd_path=Path(xsd_option) if xsd_option else rootpath / XSD_RELATIVE_PATH,
        report_dir=Path(report_dir) if report_dir else None,
        deviations_file=Path(deviations) if deviations else None,
        fetch_origins=fetch_origins,
        credentials_source=credentials_source,
        transport_retries=options.get("transport_retries") or 0,
    )

