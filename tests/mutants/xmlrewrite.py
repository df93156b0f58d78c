"""Response rewriting helpers for mutants: parse the backend's XML, change it, serialize it again.

Each helper builds a response hook `(request, response) -> response` that touches only the responses
it names (success or error documents, one operation) and leaves anything it cannot parse alone.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Optional

from lxml import etree

from tests.mutants.exchange import ProxyRequest, ProxyResponse, reason_phrase

NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
ResponseHook = Callable[[ProxyRequest, ProxyResponse], ProxyResponse]
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def qualified(local_name: str) -> str:
    return f"{{{NAMESPACE}}}{local_name}"


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def parse(body: bytes) -> Optional[etree._Element]:
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None


def operation_of(root: etree._Element) -> Optional[str]:
    """`CreateJob` for a `<CreateJobResponse>`, None for an `ErrorResponse` or anything else."""
    name = local_name(root)
    return name[: -len("Response")] if name.endswith("Response") and name != "ErrorResponse" else None


def rewrite_body(change: Callable[[bytes], bytes], errors: Optional[bool] = None) -> ResponseHook:
    """A hook applying `change` to the raw body of XML responses (only errors / only successes /
    both when `errors` is None)."""
    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        if errors is not None and response.is_error != errors:
            return response
        return replace(response, body=change(response.body))
    return hook


def rewrite_tree(change: Callable[[etree._Element], None], operations: Optional[Iterable[str]] = None,
                 errors: bool = False) -> ResponseHook:
    """A hook that parses the body, lets `change` edit the tree in place, and serializes it.

    `errors=False` edits success documents (of `operations` only, when given); `errors=True` edits
    `ErrorResponse` documents.
    """
    wanted = frozenset(operations) if operations is not None else None

    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        if response.is_error != errors:
            return response
        root = parse(response.body)
        if root is None:
            return response
        if errors != (local_name(root) == "ErrorResponse"):
            return response
        if not errors and wanted is not None and operation_of(root) not in wanted:
            return response
        change(root)
        return replace(response, body=etree.tostring(root, encoding="utf-8"))
    return hook


def elements(root: etree._Element, name: str) -> list:
    """Every element called `name` (any depth, the API namespace)."""
    return list(root.iter(qualified(name)))


def retext(names: Iterable[str], change: Callable[[str], str],
           operations: Optional[Iterable[str]] = None) -> ResponseHook:
    """A hook replacing the text of every element in `names` by `change(text)` in success documents."""
    names = tuple(names)

    def edit(root: etree._Element) -> None:
        for name in names:
            for element in elements(root, name):
                element.text = change(element.text or "")
    return rewrite_tree(edit, operations)


def remove(names: Iterable[str], operations: Optional[Iterable[str]] = None, errors: bool = False) -> ResponseHook:
    """A hook dropping every element in `names` from matching documents."""
    names = tuple(names)

    def edit(root: etree._Element) -> None:
        for name in names:
            for element in elements(root, name):
                element.getparent().remove(element)
    return rewrite_tree(edit, operations, errors)


def rename(old: str, new: str) -> ResponseHook:
    """A hook renaming every `old` element to `new` in success documents."""
    def edit(root: etree._Element) -> None:
        for element in elements(root, old):
            element.tag = qualified(new)
    return rewrite_tree(edit)


def error_code_map(mapping: dict) -> ResponseHook:
    """A hook replacing `Error/Code` values by `mapping` (codes not in it are kept)."""
    def edit(root: etree._Element) -> None:
        for code in elements(root, "Code"):
            code.text = mapping.get(code.text, code.text)
    return rewrite_tree(edit, errors=True)


def with_status(change: Callable[[int], int]) -> ResponseHook:
    """A hook changing the HTTP status (the body is kept)."""
    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        status = change(response.status)
        if status == response.status:
            return response
        return replace(response, status=status, reason=reason_phrase(status))
    return hook
