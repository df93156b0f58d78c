"""Fast checks of the variants themselves (no servers): every hook runs on the exchanges it may meet
without raising, shape variants keep every value, readings refuse only authentic requests, and the
seams a variant patches exist, are public and documented, and are really replaced."""
from __future__ import annotations

import inspect
from datetime import datetime, timezone

import pytest
from lxml import etree

from conformance.cases.definitions import RequestSpec, SigningOverrides
from conformance.settings import DEFAULT_PRIMARY
from conformance.wire.request_builder import build_api_request
from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.seams import resolve
from tests.variants.catalog import VARIANTS, variant_named
from tests.variants.servers import SERVERS, server_named
from tests.variants.shapes import SHAPE_VARIANTS

HOST = "127.0.0.1:8080"
NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
REQUEST_ID = "<RequestId>6f8a7c2e-0000-11df-a381-155bec6f7c93</RequestId>"
GETSTATUS = ("<JobId>ABCDE</JobId><JobType>Import</JobType><ProgressCode>Canceled</ProgressCode>"
             "<ProgressMessage>The job was canceled.</ProgressMessage><ErrorCount>0</ErrorCount>"
             "<Signature>c2ln</Signature><SignatureFileContents>version:2.0</SignatureFileContents>"
             "<CurrentManifest>operations:\n  - destination: glacier\n</CurrentManifest>")
SUCCESS_BODIES = (
    ("CreateJob", "<JobId>ABCDE</JobId><JobType>Import</JobType><Signature>c2ln</Signature>"
                  "<WarningMessage>manifestVersion 1.3</WarningMessage>"),
    ("GetStatus", GETSTATUS),
    ("ListJobs", "<Jobs><member><JobId>ABCDE</JobId><IsCanceled>false</IsCanceled></member></Jobs>"
                 "<IsTruncated>false</IsTruncated>"),
)
ERROR_CODES = ("InvalidJobIdException", "MissingAction", "UnableToCancelJobIdException", "RequestExpired")


class FakeBackend:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def job_owners(self) -> dict:
        return {}


def signed(scheme: str, operation: str, params: tuple = (), omit: tuple = (), **signing) -> ProxyRequest:
    spec = RequestSpec(params=params, omit=omit, signing=SigningOverrides(**signing))
    outgoing = build_api_request(spec, operation,
                                 scheme, DEFAULT_PRIMARY, f"http://{HOST}", datetime.now(timezone.utc), {})
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


def _responses() -> list:
    return [success(operation, result) for operation, result in SUCCESS_BODIES] + [error(code) for code in ERROR_CODES]


def _leaf_values(body: bytes) -> dict:
    root = etree.fromstring(body)
    return {etree.QName(element).localname: (element.text or "").strip() for element in root.iter() if not len(element)}


@pytest.mark.parametrize("variant", [variant for variant in VARIANTS if variant.response], ids=lambda v: v.name)
def test_response_hooks_run_on_every_sample(variant):
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    for response in _responses():
        answered = variant.server.response(request, response)
        assert isinstance(answered, ProxyResponse)
        etree.fromstring(answered.body)


@pytest.mark.parametrize("variant", [v for v in SHAPE_VARIANTS if v.name not in (
    "variant.shape.reworded_messages", "variant.shape.request_id_v4", "variant.shape.error_count_omitted",
    "variant.shape.live_2010_layout")], ids=lambda v: v.name)
def test_layout_variants_keep_every_value(variant):
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    for response in _responses():
        assert _leaf_values(variant.server.response(request, response).body) == _leaf_values(response.body)


@pytest.mark.parametrize("variant", [variant for variant in VARIANTS if variant.request], ids=lambda v: v.name)
@pytest.mark.parametrize("scheme", ["sigv2", "sigv4"])
def test_request_hooks_leave_wrongly_signed_requests_alone(variant, scheme):
    for operation, params in (("ListJobs", (("MaxJobs", "0"), ("Marker", "X"))),
                              ("CreateJob", (("JobType", "import"),)),
                              ("GetShippingLabel", (("jobIds.member.1", "A"), ("jobIds.member.3", "A")))):
        request = signed(scheme, operation, params, secret="wrong-secret")
        assert variant.server.request(request, FakeBackend()) is None


@pytest.mark.parametrize("variant", [variant for variant in VARIANTS if variant.patch], ids=lambda v: v.name)
def test_patched_seams_exist_are_documented_and_replaced(variant):
    originals = {target: resolve(target) for target in variant.patch.targets}
    for target in (*variant.patch.targets, *variant.patch.uses):
        _, _, value = resolve(target)
        assert callable(value) and inspect.getdoc(value), target
        assert not any(part.startswith("_") for part in target.replace(":", ".").split(".")), target
    try:
        variant.patch()
        for target, (owner, name, original) in originals.items():
            assert getattr(owner, name) is not original, f"{variant.name} left {target} as it was"
    finally:
        for owner, name, original in originals.values():
            setattr(owner, name, original)


def test_every_variant_is_served_once_and_servers_compose_their_hooks():
    served = [variant.name for server in SERVERS for variant in server.variants]
    assert sorted(served) == sorted(variant.name for variant in VARIANTS)
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    for server in SERVERS:
        mutant = server.server
        assert mutant.auth == "both" and mutant.group == "variant"
        if mutant.response is not None:
            for response in _responses():
                etree.fromstring(mutant.response(request, response).body)
        if mutant.request is not None:
            assert mutant.request(signed("sigv4", "ListJobs", secret="wrong-secret"), FakeBackend()) is None


def test_a_server_takes_the_readings_of_each_of_its_variants():
    hook = server_named("variants.parameters").server
    refused = hook.request(signed("sigv2", "CreateJob", (("JobType", "import"),)), FakeBackend())
    assert b"<Code>InvalidParameterException</Code>" in refused.body
    marker = signed("sigv2", "ListJobs", (("Marker", "ABCDE"),))
    recoded = hook.response(marker, error("InvalidParameterException"))
    assert b"<Code>InvalidJobIdException</Code>" in recoded.body
