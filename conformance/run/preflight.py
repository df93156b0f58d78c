"""The preflight, and the other reasons a run stops instead of failing case after case.

Before the first case, one signed ListJobs (primary account, the run's first scheme) must come back
as an Import/Export document: a root element `ListJobsResponse` or `ErrorResponse`, in any namespace
(a wrong namespace or a cut-off body are verdicts for the cases, not reasons to stop). An answer
that refuses the credentials (HTTP 403, or an authentication code of docs/decisions.md A1-A5 such
as `SignatureDoesNotMatch` or `InvalidClientTokenIdException`) stops the run naming the account, its
access key id, where the keys came from and what came back: every signed case would fail on it. The
secondary account, when configured, gets the same signed ListJobs.

With a control API, `GET <control_url>/clock` must answer; the run then raises the CreateJob quota
of every account to `RUN_JOBS_PER_DAY` and picks its clock base (`run/clock_base.py`); the
target gets its own quota and clock back when the run ends. Without a control API, the first
step that fails because the target answered `CreateJobQuotaExceededException` stops the run
(`quota_stop_message`; the cases that expect that code need the control API, so none runs then).
Each reason is one line saying what was tried and what came back.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import datetime, timezone

from conformance.cases.definitions import RequestSpec
from conformance.run.clock_base import SECONDS_PER_DAY, choose_base_days, listed_creation_times
from conformance.run.control_client import ControlResult, RunBaseline
from conformance.run.target import Target
from conformance.settings import Account
from conformance.wire.request_builder import build_api_request
from conformance.wire.transport import Exchange, OutgoingRequest, ReceivedResponse

RUN_JOBS_PER_DAY = 1_000_000
QUOTA_CODE = "CreateJobQuotaExceededException"
ENDPOINT_ROOTS = ("ListJobsResponse", "ErrorResponse")
EXCERPT_CHARS = 60
_ROOT_ELEMENT = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?.*?\?>)\s*)*"
                           rb"<(?:[\w.-]+:)?([\w.-]+)", re.DOTALL)
_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")
_CODE_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?Code>\s*([\w.]+)\s*</")
_MESSAGE_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?Message>([^<]{0,200})</")
AUTHENTICATION_STATUS = 403
# docs/decisions.md A1-A5: the codes a server may use to refuse a request's credentials or signature
AUTHENTICATION_CODES = frozenset((
    "InvalidClientTokenIdException", "InvalidClientTokenId", "InvalidAccessKeyIdException", "InvalidAccessIdException",
    "AuthFailure",
    "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken",
    "RequestExpired", "RequestTimeTooSkewed",
))


class PreflightFailed(Exception):
    """The target cannot be tested as configured; the message is one line."""


def root_element_name(body: bytes) -> str | None:
    """Local name of the first element of `body` (read without parsing the rest), or None.

    A UTF-8 byte-order mark, the XML declaration, comments and processing instructions may come
    first: every SDK reads such a document (docs/clients.md)."""
    match = _ROOT_ELEMENT.match(body)
    return match.group(1).decode("ascii", errors="replace") if match else None


def describe_failure(exchange: Exchange) -> str:
    """`connection refused`, `HTTP 200 text/html (1234 bytes: '<!DOCTYPE html>...')` and the like."""
    response = exchange.response
    if response is None:
        error = exchange.error or "no response"
        errno_text = _ERRNO_TEXT.search(error)
        return errno_text.group(1).strip().lower() if errno_text else error
    return describe_response(response)


def describe_response(response: ReceivedResponse) -> str:
    """Status, Content-Type, size and the start of the body, on one line."""
    excerpt = response.body[:EXCERPT_CHARS].decode("utf-8", errors="replace")
    excerpt = " ".join(excerpt.split()) + ("..." if len(response.body) > EXCERPT_CHARS else "")
    content_type = response.header("Content-Type") or "no Content-Type"
    return f"HTTP {response.status} {content_type} ({len(response.body)} bytes: {excerpt!r})"


def authentication_refusal(response: ReceivedResponse) -> str | None:
    """`HTTP 403 SignatureDoesNotMatch: <message>` when the answer refuses the request's credentials, else None."""
    code_match = _CODE_ELEMENT.search(response.body)
    code = code_match.group(1).decode("ascii") if code_match else None
    if response.status != AUTHENTICATION_STATUS and code not in AUTHENTICATION_CODES:
        return None
    message = _MESSAGE_ELEMENT.search(response.body)
    said = " ".join(message.group(1).decode("utf-8", errors="replace").split()) if message else ""
    return f"HTTP {response.status} {code or '(no error Code)'}" + (f": {said!r}" if said else "")


def _signed_list_jobs(target: Target, scheme: str, account: Account) -> OutgoingRequest:
    return build_api_request(RequestSpec(), "ListJobs", scheme, account, target.endpoint_url,
                             datetime.now(timezone.utc), {})


def check_endpoint(target: Target, scheme: str) -> None:
    """One signed ListJobs per configured account; PreflightFailed unless an Import/Export document
    comes back that does not refuse the account's credentials."""
    settings = target.settings
    accounts = [("primary", settings.primary)]
    if settings.secondary is not None:
        accounts.append(("secondary", settings.secondary))
    for role, account in accounts:
        exchange = target.transport.send_fresh(functools.partial(_signed_list_jobs, target, scheme, account))
        tried = f"preflight: a signed ListJobs ({scheme}) to {target.endpoint_url}/"
        if exchange.response is None:
            raise PreflightFailed(f"{tried} got no response: {describe_failure(exchange)}; "
                                  "is the endpoint up at that URL?")
        root = root_element_name(exchange.response.body)
        if root not in ENDPOINT_ROOTS:
            raise PreflightFailed(f"{tried} got {describe_failure(exchange)}: not an Import/Export endpoint "
                                  f"(expected a <ListJobsResponse> or <ErrorResponse> document)")
        refusal = authentication_refusal(exchange.response)
        if refusal is not None:
            raise PreflightFailed(
                f"{tried} as the {role} account (access key id {account.access_key_id}, from "
                f"{settings.credentials_source}) was refused: {refusal}; check that account's access_key_id and "
                "secret_access_key, and that the target's clock is right; no case was run")


def _control_problem(what: str, result: ControlResult) -> PreflightFailed:
    return PreflightFailed(f"preflight: {what} got {describe_failure(result.exchange)}, not the control API's "
                           "JSON answer; is control_url right and the mock's control API enabled "
                           "(importexport-mock --admin)?")


def start_run(target: Target, scheme: str, set_clock_offsets: Iterable[int]) -> RunBaseline:
    """Check the control API, raise the quota and set the clock base; the baseline in force."""
    control = target.control
    assert control is not None, "called only for a target with a control API"
    clock, offset = control.clock_offset_s()
    if offset is None:
        raise _control_problem(f"GET {control.base_url}/clock", clock)
    offsets = tuple(set_clock_offsets)
    base_days = 0
    if offsets:
        now = datetime.now(timezone.utc)
        base_days = choose_base_days(now, listed_creation_times(target, scheme), offsets)
    baseline = RunBaseline(jobs_per_day=RUN_JOBS_PER_DAY, clock_base_s=base_days * SECONDS_PER_DAY)
    for result in control.start_run(baseline):
        if result.problem is not None:
            raise _control_problem(f"{result.exchange.request.method} {result.exchange.request.url}", result)
    return baseline


def quota_stop_message(exchange: Exchange | None, where: str) -> str | None:
    """The line that stops a run without control API when a failed step's answer is the quota error."""
    response = exchange.response if exchange is not None else None
    if response is None:
        return None
    code = _CODE_ELEMENT.search(response.body)
    if code is None or code.group(1).decode("ascii") != QUOTA_CODE:
        return None
    return (f"{where}: CreateJob answered {QUOTA_CODE}: the target's daily CreateJob quota is used up and the run "
            "has no control API to raise it; raise the quota on the target (the bundled mock: importexport-mock "
            "--jobs-per-day 1000000, or limits.jobs_per_day in its --config) or give control_url "
            "(--control-url) so that the run raises it; the run stopped here")
