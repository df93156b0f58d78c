"""`${name}` substitution in case data.

A case string may reference `${name}`: a value saved by an earlier step, or a built-in such as
`${primary.access_key_id}`, `${bucket.log}`, `${host}` or `${unique}`. Only the braced form is a
reference; a lone `$` stays as it is, and `$$` stands for a literal `$`.

`render` walks strings, lists, tuples, dicts and (frozen) dataclasses and returns a rendered copy;
`referenced_names` lists the names a string refers to, so the loader can reject unknown names when
the case file is collected.
"""
from __future__ import annotations

import dataclasses
import string
from collections.abc import Mapping
from typing import Any


class TemplateError(Exception):
    """A `${name}` that no saved value or built-in provides."""


_REFERENCE_PATTERN = r"""
    \$(?:
        (?P<escaped>\$)
      | (?P<named>(?!))
      | \{(?P<braced>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}
      | (?P<invalid>(?!))
    )
"""


class _CaseTemplate(string.Template):
    """`${dotted.name}` references only; `$$` escapes; any other `$` is literal."""

    delimiter = "$"
    pattern = _REFERENCE_PATTERN  # type: ignore[assignment]  # string.Template compiles a str pattern per subclass


def render_text(text: str, variables: Mapping[str, str]) -> str:
    """Substitute every `${name}` in `text`; an unknown name raises TemplateError."""
    if "$" not in text:  # nothing to substitute (most strings of a case)
        return text
    try:
        return _CaseTemplate(text).substitute(variables)
    except KeyError as missing:
        known = ", ".join(sorted(variables)) or "none"
        raise TemplateError(f"unknown template name ${{{missing.args[0]}}} (known: {known})") from None


def render(value: Any, variables: Mapping[str, str]) -> Any:
    """Return `value` with every string inside it rendered."""
    if isinstance(value, str):
        return render_text(value, variables)
    if isinstance(value, list):
        return [render(item, variables) for item in value]
    if isinstance(value, tuple):
        return tuple(render(item, variables) for item in value)
    if isinstance(value, dict):
        return {render(key, variables): render(item, variables) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: render(getattr(value, field.name), variables)
            for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def referenced_names(text: str) -> set[str]:
    """Every `${name}` referenced in `text`."""
    return set(_CaseTemplate(text).get_identifiers())
