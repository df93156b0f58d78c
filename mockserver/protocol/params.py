"""Reading and checking request parameters: the action, versions, and each action's inputs.

An empty value counts as a missing one (the live service answered `Manifest=` with
"Manifest must be specified"). Codes and defaults follow docs/decisions.md W7-W11 and P1-P10.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from mockserver.exceptions import (
    InvalidAction,
    InvalidParameterCombination,
    InvalidParameterException,
    InvalidVersionException,
    MissingAction,
    MissingParameterException,
)

API_VERSION = "2010-06-01"
OPERATIONS = ("CancelJob", "CreateJob", "GetShippingLabel", "GetStatus", "ListJobs", "UpdateJob")
JOB_TYPES = ("Import", "Export")
ADDRESS_FIELDS = (
    "name", "company", "phoneNumber", "country", "stateOrProvince", "city", "postalCode",
    "street1", "street2", "street3",
)
MAX_JOBS_LIMIT = 1000

_TOOL_VERSION = re.compile(r"\d+(\.\d+)*|\d{4}-\d{2}-\d{2}")
_MAX_JOBS = re.compile(r"\d{1,4}")
_JOB_ID_MEMBER = re.compile(r"jobIds\.member\.(.*)", re.DOTALL)
_MEMBER_INDEX = re.compile(r"[1-9]\d{0,5}")


def operation_of(params: Mapping[str, str]) -> str:
    """The action named by `Action` (or its synonym `Operation`)."""
    action = params.get("Action") or None
    operation = params.get("Operation") or None
    if action and operation and action != operation:
        raise InvalidParameterCombination("Action and Operation name different actions")
    name = action or operation
    if name is None:
        raise MissingAction("The request must contain the parameter Action")
    if name not in OPERATIONS:
        raise InvalidAction(f"The action {name} is not valid for this web service")
    return name


def check_versions(params: Mapping[str, str]) -> None:
    """`Version` must be 2010-06-01 when given; `APIVersion` must look like a version."""
    if "Version" in params and params["Version"] != API_VERSION:
        raise InvalidVersionException(
            f"The API version {params['Version']} is not supported; use {API_VERSION}"
        )
    if "APIVersion" in params and not _TOOL_VERSION.fullmatch(params["APIVersion"]):
        raise InvalidVersionException("The client tool version (APIVersion) is invalid")


def required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name, "")
    if value == "":
        raise MissingParameterException(f"{name} must be specified")
    return value


def job_type(value: str) -> str:
    """`Import` or `Export`, in any letter case, normalised to the model's spelling."""
    for known in JOB_TYPES:
        if value.lower() == known.lower():
            return known
    raise InvalidParameterException("JobType must be Import or Export")


def validate_only(params: Mapping[str, str]) -> bool:
    """`ValidateOnly`: `true`/`false` in any letter case; absent means false."""
    if "ValidateOnly" not in params:
        return False
    value = params["ValidateOnly"].lower()
    if value not in ("true", "false"):
        raise InvalidParameterException("ValidateOnly must be true or false")
    return value == "true"


def max_jobs(params: Mapping[str, str]) -> int:
    """`MaxJobs`: an integer from 0 to 1000; absent means 1000."""
    if "MaxJobs" not in params:
        return MAX_JOBS_LIMIT
    value = params["MaxJobs"]
    if not _MAX_JOBS.fullmatch(value) or int(value) > MAX_JOBS_LIMIT:
        raise InvalidParameterException(f"MaxJobs must be an integer between 0 and {MAX_JOBS_LIMIT}")
    return int(value)


def job_ids(params: Mapping[str, str]) -> list[str]:
    """`jobIds.member.1..N`: numbered from 1 without gaps; duplicates are dropped, order kept."""
    members: dict[int, str] = {}
    for name, value in params.items():
        match = _JOB_ID_MEMBER.fullmatch(name)
        if not match:
            continue
        if not _MEMBER_INDEX.fullmatch(match.group(1)):
            raise InvalidParameterException("jobIds members must be numbered 1, 2, 3, ...")
        if value == "":
            raise InvalidParameterException(f"{name} must not be empty")
        members[int(match.group(1))] = value
    if not members:
        raise MissingParameterException("jobIds must be specified")
    if sorted(members) != list(range(1, len(members) + 1)):
        raise InvalidParameterException("jobIds members must be numbered 1, 2, 3, ... without gaps")
    return list(dict.fromkeys(members[index] for index in sorted(members)))


def address_overrides(params: Mapping[str, str]) -> dict[str, str]:
    """The GetShippingLabel address fields the request gives (lowerCamel names)."""
    return {name: params[name] for name in ADDRESS_FIELDS if name in params}
