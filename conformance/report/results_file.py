"""Reading a results.json back (for `importexport-report`): one clear error when it is not one."""
from __future__ import annotations

import json
from pathlib import Path


class ResultsFileError(Exception):
    """A file that cannot be read as a results.json; the message is one line naming the file."""


def item_key(record: dict) -> str:
    """An item's stable name across runs: `Case.Id[scheme]`, or the id alone for unsigned items."""
    scheme = record.get("scheme")
    return record["id"] if not scheme or scheme == "none" else f"{record['id']}[{scheme}]"


def load_results(path: Path) -> dict:
    """The results.json document at `path`, checked for the fields the report commands read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ResultsFileError(f"{path}: cannot read: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ResultsFileError(f"{path}: not a results.json (invalid JSON at line {error.lineno}: "
                               f"{error.msg})") from None
    if not isinstance(document, dict) or not isinstance(document.get("run"), dict) \
            or not isinstance(document.get("cases"), list):
        raise ResultsFileError(f"{path}: not a results.json (expected an object with `run` and `cases`)")
    for number, record in enumerate(document["cases"]):
        missing = [name for name in ("id", "outcome", "node_id") if not isinstance(record, dict)
                   or not isinstance(record.get(name), str)]
        if missing:
            raise ResultsFileError(f"{path}: not a results.json (cases[{number}] lacks {', '.join(missing)})")
    return document
