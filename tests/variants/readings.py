"""Reading variants: where docs/decisions.md accepts more than one answer, the one the mock does not give.

Each variant names the decision rows it takes. Error codes and statuses are changed on the mock's
answer (`recode`), requests are refused before the mock sees them (`reject_authentic`), parameters
the server reads otherwise are re-signed (`params_hook`), and lifecycle rules change at the mock's
seams (tests/mutants/seams.py).
"""
from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import unquote_to_bytes

from lxml import etree

from conformance.cases.error_table import TABLED_STATUS
from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.requestside import params_hook
from tests.mutants.xmlrewrite import elements, parse
from tests.variants.answers import (
    MODELED_CODES,
    chained,
    code_map,
    has_repeated_names,
    operation,
    raw_parameter_string,
    recode,
    reject_authentic,
    values,
)
from tests.variants.variant import SHAPE_SCENARIOS, Variant

API_VERSION = "2010-06-01"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MAX_MANIFEST_BYTES = 65536
JOB_TYPES = ("Import", "Export")
SIGV2_METHODS = ("HmacSHA1", "HmacSHA256")
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_JOB_ID_MEMBER = re.compile(r"jobIds\.member\.(\d+)")
_WELL_FORMED_KEY = re.compile(r"[A-Z0-9]{16,128}")
_MAX_JOBS = re.compile(r"\d{1,4}")
STARTED_JOBS_CANCELABLE = "variant.reading.started_jobs_cancelable"
_JOBS = "mockserver.backend.jobs:JobsBackend"
_STORE = "mockserver.backend.store:JobStore"


# W5: the five errors without a documented HTTP status answer another 4xx.
UNDOCUMENTED_STATUSES = code_map({
    "UnableToCancelJobIdException": ("UnableToCancelJobIdException", 409),
    "UnableToUpdateJobIdException": ("UnableToUpdateJobIdException", 409),
    "CreateJobQuotaExceededException": ("CreateJobQuotaExceededException", 403),
    "InvalidVersionException": ("InvalidVersionException", 422),
    "NoSuchBucketException": ("NoSuchBucketException", 404),
})


# W6, W11, W13, W14, W16: another AWS Query front end's generic errors.
def _undecodable(request: ProxyRequest) -> bool:
    raw = raw_parameter_string(request)
    if _BAD_PERCENT.search(raw):
        return True
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _not_a_form(request: ProxyRequest) -> bool:
    media_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    return request.method == "POST" and media_type != FORM_MEDIA_TYPE


def _front_end_code(request: ProxyRequest, code: str, status: int) -> tuple | None:
    if code == "MissingAction" and _not_a_form(request):
        return "UnsupportedMediaType", 415
    if code == "InvalidParameterException" and has_repeated_names(request):
        return "MalformedQueryString", status
    if code == "MalformedQueryString" and _undecodable(request):
        return "InvalidQueryParameter", status
    return {"InvalidAction": ("InvalidParameterException", status),
            "MissingAction": ("MissingParameterException", status)}.get(code)


def _front_end(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
    """The codes above, and Type Receiver for every error neither modeled nor in the error table (W6)."""
    response = recode(_front_end_code)(request, response)
    root = parse(response.body) if response.is_error else None
    code = next(iter(elements(root, "Code")), None) if root is not None else None
    if code is None or code.text in MODELED_CODES or code.text in TABLED_STATUS:
        return response
    for error_type in elements(root, "Type"):
        error_type.text = "Receiver"
    return replace(response, body=etree.tostring(root, encoding="utf-8") + b"\n")


# W9, W10: other codes for a wrong Version and for a bad APIVersion.
def _version_code(request: ProxyRequest, code: str, status: int) -> tuple | None:
    if code != "InvalidVersionException":
        return None
    wrong_version = values(request).get("Version", API_VERSION) != API_VERSION
    return ("InvalidParameterValue" if wrong_version else "InvalidParameterException"), status


# W15: oversized bodies and manifests answered 400 with other codes.
def _manifest_too_large(request: ProxyRequest) -> bool:
    return len(values(request).get("Manifest", "").encode("utf-8")) > MAX_MANIFEST_BYTES


OVERSIZED_AS_400 = chained(
    code_map({"RequestEntityTooLarge": ("InvalidParameterException", 400)}),
    code_map({"InvalidParameterException": ("MalformedManifestException", None)}, _manifest_too_large),
)


# A1-A8: other authentication codes within the accepted lists.
def _both_time_fields(request: ProxyRequest) -> bool:
    present = values(request)
    return "Timestamp" in present and "Expires" in present


def _unsupported_signing(request: ProxyRequest) -> bool:
    present = values(request)
    return present.get("SignatureVersion", "2") != "2" or present.get("SignatureMethod", SIGV2_METHODS[0]) \
        not in SIGV2_METHODS


def _claimed_key_id(request: ProxyRequest) -> str:
    """The access key id the request claims: SigV2's AWSAccessKeyId, or the SigV4 Credential's first part."""
    present = values(request)
    if "AWSAccessKeyId" in present:
        return present["AWSAccessKeyId"]
    credential = re.search(r"Credential=([^/,\s]*)", request.header("Authorization") or "")
    return credential.group(1) if credential else present.get("X-Amz-Credential", "").split("/")[0]


def _authentication_key(request: ProxyRequest, code: str, status: int) -> tuple | None:
    """A2: a malformed or empty access key id answered as an unknown one (403, F11); M10 (a manifest key that
    is not the signer's, with a well-formed key id on the request) untouched. (The error table's spelling
    InvalidAccessIdException, which the cases accept, is not answered here: the real clients' scenarios
    expect the model's code, tests/clients.)"""
    if code == "InvalidAccessKeyIdException" and not _WELL_FORMED_KEY.fullmatch(_claimed_key_id(request)):
        return "InvalidClientTokenIdException", 403
    return None


AUTH_CODES = chained(
    code_map({
        "InvalidClientTokenIdException": ("AuthFailure", None),      # A1
        "SignatureDoesNotMatch": ("InvalidSignatureException", None),  # A3, A8
        "MissingAuthenticationToken": ("AuthFailure", None),           # A4
        "RequestExpired": ("RequestTimeTooSkewed", None),              # A5
    }),
    _authentication_key,
    code_map({"InvalidParameterCombination": ("MalformedQueryString", None)}, _both_time_fields),  # A6
    code_map({"InvalidParameterValue": ("IncompleteSignature", None)}, _unsupported_signing),  # A7
)


# P3: JobType only in the model's spelling.
def _job_type_not_exact(params: list) -> str | None:
    given = dict(params).get("JobType")
    if given is None or given in JOB_TYPES or given.lower() not in {known.lower() for known in JOB_TYPES}:
        return None
    return "JobType must be Import or Export"


# P6, P8: MaxJobs=0 as absent; an unknown Marker is an unknown job id.
def _zero_max_jobs_dropped(params: list, signer: str) -> list | None:
    return [(name, value) for name, value in params if not (name == "MaxJobs" and value == "0")]


def _unknown_marker(request: ProxyRequest, code: str, status: int) -> tuple | None:
    present = values(request)
    max_jobs = present.get("MaxJobs", "0")
    valid_max_jobs = bool(_MAX_JOBS.fullmatch(max_jobs)) and int(max_jobs) <= 1000
    if operation(request) == "ListJobs" and code == "InvalidParameterException" and "Marker" in present \
            and valid_max_jobs:
        return "InvalidJobIdException", status
    return None


# P9, P10: jobIds with gaps read as the members present; duplicated jobIds refused.
def _duplicated_job_ids(params: list) -> str | None:
    job_ids = [value for name, value in params if _JOB_ID_MEMBER.fullmatch(name)]
    return "jobIds must not repeat a job" if len(job_ids) != len(set(job_ids)) else None


def _gaps_closed(params: list, signer: str) -> list | None:
    numbered = sorted((int(match.group(1)), value) for name, value in params
                      if (match := _JOB_ID_MEMBER.fullmatch(name)) and not name.endswith(".0"))
    if not numbered or [index for index, _ in numbered] == list(range(1, len(numbered) + 1)) \
            or any(name.startswith("jobIds.member.0") for name, _ in params):
        return None
    renumbered = iter(f"jobIds.member.{position}" for position in range(1, len(numbered) + 1))
    by_index = {f"jobIds.member.{index}": next(renumbered) for index, _ in numbered}
    return [(by_index.get(name, name), value) for name, value in params]


_REFUSE_DUPLICATES = reject_authentic(_duplicated_job_ids, "InvalidParameterException")
_CLOSE_GAPS = params_hook(_gaps_closed, ["GetShippingLabel"])


def _job_ids_lists(request: ProxyRequest, backend):
    if operation(request) != "GetShippingLabel":
        return None
    return _REFUSE_DUPLICATES(request, backend) or _CLOSE_GAPS(request, backend)


_ZERO_MAX_JOBS_DROPPED = params_hook(_zero_max_jobs_dropped, ["ListJobs"])


# W9, W10 (success): Version and APIVersion not checked. Until the fidelity findings 4 and 5 this was
# the mutant security.wrong_version_accepted; the live service made Version optional and no source
# says which APIVersion values are invalid.
def _versions_ignored(params: list, signer: str) -> list | None:
    return [(name, API_VERSION if name == "Version" else value) for name, value in params if name != "APIVersion"]


# A5: a server that knows only Timestamp refuses a SigV2 request signed with Expires alone.
def _expires_without_timestamp(params: list) -> str | None:
    present = dict(params)
    if "Expires" in present and "Timestamp" not in present and "Signature" in present:
        return "The request must contain the parameter Timestamp"
    return None


READING_VARIANTS = (
    Variant("variant.reading.undocumented_statuses", "reading",
            "UnableToCancel/UnableToUpdate 409, CreateJobQuotaExceeded 403, InvalidVersion 422, NoSuchBucket 404",
            "W5 (any 4xx)", response=recode(UNDOCUMENTED_STATUSES), scenarios=SHAPE_SCENARIOS),
    Variant("variant.reading.query_front_end", "reading",
            "generic errors of another Query front end: Type Receiver for unmodeled codes; InvalidAction -> "
            "InvalidParameterException, MissingAction -> MissingParameterException; duplicate names -> "
            "MalformedQueryString; bad encoding -> InvalidQueryParameter; POST without a form -> 415 "
            "UnsupportedMediaType",
            "W6, W11, W13, W14, W16", response=_front_end, scenarios=SHAPE_SCENARIOS),
    Variant("variant.reading.version_codes", "reading",
            "a wrong Version answers InvalidParameterValue, a bad APIVersion InvalidParameterException",
            "W9, W10", response=recode(_version_code), scenarios=SHAPE_SCENARIOS),
    Variant("variant.reading.versions_unchecked", "reading",
            "any Version is read as 2010-06-01 and APIVersion is not checked (both succeed)",
            "W9, W10 (success allowed since the fidelity findings 4, 5)",
            request=params_hook(_versions_ignored), origin="was the mutant security.wrong_version_accepted"),
    Variant("variant.reading.timestamp_only", "reading",
            "a SigV2 request signed with Expires and no Timestamp is refused with 400 MissingParameterException",
            "A5", request=reject_authentic(_expires_without_timestamp, "MissingParameterException")),
    Variant("variant.reading.oversized_as_400", "reading",
            "a body over 1 MiB answers 400 InvalidParameterException; a manifest over 64 KiB "
            "MalformedManifestException",
            "W15", response=recode(OVERSIZED_AS_400)),
    Variant("variant.reading.auth_codes", "reading",
            "unknown key AuthFailure; malformed key InvalidClientTokenIdException; bad signature "
            "InvalidSignatureException; no signature AuthFailure; expired RequestTimeTooSkewed; Timestamp+Expires "
            "MalformedQueryString; unsupported SignatureVersion/Method IncompleteSignature",
            "A1, A2, A3, A4, A5, A6, A7, A8", response=recode(AUTH_CODES), scenarios=SHAPE_SCENARIOS),
    Variant("variant.reading.job_type_exact_case", "reading",
            "JobType in another letter case (`import`) is refused with 400 InvalidParameterException",
            "P3", request=reject_authentic(_job_type_not_exact, "InvalidParameterException")),
    Variant("variant.reading.listjobs_paging", "reading",
            "MaxJobs=0 gives the default page; an unknown Marker answers InvalidJobIdException",
            "P6, P8", request=_ZERO_MAX_JOBS_DROPPED, response=recode(_unknown_marker)),
    Variant("variant.reading.job_ids_lists", "reading",
            "jobIds with a numbering gap are read as the members present; duplicated jobIds are refused with "
            "400 InvalidParameterException",
            "P9, P10", request=_job_ids_lists),
)
