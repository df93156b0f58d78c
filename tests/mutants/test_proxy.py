"""Fast checks of the mutant machinery itself (no servers): re-signing yields requests the mock
accepts, request hooks leave unauthentic requests alone, and no response mutant is a no-op."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conformance.cases.definitions import RequestSpec, SigningOverrides
from conformance.settings import DEFAULT_PRIMARY, DEFAULT_SECONDARY
from conformance.wire.request_builder import build_api_request
from tests.mutants.catalog import MUTANTS, mutant_named
from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.resign import authenticated_signer, resign, signed_at

HOST = "127.0.0.1:8080"
NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
REQUEST_ID = "<RequestId>6f8a7c2e-0000-11df-a381-155bec6f7c93</RequestId>"
LISTED_JOB = ("<member><JobId>ABCDE</JobId><CreationDate>2026-11-28T12:00:00Z</CreationDate>"
              "<IsCanceled>true</IsCanceled><JobType>Import</JobType></member>")
SUCCESS_BODIES = (
    ("CreateJob", "<JobId>ABCDE</JobId><JobType>Import</JobType>"),
    ("GetStatus", ("<JobId>ABCDE</JobId><JobType>Import</JobType><ProgressCode>Canceled</ProgressCode>"
                   "<CreationDate>2026-11-28T12:00:00Z</CreationDate><CurrentManifest>" + "x" * 1200
                   + "</CurrentManifest>")),
    ("ListJobs", f"<Jobs>{LISTED_JOB}</Jobs><IsTruncated>false</IsTruncated>"),
    ("ListJobs", f"<Jobs>{LISTED_JOB}</Jobs><IsTruncated>true</IsTruncated>"),
    ("CancelJob", "<Success>true</Success>"),
    ("GetShippingLabel", "<ShippingLabelURL>http://127.0.0.1/labels/x.pdf</ShippingLabelURL>"),
)
ERROR_CODES = ("InvalidJobIdException", "MissingParameterException")


class FakeBackend:
    """The two control calls request hooks make, answered from memory."""

    def __init__(self, now: datetime, owners: dict = None):
        self._now = now
        self._owners = owners or {}

    def now(self) -> datetime:
        return self._now

    def job_owners(self) -> dict:
        return self._owners


def signed(scheme: str, operation: str, params: tuple = (), account=DEFAULT_PRIMARY, now=None,
           **signing) -> ProxyRequest:
    """A request as the suite sends it (Action and Version first), signed by `scheme`."""
    moment = now or datetime.now(timezone.utc)
    outgoing = build_api_request(RequestSpec(params=params, signing=SigningOverrides(**signing)), operation,
                                 scheme, account, f"http://{HOST}", moment, {})
    return ProxyRequest(method=outgoing.method, target=outgoing.target, path="/", query="",
                        headers=outgoing.headers, body=outgoing.body)


def success(operation: str, result: str) -> ProxyResponse:
    body = (f'<{operation}Response xmlns="{NAMESPACE}"><{operation}Result>{result}'
            f"</{operation}Result><ResponseMetadata>{REQUEST_ID}</ResponseMetadata></{operation}Response>")
    return ProxyResponse(200, "OK", (("Content-Type", "text/xml"),), body.encode())


def error(code: str) -> ProxyResponse:
    body = (f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{code}</Code>'
            f"<Message>m</Message></Error>{REQUEST_ID}</ErrorResponse>")
    return ProxyResponse(400, "Bad Request", (("Content-Type", "text/xml"),), body.encode())


@pytest.mark.parametrize("scheme", ["sigv2", "sigv4"])
def test_resigned_request_is_accepted_by_the_mock(scheme):
    request = signed(scheme, "ListJobs", (("MaxJobs", "5"),))
    now = datetime.now(timezone.utc)
    assert authenticated_signer(request, now) == DEFAULT_PRIMARY.access_key_id
    without_max_jobs = [pair for pair in request.params() if pair[0] != "MaxJobs"]
    changed = resign(request, without_max_jobs, DEFAULT_SECONDARY.access_key_id, signed_at(request))
    assert authenticated_signer(changed, now) == DEFAULT_SECONDARY.access_key_id
    assert "MaxJobs" not in dict(changed.params())


@pytest.mark.parametrize("scheme", ["sigv2", "sigv4"])
def test_request_hooks_leave_wrongly_signed_requests_alone(scheme):
    request = signed(scheme, "ListJobs", (("MaxJobs", "5"),), secret="wrong-secret")
    hook = mutant_named("semantics.max_jobs_ignored").request
    assert hook(request, FakeBackend(datetime.now(timezone.utc))) is None


@pytest.mark.parametrize("scheme", ["sigv2", "sigv4"])
def test_expiry_mutant_refreshes_only_authentic_requests(scheme):
    now = datetime.now(timezone.utc)
    old = signed(scheme, "ListJobs", now=now - timedelta(hours=2))
    assert authenticated_signer(old, now) is None
    hook = mutant_named("security.request_expiry_not_checked").request
    assert authenticated_signer(hook(old, FakeBackend(now)), now) == DEFAULT_PRIMARY.access_key_id
    forged = signed(scheme, "ListJobs", now=now - timedelta(hours=2), secret="wrong-secret")
    assert hook(forged, FakeBackend(now)) is None


def test_ownership_mutant_signs_as_the_jobs_owner():
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),), account=DEFAULT_SECONDARY)
    now = datetime.now(timezone.utc)
    hook = mutant_named("security.ownership_not_enforced").request
    changed = hook(request, FakeBackend(now, {"ABCDE": DEFAULT_PRIMARY.access_key_id}))
    assert authenticated_signer(changed, now) == DEFAULT_PRIMARY.access_key_id


def _all_responses() -> list:
    return [success(operation, result) for operation, result in SUCCESS_BODIES] + [error(code) for code in ERROR_CODES]


@pytest.mark.parametrize("mutant", [m for m in MUTANTS if m.response is not None], ids=lambda m: m.name)
def test_every_response_mutant_changes_something(mutant):
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    changed = [response for response in _all_responses() if mutant.response(request, response) != response]
    assert changed, f"{mutant.name} changed none of the sample responses"
