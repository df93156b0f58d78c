"""Wire-format mutants: envelope, namespace, value formats, element names and media type, and one
request-side bug: a POST whose URL carries a query string refused (the AWS SDK for Go v1's shape)."""
from __future__ import annotations

import calendar
import uuid
from datetime import datetime

from lxml import etree

from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.mutant import Mutant
from tests.variants.answers import reject_authentic
from tests.mutants.xmlrewrite import (
    NAMESPACE, qualified, remove, rename, retext, rewrite_body, rewrite_tree,
)

DOCS_NAMESPACE = "http://importexport.amazonaws.com/"
BOOLEANS = ("Success", "IsCanceled", "IsTruncated")
TRUNCATE_AT = 1024
_WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"


def _drop_result_wrapper(root: etree._Element) -> None:
    result = root[0]
    for position, child in enumerate(list(result)):
        root.insert(position, child)
    root.remove(result)


def _unwrap_error(root: etree._Element) -> None:
    error = root.find(qualified("Error"))
    for position, child in enumerate(list(error)):
        root.insert(position, child)
    root.remove(error)


def _request_id_into_error(root: etree._Element) -> None:
    request_id = root.find(qualified("RequestId"))
    root.find(qualified("Error")).append(request_id)


def _errors_list(root: etree._Element) -> None:
    error = root.find(qualified("Error"))
    errors = etree.Element(qualified("Errors"))
    root.replace(error, errors)
    errors.append(error)


def _add_region(root: etree._Element) -> None:
    etree.SubElement(root[0], qualified("Region")).text = "us-east-1"


def _space_separated(text: str) -> str:
    return datetime.strptime(text, _WIRE_TIME).strftime("%Y-%m-%d %H:%M:%S")


def _epoch(text: str) -> str:
    return str(calendar.timegm(datetime.strptime(text, _WIRE_TIME).timetuple()))


def _truncate(body: bytes) -> bytes:
    return body[:TRUNCATE_AT]


def _refuse_post_with_query(request: ProxyRequest, backend) -> ProxyResponse | None:
    """A server that reads API parameters from the form body only and refuses a POST whose URL has a
    query string (as the AWS SDK for Go v1 sends: POST /?Operation=<Action>)."""
    if request.method != "POST" or not request.query:
        return None
    body = (f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>'
            "<Message>A POST request must not carry a query string</Message></Error>"
            f"<RequestId>{uuid.uuid1()}</RequestId></ErrorResponse>")
    return ProxyResponse(400, "Bad Request", (("Content-Type", "text/xml"),), body.encode("utf-8"))


def _content_type(value: str, errors_only: bool):
    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        if errors_only and not response.is_error:
            return response
        return response.with_header("Content-Type", value)
    return hook


def _all_booleans(change):
    return retext(BOOLEANS, lambda text: change.get(text, text))


def _ns(old: bytes, new: bytes):
    return rewrite_body(lambda body: body.replace(old, new))


def _version_missing(params: list) -> str | None:
    return None if "Version" in dict(params) else "The request must contain the parameter Version"


WIRE_MUTANTS = (
    Mutant("wire.version_required", "wire",
           "a request without Version is refused with 400 MissingParameterException (live, requests without "
           "Version succeeded: docs/sources.md F31, F74; was the legal variant variant.reading.version_required "
           "until issue 19)",
           request=reject_authentic(_version_missing, "MissingParameterException")),
    Mutant("wire.namespace_docs", "wire",
           "every response uses the documentation's namespace http://importexport.amazonaws.com/ "
           "instead of .../doc/2010-06-01/",
           response=_ns(NAMESPACE.encode(), DOCS_NAMESPACE.encode())),
    Mutant("wire.namespace_missing", "wire", "responses carry no xmlns at all",
           response=_ns(f' xmlns="{NAMESPACE}"'.encode(), b"")),
    Mutant("wire.request_id_missing", "wire", "success responses have no ResponseMetadata/RequestId",
           response=remove(["ResponseMetadata"])),
    Mutant("wire.result_wrapper_missing", "wire",
           "result members are written straight under <Op>Response (no <Op>Result wrapper)",
           response=rewrite_tree(_drop_result_wrapper)),
    Mutant("wire.error_not_wrapped", "wire",
           "ErrorResponse holds Type/Code/Message directly (no <Error> element)",
           response=rewrite_tree(_unwrap_error, errors=True)),
    Mutant("wire.error_request_id_inside_error", "wire",
           "the error RequestId is written inside <Error> instead of at the top level",
           response=rewrite_tree(_request_id_into_error, errors=True)),
    Mutant("wire.error_errors_list", "wire", "EC2-style ErrorResponse/Errors/Error nesting",
           response=rewrite_tree(_errors_list, errors=True)),
    Mutant("wire.truncated_at_1k", "wire",
           f"a fixed-size write buffer: response bodies longer than {TRUNCATE_AT} bytes are cut off",
           response=rewrite_body(_truncate)),
    Mutant("wire.boolean_capitalized", "wire", "booleans written as True/False (Python str(bool))",
           response=_all_booleans({"true": "True", "false": "False"})),
    Mutant("wire.boolean_numeric", "wire", "booleans written as 1/0",
           response=_all_booleans({"true": "1", "false": "0"})),
    Mutant("wire.date_space_separated", "wire",
           "CreationDate written as '2026-11-28 12:00:00' (SQL style, no T, no zone)",
           response=retext(["CreationDate"], _space_separated)),
    Mutant("wire.date_epoch", "wire", "CreationDate written as epoch seconds",
           response=retext(["CreationDate"], _epoch)),
    Mutant("wire.renamed_is_cancelled", "wire", "IsCanceled spelled IsCancelled (British spelling)",
           response=rename("IsCanceled", "IsCancelled")),
    Mutant("wire.createjob_without_jobid", "wire", "CreateJobResult lacks JobId",
           response=remove(["JobId"], operations=["CreateJob"])),
    Mutant("wire.listjobs_without_istruncated", "wire", "ListJobsResult lacks IsTruncated",
           response=remove(["IsTruncated"], operations=["ListJobs"])),
    Mutant("wire.getstatus_extra_element", "wire",
           "GetStatusResult carries an unmodeled <Region> element",
           response=rewrite_tree(_add_region, operations=["GetStatus"])),
    Mutant("wire.content_type_json", "wire", "API responses are labelled application/json",
           response=_content_type("application/json", errors_only=False)),
    Mutant("wire.content_type_html_errors", "wire",
           "error responses are labelled text/html (a framework's error-page default)",
           response=_content_type("text/html; charset=utf-8", errors_only=True)),
    Mutant("wire.post_query_string_refused", "wire",
           "a POST whose URL carries a query string is refused with 400 (the Go SDK's POST /?Operation=<Action>)",
           request=_refuse_post_with_query, auth="sigv2"),
)
