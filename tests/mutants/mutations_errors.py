"""Error mutants: wrong HTTP status, wrong or mangled codes, wrong Type, empty bodies."""
from __future__ import annotations

from dataclasses import replace

from lxml import etree

from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.mutant import Mutant
from tests.mutants.xmlrewrite import elements, error_code_map, rewrite_tree, with_status

EXCEPTION_SUFFIX = "Exception"


def _swap(first: str, second: str) -> dict:
    return {first: second, second: first}


def _without_suffix(root: etree._Element) -> None:
    for code in elements(root, "Code"):
        if code.text and code.text.endswith(EXCEPTION_SUFFIX):
            code.text = code.text[: -len(EXCEPTION_SUFFIX)]


def _receiver(root: etree._Element) -> None:
    for error_type in elements(root, "Type"):
        error_type.text = "Receiver"


def _empty_error_body(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
    return replace(response, body=b"") if response.is_error else response


ERROR_MUTANTS = (
    Mutant("errors.client_errors_200", "errors",
           "client errors (4xx) are sent with HTTP 200; the ErrorResponse body is unchanged",
           response=with_status(lambda status: 200 if 400 <= status < 500 else status)),
    Mutant("errors.client_errors_500", "errors", "HTTP 400 errors are sent as 500",
           response=with_status(lambda status: 500 if status == 400 else status)),
    Mutant("errors.swap_invalid_expired_jobid", "errors",
           "InvalidJobIdException and ExpiredJobIdException are swapped",
           response=error_code_map(_swap("InvalidJobIdException", "ExpiredJobIdException"))),
    Mutant("errors.swap_missing_invalid_parameter", "errors",
           "MissingParameterException and InvalidParameterException are swapped",
           response=error_code_map(_swap("MissingParameterException", "InvalidParameterException"))),
    Mutant("errors.code_without_suffix", "errors",
           "error codes lose the 'Exception' suffix (InvalidJobId instead of InvalidJobIdException)",
           response=rewrite_tree(_without_suffix, errors=True)),
    Mutant("errors.type_receiver", "errors", "every error says Type Receiver instead of Sender",
           response=rewrite_tree(_receiver, errors=True)),
    Mutant("errors.empty_body", "errors", "error responses keep their status but have an empty body",
           response=_empty_error_body),
)
