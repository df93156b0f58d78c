"""What a rewrite of an XML answer is (`Rewrite`), the member types it works by, and the patterns
that find values, tags and the declaration in a document's text (tests/clients/oracle/freedoms.py)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

IE_NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
BOOLEAN_MEMBERS = frozenset({"Success", "IsCanceled", "IsTruncated"})
INTEGER_MEMBERS = frozenset({"ErrorCount"})
TIMESTAMP_MEMBERS = frozenset({"CreationDate"})
STAGES = ("value", "markup", "document", "bytes")
LEAF = re.compile(r"<(?P<name>[A-Za-z][\w.-]*)>(?P<text>[^<]*)</(?P=name)>")
TOKEN = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|<[^>]*>)", re.DOTALL)
TAG = re.compile(r"<(?P<end>/?)(?P<name>[A-Za-z][\w.-]*)(?P<rest>[^>]*?)(?P<empty>/?)>", re.DOTALL)
DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")
TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def kind_of(member: str) -> str:
    """`boolean`, `integer`, `timestamp` or `string`: the model type of an output member (by name)."""
    if member in BOOLEAN_MEMBERS:
        return "boolean"
    if member in INTEGER_MEMBERS:
        return "integer"
    if member in TIMESTAMP_MEMBERS:
        return "timestamp"
    return "string"


@dataclass(frozen=True)
class Rewrite:
    """One named rewrite; `probe` when it is not a freedom (it changes what the document says)."""

    name: str
    stage: str
    group: str
    description: str
    apply: Callable
    probe: bool = False
