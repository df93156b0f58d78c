"""The freedoms of an XML answer: rewrites that XML 1.0, Namespaces in XML and the XSD's value types
allow, each with a stable name, applied by program to any response document.

A freedom rewrites the document's text and keeps what it says: the same elements in the same
namespace with the same values (a value type's other lexical form, whitespace where the type
collapses it, CDATA, character references, comments, prefixes, encodings...). A few `probe` rewrites
are not freedoms (a bare `True`, a date without zone, the unversioned namespace, attributes the
schema does not name): they are in the corpus so that the verdict's refusals are held against the
clients too. Each rewrite works on the text, not on a re-serialised tree, so what the clients get is
exactly what the rewrite wrote; it returns None where the document offers nothing to rewrite.

Stages run in order when freedoms are combined: `value` (inside simple values), `markup` (tags,
prolog, namespaces; in markup_freedoms.py), `document` (declaration, line ends), `bytes` (byte-order mark,
encoding). What a rewrite is, and the patterns it finds values and tags with, are in rewrite.py.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from tests.clients.oracle.markup_freedoms import MARKUP_REWRITES, substitute
from tests.clients.oracle.rewrite import DECLARATION, LEAF, STAGES, TIMESTAMP, Rewrite, kind_of

# ---------------------------------------------------------------- value stage: one leaf at a time

ValueChange = Callable[[str, str, str], str | None]  # (member, kind, escaped text) -> new text or None


def each_leaf(change: ValueChange) -> Callable[[str], str | None]:
    """A document rewrite applying `change` to every leaf `<Name>text</Name>` it accepts."""
    def rewrite(document: str) -> str | None:
        touched = False

        def one(match: re.Match) -> str:
            nonlocal touched
            name, text = match.group("name"), match.group("text")
            new = change(name, kind_of(name), text)
            if new is None or new == text:
                return match.group(0)
            touched = True
            return f"<{name}>{new}</{name}>"
        result = LEAF.sub(one, document)
        return result if touched else None
    return rewrite


def of_kind(kinds: tuple[str, ...], change: Callable[[str], str | None], non_empty: bool = True) -> ValueChange:
    """A leaf change for the members of `kinds` only (and only non-empty ones unless told)."""
    def leaf(member: str, kind: str, text: str) -> str | None:
        if kind not in kinds or (non_empty and not text.strip()):
            return None
        return change(text)
    return leaf


def padded(change: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """Apply `change` to the value without its collapsible whitespace, keeping that whitespace."""
    def inner(text: str) -> str | None:
        stripped = text.strip(" \t\r\n")
        if not stripped:
            return None
        new = change(stripped)
        if new is None:
            return None
        start = text.index(stripped[0])
        return text[:start] + new + text[start + len(stripped):]
    return inner


def _timestamp(change: Callable[[str, str | None, str], str | None]) -> Callable[[str], str | None]:
    def inner(text: str) -> str | None:
        match = TIMESTAMP.match(text)
        return None if match is None else change(match.group(1), match.group(2), match.group(3))
    return padded(inner)


def _shifted(seconds: str, fraction: str | None, zone: str) -> str | None:
    if zone != "Z":
        return None
    moment = datetime.strptime(seconds, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    local = moment.astimezone(timezone(timedelta(hours=5, minutes=30)))
    return local.strftime("%Y-%m-%dT%H:%M:%S") + (fraction or "") + "+05:30"


def _cdata(text: str) -> str:
    return "<![CDATA[" + html.unescape(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _split_cdata(text: str) -> str | None:
    raw = html.unescape(text)
    if len(raw) < 2 or raw[0] in "<&":
        return None
    return raw[0] + _cdata(text[1:]) if not text.startswith("&") else None


def _decimal_first(text: str) -> str | None:
    if text.startswith("&"):
        return None
    return f"&#{ord(text[0])};{text[1:]}"


def _hex_all(text: str) -> str:
    return "".join(f"&#x{ord(character):X};" for character in html.unescape(text))


def _middle(insert: str) -> Callable[[str], str | None]:
    def inner(text: str) -> str | None:
        if len(text) < 2 or "&" in text[:2]:
            return None
        return text[:1] + insert + text[1:]
    return inner


TYPED = ("boolean", "integer", "timestamp")
STRING = ("string",)
ANY = ("boolean", "integer", "timestamp", "string")


def _value(name: str, description: str, kinds: tuple[str, ...], change: Callable[[str], str | None],
           probe: bool = False, group: str | None = None) -> Rewrite:
    return Rewrite(name, "value", group or name.split(".")[0], description, each_leaf(of_kind(kinds, change)), probe)


VALUE_REWRITES = (
    _value("whitespace.boolean.spaces", "booleans padded with spaces (xs:boolean collapses whitespace)",
           ("boolean",), lambda text: f" {text} "),
    _value("whitespace.boolean.newlines", "booleans on their own indented line", ("boolean",),
           lambda text: f"\n      {text}\n    "),
    _value("whitespace.boolean.tabs", "booleans between tabs", ("boolean",), lambda text: f"\t{text}\t"),
    _value("whitespace.integer.spaces", "integers padded with spaces (xs:int collapses whitespace)",
           ("integer",), lambda text: f" {text} "),
    _value("whitespace.integer.newlines", "integers on their own indented line", ("integer",),
           lambda text: f"\n      {text}\n    "),
    _value("whitespace.timestamp.spaces", "dates padded with spaces (xs:dateTime collapses whitespace)",
           ("timestamp",), lambda text: f" {text} "),
    _value("whitespace.timestamp.newlines", "dates on their own indented line", ("timestamp",),
           lambda text: f"\n      {text}\n    "),
    _value("lexical.boolean.digits", "booleans as 1/0 (xs:boolean's other lexical forms)", ("boolean",),
           padded(lambda text: {"true": "1", "false": "0"}.get(text))),
    _value("lexical.boolean.capitalised", "booleans as True/False (not an xs:boolean form)", ("boolean",),
           padded(lambda text: {"true": "True", "false": "False"}.get(text)), probe=True),
    _value("lexical.integer.plus", "integers with a leading + sign", ("integer",),
           padded(lambda text: None if text.startswith(("+", "-")) else f"+{text}")),
    _value("lexical.integer.leading-zeros", "integers with leading zeros", ("integer",),
           padded(lambda text: f"00{text}")),
    _value("lexical.timestamp.offset-plus-zero", "dates with +00:00 for Z", ("timestamp",),
           _timestamp(lambda seconds, fraction, zone: f"{seconds}{fraction or ''}+00:00" if zone == "Z" else None)),
    _value("lexical.timestamp.offset-minus-zero", "dates with -00:00 for Z", ("timestamp",),
           _timestamp(lambda seconds, fraction, zone: f"{seconds}{fraction or ''}-00:00" if zone == "Z" else None)),
    _value("lexical.timestamp.offset-east", "the same instant written in +05:30 local time", ("timestamp",),
           _timestamp(_shifted)),
    _value("lexical.timestamp.fraction-zeros", "dates with a zero fraction of a second added (.000)",
           ("timestamp",), _timestamp(lambda seconds, fraction, zone: f"{seconds}{fraction or '.'}000{zone}")),
    _value("lexical.timestamp.fraction-micro", "dates with six fraction digits", ("timestamp",),
           _timestamp(lambda seconds, fraction, zone: f"{seconds}{(fraction or '.').ljust(7, '0')}{zone}"
                      if len(fraction or ".") <= 7 else None)),
    _value("lexical.timestamp.lowercase-z", "dates ending in z (not an xs:dateTime form)", ("timestamp",),
           _timestamp(lambda seconds, fraction, zone: f"{seconds}{fraction or ''}z" if zone == "Z" else None),
           probe=True),
    _value("lexical.timestamp.no-zone", "dates without a zone (another value: a local time)", ("timestamp",),
           _timestamp(lambda seconds, fraction, zone: f"{seconds}{fraction or ''}"), probe=True),
    _value("cdata.strings", "every string value in a CDATA section", STRING, _cdata),
    _value("cdata.typed", "every boolean, integer and date in a CDATA section", TYPED, _cdata),
    _value("cdata.split", "every value's first character as text, the rest in a CDATA section", ANY, _split_cdata),
    _value("cdata.empty", "an empty CDATA section before every value", ANY, lambda text: "<![CDATA[]]>" + text),
    _value("reference.decimal-first", "every value's first character as a decimal character reference", ANY,
           _decimal_first, group="reference"),
    _value("reference.hex-typed", "every boolean, integer and date wholly as hex character references", TYPED,
           _hex_all, group="reference"),
    _value("reference.hex-strings", "every string value wholly as hex character references", STRING, _hex_all,
           group="reference"),
    _value("comment.value-start", "a comment before every value, inside the element", ANY,
           lambda text: "<!-- value -->" + text),
    _value("comment.value-end", "a comment after every value, inside the element", ANY,
           lambda text: text + "<!-- end -->"),
    _value("comment.string-middle", "a comment after the first character of every string value", STRING,
           _middle("<!---->")),
    _value("comment.typed-middle", "a comment after the first character of every boolean, integer and date",
           TYPED, _middle("<!-- c -->")),
    _value("pi.value-start", "a processing instruction before every value", ANY,
           lambda text: "<?note value?>" + text, group="processing-instruction"),
    _value("pi.string-middle", "a processing instruction inside every string value", STRING,
           _middle("<?note x?>"), group="processing-instruction"),
    _value("pi.typed-middle", "a processing instruction inside every boolean, integer and date", TYPED,
           _middle("<?note x?>"), group="processing-instruction"),
)


# ---------------------------------------------------------------- document stage: declaration, line ends

def _declared(declaration: str) -> Callable[[str], str | None]:
    def rewrite(document: str) -> str | None:
        new = declaration + "\n" + DECLARATION.sub("", document, count=1)
        return new if new != document else None
    return rewrite


DOCUMENT_REWRITES = (
    Rewrite("declaration.utf-8", "document", "declaration", "`<?xml version=\"1.0\" encoding=\"UTF-8\"?>`",
            _declared('<?xml version="1.0" encoding="UTF-8"?>')),
    Rewrite("declaration.version-only", "document", "declaration", "`<?xml version=\"1.0\"?>`",
            _declared('<?xml version="1.0"?>')),
    Rewrite("declaration.standalone", "document", "declaration", "a declaration with standalone=\"yes\"",
            _declared('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')),
    Rewrite("declaration.single-quotes", "document", "declaration",
            "a declaration in single quotes, encoding in lower case",
            _declared("<?xml version='1.0' encoding='utf-8'?>")),
    Rewrite("line-ends.crlf", "document", "line-ends", "CR LF line ends everywhere (also inside values)",
            substitute(r"\n", "\r\n")),
    Rewrite("line-ends.cr", "document", "line-ends", "bare CR line ends everywhere (also inside values)",
            substitute(r"\n", "\r")),
)


# ---------------------------------------------------------------- bytes stage: byte-order mark, encoding

def _encoded(codec: str, label: str, bom: bytes = b"") -> Callable[[str], bytes | None]:
    def rewrite(document: str) -> bytes | None:
        declaration = f'<?xml version="1.0" encoding="{label}"?>\n'
        text = declaration + DECLARATION.sub("", document, count=1)
        try:
            return bom + text.encode(codec)
        except UnicodeEncodeError:
            return None
    return rewrite


BYTES_REWRITES = (
    Rewrite("bom.utf-8", "bytes", "encoding", "a UTF-8 byte-order mark before the document",
            lambda document: b"\xef\xbb\xbf" + document.encode("utf-8")),
    Rewrite("encoding.utf-16le", "bytes", "encoding", "UTF-16 little-endian with its byte-order mark, declared UTF-16",
            _encoded("utf-16-le", "UTF-16", b"\xff\xfe")),
    Rewrite("encoding.utf-16be", "bytes", "encoding", "UTF-16 big-endian with its byte-order mark, declared UTF-16",
            _encoded("utf-16-be", "UTF-16", b"\xfe\xff")),
    Rewrite("encoding.iso-8859-1", "bytes", "encoding", "ISO-8859-1, declared so",
            _encoded("iso-8859-1", "ISO-8859-1")),
)

REWRITES: tuple[Rewrite, ...] = VALUE_REWRITES + MARKUP_REWRITES + DOCUMENT_REWRITES + BYTES_REWRITES
BY_NAME = {rewrite.name: rewrite for rewrite in REWRITES}
if len(BY_NAME) != len(REWRITES):
    raise RuntimeError("two rewrites share a name")


def apply_all(document: str, names: tuple[str, ...]) -> bytes | None:
    """`document` with the named rewrites applied in stage order, as bytes; None when any of them
    finds nothing to rewrite (the combination does not exist for this document)."""
    ordered = sorted((BY_NAME[name] for name in names), key=lambda rewrite: STAGES.index(rewrite.stage))
    text: str = document
    for rewrite in ordered:
        result = rewrite.apply(text)
        if result is None:
            return None
        if isinstance(result, bytes):
            return result
        text = result
    return text.encode("utf-8")
