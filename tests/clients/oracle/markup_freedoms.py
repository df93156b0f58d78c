"""The markup stage of the freedoms (tests/clients/oracle/freedoms.py): rewrites of tags, the prolog
and namespaces (prefixes, redeclarations, comments and processing instructions between elements,
empty-element forms, attributes)."""
from __future__ import annotations

import re
from collections.abc import Callable

from tests.clients.oracle.rewrite import DECLARATION, IE_NAMESPACE, LEAF, TAG, TOKEN, Rewrite

# ---------------------------------------------------------------- markup stage: tags and prolog

def each_tag(change: Callable[[re.Match, int], str | None]) -> Callable[[str], str | None]:
    """A document rewrite applying `change(tag match, element depth)` to every element tag, leaving
    CDATA sections, comments and processing instructions alone."""
    def rewrite(document: str) -> str | None:
        parts, depth, touched = [], 0, False
        for piece in TOKEN.split(document):
            match = TAG.fullmatch(piece) if piece.startswith("<") and not piece.startswith(("<!", "<?")) else None
            if match is None:
                parts.append(piece)
                continue
            if match.group("end"):
                depth -= 1
            new = change(match, depth)
            if not match.group("end") and not match.group("empty"):
                depth += 1
            touched |= new is not None and new != piece
            parts.append(piece if new is None else new)
        return "".join(parts) if touched else None
    return rewrite


def _tag(match: re.Match, name: str | None = None, rest: str | None = None, empty: str | None = None) -> str:
    return (f"<{match.group('end')}{match.group('name') if name is None else name}"
            f"{match.group('rest') if rest is None else rest}{match.group('empty') if empty is None else empty}>")


def _prefixed(prefix: str) -> Callable[[str], str | None]:
    """Every element in the `prefix:` form, the prefix declared on the root instead of the default."""
    def change(match: re.Match, depth: int) -> str:
        rest = match.group("rest")
        if not match.group("end") and depth == 0:
            rest = rest.replace(f'xmlns="{IE_NAMESPACE}"', f'xmlns:{prefix}="{IE_NAMESPACE}"')
        return _tag(match, name=f"{prefix}:{match.group('name')}", rest=rest)
    return each_tag(change)


def _declared_at(depths: Callable[[int], bool], declaration: str) -> Callable[[str], str | None]:
    def change(match: re.Match, depth: int) -> str | None:
        if match.group("end") or depth == 0 or not depths(depth):
            return None
        return _tag(match, rest=match.group("rest") + " " + declaration)
    return each_tag(change)


def _root_attribute(attribute: str) -> Callable[[str], str | None]:
    def change(match: re.Match, depth: int) -> str | None:
        return None if match.group("end") or depth else _tag(match, rest=match.group("rest") + " " + attribute)
    return each_tag(change)


def _leaf_attribute(attribute: str) -> Callable[[str], str | None]:
    def rewrite(document: str) -> str | None:
        new = LEAF.sub(lambda match: f"<{match.group('name')} {attribute}>{match.group('text')}"
                                     f"</{match.group('name')}>", document)
        return new if new != document else None
    return rewrite


def _rebound_prefix(document: str) -> str | None:
    """The root binds `a:` to another namespace; the result element binds `a:` to the Import/Export
    namespace again and everything inside it uses `a:`."""
    inner = _prefixed("a")(document)
    if inner is None:
        return None

    def change(match: re.Match, depth: int) -> str | None:
        rest = match.group("rest")
        if not match.group("end") and depth == 0:
            return _tag(match, rest=rest.replace(f'xmlns:a="{IE_NAMESPACE}"',
                                                 f'xmlns:a="urn:example:other" xmlns="{IE_NAMESPACE}"'),
                        name=match.group("name")[2:])
        if depth == 0:
            return _tag(match, name=match.group("name")[2:])
        if not match.group("end") and depth == 1:
            return _tag(match, rest=rest + f' xmlns:a="{IE_NAMESPACE}"')
        return None
    return each_tag(change)(inner)


def _between_tags(insert: str) -> Callable[[str], str | None]:
    """`insert` after every start tag whose element holds elements (element-only content)."""
    def rewrite(document: str) -> str | None:
        new = re.sub(r"(<[A-Za-z][^<>]*[^/]>)(\s*<[A-Za-z])", lambda m: m.group(1) + insert + m.group(2), document)
        return new if new != document else None
    return rewrite


def _prolog(insert: str) -> Callable[[str], str | None]:
    def rewrite(document: str) -> str:
        declaration = DECLARATION.match(document)
        cut = declaration.end() if declaration else 0
        return document[:cut] + insert + "\n" + document[cut:]
    return rewrite


def substitute(pattern: str, replacement: str | Callable, flags: int = 0) -> Callable[[str], str | None]:
    def rewrite(document: str) -> str | None:
        new = re.sub(pattern, replacement, document, flags=flags)
        return new if new != document else None
    return rewrite


def _markup(name: str, description: str, apply: Callable[[str], str | None], probe: bool = False,
            group: str | None = None) -> Rewrite:
    return Rewrite(name, "markup", group or name.split(".")[0], description, apply, probe)


MARKUP_REWRITES = (
    _markup("whitespace.between.none", "no whitespace between elements", substitute(r">\s+<", "><"),
            group="whitespace-between"),
    _markup("whitespace.between.extra", "tabs, blank lines and CRs between elements",
            substitute(r">(\s*)<(?=[A-Za-z/])", lambda m: ">\n\t\r\n  " + m.group(1) + "<"),
            group="whitespace-between"),
    _markup("tag.space-before-close", "a space before every tag's `>`",
            each_tag(lambda match, depth: _tag(match, rest=match.group("rest") + " ")), group="tag"),
    _markup("tag.newline-in-end-tag", "a newline before the `>` of every end tag",
            each_tag(lambda match, depth: _tag(match, rest=match.group("rest") + "\n") if match.group("end") else None),
            group="tag"),
    _markup("comment.between-elements", "a comment at the start of every element with element content",
            _between_tags("<!-- between -->")),
    _markup("comment.prolog", "a comment before the root element", _prolog("<!-- Import/Export -->")),
    _markup("comment.epilog", "a comment after the root element", lambda document: document + "<!-- end -->\n"),
    _markup("pi.between-elements", "a processing instruction at the start of every element with element content",
            _between_tags("<?note between?>"), group="processing-instruction"),
    _markup("pi.prolog", "a processing instruction before the root element", _prolog("<?note prolog?>"),
            group="processing-instruction"),
    _markup("pi.epilog", "a processing instruction after the root element",
            lambda document: document + "<?note end?>\n", group="processing-instruction"),
    _markup("namespace.prefix-ie", "every element prefixed ie:, the prefix declared on the root",
            _prefixed("ie"), group="namespace"),
    _markup("namespace.prefix-long", "every element prefixed importexport:", _prefixed("importexport"),
            group="namespace"),
    _markup("namespace.default-redeclared-everywhere", "the default namespace declared again on every element",
            _declared_at(lambda depth: True, f'xmlns="{IE_NAMESPACE}"'), group="namespace"),
    _markup("namespace.default-redeclared-result", "the default namespace declared again on the root's children",
            _declared_at(lambda depth: depth == 1, f'xmlns="{IE_NAMESPACE}"'), group="namespace"),
    _markup("namespace.prefix-declared-unused", "an unused prefix declared on the root",
            _root_attribute('xmlns:x="urn:example:unused"'), group="namespace"),
    _markup("namespace.prefix-rebound", "prefix a: bound to another namespace on the root and rebound inside",
            _rebound_prefix, group="namespace"),
    _markup("namespace.unversioned", "the unversioned namespace of the documented examples (another namespace)",
            substitute(re.escape(IE_NAMESPACE), "http://importexport.amazonaws.com/"), probe=True,
            group="namespace"),
    _markup("empty.start-end", "empty elements written `<X></X>`",
            substitute(r"<([A-Za-z][\w.-]*)([^<>]*?)\s*/>", r"<\1\2></\1>"), group="empty-element"),
    _markup("attribute.xml-lang-root", "xml:lang=\"en\" on the root element", _root_attribute('xml:lang="en"'),
            group="attribute", probe=True),
    _markup("attribute.foreign-on-values", "an attribute in another namespace on every leaf element",
            _leaf_attribute('xmlns:o="urn:example:other" o:note="x"'), group="attribute", probe=True),
    _markup("attribute.plain-on-values", "an unqualified attribute on every leaf element",
            _leaf_attribute('note="x"'), group="attribute", probe=True),
)
