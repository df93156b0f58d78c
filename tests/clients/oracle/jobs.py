"""The reader programs' contract: jobs in (a JSON array), JSON Lines out, values normalised alike.

A job: `{"id", "operation", "params", "endpoint", "access_key_id", "secret_access_key"}`.
A result line: `{"id", "output": {...}}`, `{"id", "error": {"code", "message"}}` (a service error the
SDK parsed) or `{"id", "failure": "<exception class>: <text>"}` (anything else it raised).
Normalising keeps what the SDK read and nothing else: botocore member names, its own metadata dropped,
datetimes as ISO 8601 UTC with `Z` (no fraction when zero), strings exactly as returned.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

METADATA_KEYS = ("ResponseMetadata",)


def read_jobs(argv: list[str]) -> list[dict]:
    """The job array from the file named by argv[1], else from stdin."""
    if len(argv) > 1:
        with open(argv[1], encoding="utf-8") as handle:
            return json.load(handle)
    return json.load(sys.stdin)


def iso_instant(value: datetime) -> str:
    """`2010-01-26T20:09:02.817000Z` (fraction dropped when zero) of an aware or naive-UTC datetime."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def normalise(value: Any) -> Any:
    """The reading of `value` in the oracle's JSON form."""
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()
                if key not in METADATA_KEYS and item is not None}
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    if isinstance(value, datetime):
        return iso_instant(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def emit(lines: Iterable[dict]) -> None:
    for line in lines:
        sys.stdout.write(json.dumps(line, sort_keys=True) + "\n")
        sys.stdout.flush()
