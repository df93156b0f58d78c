"""The optional manifest options the mock only checks for shape (docs/sources.md F23, F75-F79; decision M15).

The Developer Guide's option pages document options whose values the service passes on rather than
acts on: the S3 import header options (`cacheControl`, `contentDisposition`, `contentLanguage`,
`defaultContentType`, `expires`; "we do not validate this value"), the extension map `contentTypes`,
`setContentEncodingForGzFiles`, the `ignore` patterns (S3 import only) and the export encryption
options `pinCode` and `trueCryptPassword`. A present option of the wrong shape, a
`setContentEncodingForGzFiles` that is not yes/no, an `ignore` pattern that is not a regular
expression and `ignore` on another kind of job raise `InvalidManifestFieldException`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from mockserver.exceptions import ApiError, InvalidManifestFieldException

# Single text values passed on as given ("we do not validate this value").
PASSED_ON_TEXT_OPTIONS = (
    "cacheControl", "contentDisposition", "contentLanguage", "defaultContentType", "expires",
    "pinCode", "trueCryptPassword",
)
YES_NO_OPTIONS = ("setContentEncodingForGzFiles",)
YES_NO_VALUES = ("yes", "no", "true", "false")

# Java regular-expression syntax that Python's `re` spells otherwise: \Q...\E quoting, \p{..}/\P{..}
# classes and (?<name>...) groups. What remains is compiled with `re` as the same construct.
_JAVA_QUOTED = re.compile(r"\\Q(.*?)(?:\\E|$)", re.DOTALL)
_JAVA_PROPERTY_CLASS = re.compile(r"\\[pP](?:\{[A-Za-z_=]+\}|[A-Za-z])")
_JAVA_NAMED_GROUP = re.compile(r"\(\?<([A-Za-z][A-Za-z0-9]*)>")


def _invalid(field: str, reason: str) -> ApiError:
    return InvalidManifestFieldException(f"The manifest field {field} is invalid: {reason}")


def is_java_regular_expression(pattern: str) -> bool:
    """True when `pattern` is a regular expression in Java's syntax (as far as Python's `re` shares it)."""
    translated = _JAVA_QUOTED.sub(lambda quoted: re.escape(quoted.group(1)), pattern)
    translated = _JAVA_PROPERTY_CLASS.sub(".", translated)
    translated = _JAVA_NAMED_GROUP.sub(r"(?P<\1>", translated)
    try:
        re.compile(translated)
    except re.error:
        return False
    return True


def check_ignore_patterns(manifest: Mapping, *, s3_import: bool) -> None:
    """`ignore` is a list of Java regular expressions (or one), for S3 import jobs only (F76)."""
    if "ignore" not in manifest:
        return
    if not s3_import:
        raise _invalid("ignore", "ignore applies to Amazon S3 import jobs only")
    patterns = manifest["ignore"]
    listed = patterns if isinstance(patterns, list) else [patterns]
    for index, pattern in enumerate(listed):
        field = f"ignore[{index}]" if isinstance(patterns, list) else "ignore"
        if not isinstance(pattern, str):
            raise _invalid(field, "each pattern must be a single text value")
        if not is_java_regular_expression(pattern):
            raise _invalid(field, f"{pattern} is not a Java regular expression")


def check_content_types(manifest: Mapping) -> None:
    """`contentTypes` maps file extensions to Content-Type values; keys are case-sensitive (F77)."""
    content_types = manifest.get("contentTypes")
    if content_types is None or content_types == "":
        return
    if not isinstance(content_types, dict):
        raise _invalid("contentTypes", "it must map file extensions to Content-Type values")
    for extension, content_type in content_types.items():
        if not isinstance(extension, str) or not isinstance(content_type, str):
            raise _invalid(f"contentTypes.{extension}", "it must be a single text value")


def check_passed_on_options(manifest: Mapping) -> None:
    """The options passed on as given must be single text values; yes/no options must be yes or no."""
    for key in (*PASSED_ON_TEXT_OPTIONS, *YES_NO_OPTIONS):
        if key in manifest and not isinstance(manifest[key], str):
            raise _invalid(key, "it must be a single text value")
    for key in YES_NO_OPTIONS:
        value = manifest.get(key, "").strip()
        if value and value.lower() not in YES_NO_VALUES:
            raise _invalid(key, "it must be yes or no")
