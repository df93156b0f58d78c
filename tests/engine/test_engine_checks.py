"""Each named check catches its kind of mismatch, and all mismatches are collected together."""
from __future__ import annotations

import uuid

import pytest

from conformance.cases.definitions import Expectation, XPathCheck
from conformance.run.checks import CheckContext, check_exchange
from conformance.wire.transport import Exchange, OutgoingRequest, ReceivedResponse
from conformance.xmldoc import ResponseSchema

NS = "http://importexport.amazonaws.com/doc/2010-06-01/"
XML = (("Content-Type", "text/xml"),)
REQUEST = OutgoingRequest(method="POST", url="http://127.0.0.1:1/", headers=())


def success(result: str = "<Success>true</Success>", request_id: str | None = None, operation: str = "CancelJob",
            namespace: str = NS) -> bytes:
    return (f'<{operation}Response xmlns="{namespace}"><{operation}Result>{result}</{operation}Result>'
            f"<ResponseMetadata><RequestId>{request_id or uuid.uuid4()}</RequestId></ResponseMetadata>"
            f"</{operation}Response>").encode()


def error(code: str = "InvalidJobIdException", error_type: str = "Sender", request_id: str | None = None) -> bytes:
    return (f'<ErrorResponse xmlns="{NS}"><Error><Type>{error_type}</Type><Code>{code}</Code>'
            f"<Message>m</Message></Error><RequestId>{request_id or uuid.uuid4()}</RequestId></ErrorResponse>").encode()


def exchange(body: bytes, status: int = 200, headers=XML) -> Exchange:
    return Exchange(REQUEST, ReceivedResponse(status=status, reason="", headers=headers, body=body))


@pytest.fixture
def context(mini_xsd) -> CheckContext:
    return CheckContext("CancelJob", ResponseSchema(mini_xsd))


def checks_of(expect: Expectation, response: Exchange, context: CheckContext) -> list[str]:
    return [mismatch.check for mismatch in check_exchange(expect, response, context)]


def test_conforming_success_and_error_have_no_mismatches(context):
    assert checks_of(Expectation(status=200), exchange(success()), context) == []
    assert checks_of(Expectation(status="4xx", code=("InvalidJobIdException",), error_type="Sender"),
                     exchange(error(), 400), context) == []


@pytest.mark.parametrize("status", [201, "2xx", (200, 204)], ids=["exact", "class", "list"])
def test_status_expectations_catch_a_400(context, status):
    mismatches = check_exchange(Expectation(status=status), exchange(error(), 400), context)
    assert mismatches[0].check == "status" and mismatches[0].actual == "400 (InvalidJobIdException: m)"


def test_code_exact_and_set_and_type(context):
    response = exchange(error("CanceledJobIdException", "Receiver"), 400)
    expect = Expectation(status=400, code=("InvalidJobIdException", "ExpiredJobIdException"), error_type="Sender")
    mismatches = check_exchange(expect, response, context)
    assert [m.check for m in mismatches] == ["code", "type"]
    assert mismatches[0].expected == "InvalidJobIdException | ExpiredJobIdException"
    assert mismatches[0].actual == "CanceledJobIdException"


@pytest.mark.parametrize("headers, ok", [
    (XML, True), ((("Content-Type", "application/xml; charset=utf-8"),), True),
    ((("content-type", "application/vnd.x+xml"),), True), ((("Content-Type", "text/plain"),), False), ((), False),
])
def test_content_type_must_be_xml(context, headers, ok):
    assert ("content_type" not in checks_of(Expectation(status=200), exchange(success(), headers=headers),
                                            context)) == ok


def test_content_type_check_can_be_switched_off(context):
    assert checks_of(Expectation(status=200, content_type_xml=False),
                     exchange(success(), headers=(("Content-Type", "text/plain"),)), context) == []


@pytest.mark.parametrize("body", [
    b"", b"<a>", b"not xml", b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16"),
], ids=["empty", "unclosed", "text", "doctype", "utf16-doctype"])
def test_bodies_that_are_not_acceptable_xml(context, body):
    assert checks_of(Expectation(status=200), exchange(body), context) == ["xml"]


def test_success_expected_but_error_envelope_received(context):
    mismatches = check_exchange(Expectation(status=200), exchange(error(), 200), context)
    assert mismatches[0].check == "envelope" and "ErrorResponse" in mismatches[0].actual


def test_wrong_namespace_is_an_envelope_mismatch(context):
    mismatches = check_exchange(Expectation(status=200, xsd=False),
                                exchange(success(namespace="http://importexport.amazonaws.com/")), context)
    assert mismatches[0].check == "envelope" and 'xmlns="http://importexport.amazonaws.com/"' in mismatches[0].actual


def test_missing_result_and_request_id(context):
    body = f'<CancelJobResponse xmlns="{NS}"><Other/></CancelJobResponse>'.encode()
    mismatches = check_exchange(Expectation(status=200, xsd=False), exchange(body), context)
    assert [m.message for m in mismatches] == ["<CancelJobResult> is missing",
                                               "<ResponseMetadata><RequestId> is missing"]


def test_error_envelope_missing_members(context):
    body = f'<ErrorResponse xmlns="{NS}"><Error><Code>X</Code></Error></ErrorResponse>'.encode()
    messages = [m.message for m in check_exchange(Expectation(status=400, xsd=False), exchange(body, 400), context)]
    assert messages == ["<Error><Type> is missing", "<Error><Message> is missing",
                        "top-level <RequestId> is missing from <ErrorResponse>"]


def test_request_id_must_be_uuid_shaped_and_unique(context):
    assert checks_of(Expectation(status=200, xsd=False), exchange(success(request_id="req-1")), context) == [
        "request_id"]
    repeated = str(uuid.uuid4())
    assert checks_of(Expectation(status=200), exchange(success(request_id=repeated)), context) == []
    assert checks_of(Expectation(status=400, xsd=False), exchange(error(request_id=repeated), 400), context) == [
        "request_id"]


def test_xsd_violation_lists_the_schema_errors(context):
    mismatches = check_exchange(Expectation(status=200), exchange(success("<Success>maybe</Success>")), context)
    assert [m.check for m in mismatches] == ["xsd"]
    assert "'maybe' is not a boolean value" in mismatches[0].details[0]


LIST_BODY = success("<Jobs><member><JobId>J2</JobId></member><member><JobId>J1</JobId></member>"
                    "<member><JobId>J3</JobId></member></Jobs>", operation="ListJobs")
JOB_IDS = "//ie:Jobs/ie:member/ie:JobId"


@pytest.mark.parametrize("kind, passing, failing", [
    ("equals", "J2", "J9"),
    ("matches", "^J[0-9]$", "^X"),
    ("exists", True, False),
    ("count", 3, 2),
    ("order", ("J2", "J3"), ("J3", "J2")),
    ("contains", "J1", "J9"),
    ("not_contains", "J9", "J1"),
])
def test_xpath_assertions_pass_and_fail(kind, passing, failing):
    context = CheckContext("ListJobs", None)
    path = "(//ie:JobId)[1]" if kind == "equals" else JOB_IDS
    assert checks_of(Expectation(status=200, xpath=(XPathCheck(path, kind, passing),)),
                     exchange(LIST_BODY), context) == []
    mismatches = check_exchange(Expectation(status=200, xpath=(XPathCheck(path, kind, failing),)),
                                exchange(LIST_BODY), CheckContext("ListJobs", None))
    assert [m.check for m in mismatches] == ["xpath"] and mismatches[0].actual


def test_xpath_absent_and_equals_on_nothing():
    context = CheckContext("ListJobs", None)
    absent = Expectation(xpath=(XPathCheck("//ie:Carrier", "absent", True),))
    assert checks_of(absent, exchange(LIST_BODY), context) == []
    mismatches = check_exchange(Expectation(xpath=(XPathCheck("//ie:Carrier", "equals", "UPS"),
                                                   XPathCheck(JOB_IDS, "absent", True))),
                                exchange(LIST_BODY), CheckContext("ListJobs", None))
    assert [m.actual for m in mismatches] == ["(nothing selected)", "['J2', 'J1', 'J3']"]


def test_one_of_passes_when_any_alternative_matches_and_lists_all_otherwise(context):
    alternatives = (Expectation(status=200), Expectation(status="4xx", code=("CanceledJobIdException",)))
    assert checks_of(Expectation(one_of=alternatives), exchange(error("CanceledJobIdException"), 400), context) == []
    (mismatch,) = check_exchange(Expectation(one_of=alternatives), exchange(error(), 400), context)
    assert mismatch.check == "one_of"
    assert any(detail.startswith("alternative 1: [status]") for detail in mismatch.details)
    assert any(detail.startswith("alternative 2: [code]") for detail in mismatch.details)


def test_fetch_body_starts_with():
    expect = Expectation(status=200, xsd=False, content_type_xml=False, body_starts_with="%PDF-")
    assert checks_of(expect, exchange(b"%PDF-1.4"), CheckContext(None, None)) == []
    assert checks_of(expect, exchange(b"<html>"), CheckContext(None, None)) == ["body_starts_with"]


def test_transport_failure_is_the_only_mismatch_without_a_response(context):
    failed = Exchange(REQUEST, None, "no response within 1 s (--timeout)")
    (mismatch,) = check_exchange(Expectation(status=200, code=("X",)), failed, context)
    assert mismatch.check == "transport" and "no response" in mismatch.message


def test_every_mismatch_is_collected_before_failing(context):
    response = exchange(error("Other", "Receiver", request_id="nope"), 500, headers=(("Content-Type", "text/html"),))
    expect = Expectation(status=400, code=("InvalidJobIdException",), error_type="Sender",
                         xpath=(XPathCheck("//ie:Message", "equals", "No such job"),))
    assert checks_of(expect, response, context) == ["status", "content_type", "request_id", "code", "type", "xpath"]
