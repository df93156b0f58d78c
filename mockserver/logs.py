"""The mock's log output: one text line (default) or one JSON object (`--log-format json`) per record.

Each access record carries `extra={"access": {...}}` (see `mockserver.app`): time, method, path (never
the query string, which may hold a SigV2 `Signature`), action, status, request id, duration and the
signer's access key id. Nothing else of the request is logged: no secret, signature or manifest.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

LOG_FORMATS = ("text", "json")


class JsonLogFormatter(logging.Formatter):
    """One JSON object per record: the access fields, or time, level and message for other records."""

    def format(self, record: logging.LogRecord) -> str:
        access = getattr(record, "access", None)
        time = datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds")
        if isinstance(access, dict):
            return json.dumps({"time": time.replace("+00:00", "Z"), **access}, separators=(",", ":"))
        entry = {"time": time.replace("+00:00", "Z"), "level": record.levelname.lower(), "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, separators=(",", ":"))


def configure_logging(log_format: str) -> None:
    """Send the mock's log records to stderr, as text lines or JSON objects.

    The records carry no caller, thread or process fields (neither format shows them): collecting
    them cost about a tenth of a GetStatus request's CPU. The switches are the ones the logging
    HOWTO lists under "Optimization".
    """
    logging._srcfile = None  # no findCaller() stack walk per record
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
