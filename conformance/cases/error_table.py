"""The documented error table (docs/sources.md F11): which error codes have an HTTP status the sources state.

The Developer Guide's "Error and Status Codes" page gives HTTP 400 for each Import/Export error it lists
and 403 for InvalidClientTokenIdException; its own example error and every live error carried `Type`
`Sender` (F11, F30). The page spells the access-key mismatch `InvalidAccessIdException`; the service model
spells it `InvalidAccessKeyIdException`, and both spellings are the same row of the table.

Codes the table does not give a status for (the service model's UnableToCancelJobId, UnableToUpdateJobId,
CreateJobQuotaExceeded and InvalidVersion, the row of NoSuchBucket whose status could not be read, and the
generic AWS codes) are not here: their status is decided (docs/decisions.md W5, A1-A8, W9-W16).
"""
from __future__ import annotations

TABLED_TYPE = "Sender"
"""The `Type` of every tabled error: the page's example and every recorded live error."""

ACCESS_KEY_MISMATCH_CODES = ("InvalidAccessKeyIdException", "InvalidAccessIdException")
"""The model's and the error table's spelling of one documented error."""

TABLED_STATUS: dict[str, int] = {
    **{code: 400 for code in (
        "BucketPermissionException",
        "CanceledJobIdException",
        "ExpiredJobIdException",
        *ACCESS_KEY_MISMATCH_CODES,
        "InvalidAddressException",
        "InvalidCustomsException",
        "InvalidFileSystemException",
        "InvalidJobIdException",
        "InvalidManifestFieldException",
        "InvalidParameterException",
        "MalformedManifestException",
        "MissingCustomsException",
        "MissingManifestFieldException",
        "MissingParameterException",
        "MultipleRegionsException",
    )},
    "InvalidClientTokenIdException": 403,
}
"""Error code -> the HTTP status the error table gives it."""


def tabled_status(code: str) -> int | None:
    """The documented HTTP status of `code`, or None when no source states one."""
    return TABLED_STATUS.get(code)


def split_by_status(codes) -> tuple[dict[int, list[str]], list[str]]:
    """`codes` grouped by their tabled status (in first-seen order), and the codes with no tabled status."""
    tabled: dict[int, list[str]] = {}
    untabled: list[str] = []
    for code in codes:
        status = tabled_status(code)
        if status is None:
            untabled.append(code)
        else:
            tabled.setdefault(status, []).append(code)
    return tabled, untabled

UNDOCUMENTED_STATUS_CODES = (
    "UnableToCancelJobIdException",
    "UnableToUpdateJobIdException",
    "CreateJobQuotaExceededException",
    "InvalidVersionException",
    "NoSuchBucketException",
)
"""Modeled codes whose HTTP status no readable source states: any 4xx (decision W5)."""
