"""Manifest-rule mutants: the mock with one rule of the Developer Guide's option pages wrong (issue 19).

Each replaces a public, documented seam of the mock's manifest validation (`mockserver.manifest.
validation`, whose checks are the functions of `options.py`, `shipping.py` and `customs.py` it imports)
in the mock's process, keeping one rule out or adding one the sources do not allow: options passed on as
given (decision M15, facts F75-F77, F80, F81) and the data-loading facility's shipping rules (M16, F27,
F78). They are in the `semantics` group: bugs of what the server does.
"""
from __future__ import annotations

import re

from tests.mutants.mutant import Mutant
from tests.mutants.seams import replace_seam

_VALIDATION = "mockserver.manifest.validation"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_CACHE_DIRECTIVES = re.compile(r"[a-z-]+(?:=[0-9]+)?(?:\s*,\s*[a-z-]+(?:=[0-9]+)?)*")
_HTTP_DATE = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")
_ENCRYPTION_OPTIONS = ("pinCode", "trueCryptPassword")


def _invalid(field: str):
    from mockserver.exceptions import InvalidManifestFieldException

    return InvalidManifestFieldException(f"The manifest field {field} is invalid")


def _no_check(original):
    """The check left out: whatever it would refuse passes."""
    def unchecked(*args, **kwargs) -> None:
        return None
    return unchecked


def _refusing(refused):
    """The original check, then a refusal of what `refused(manifest)` names (a field, or None)."""
    def build(original):
        def stricter(manifest, *args, **kwargs):
            original(manifest, *args, **kwargs)
            field = refused(manifest)
            if field is not None:
                raise _invalid(field)
        return stricter
    return build


def _header_value_validated(manifest) -> str | None:
    language = manifest.get("contentLanguage")
    if isinstance(language, str) and not _LANGUAGE_TAG.fullmatch(language.strip()):
        return "contentLanguage"
    cache_control = manifest.get("cacheControl")
    if isinstance(cache_control, str) and not _CACHE_DIRECTIVES.fullmatch(cache_control.strip()):
        return "cacheControl"
    return None


def _expires_not_a_date(manifest) -> str | None:
    expires = manifest.get("expires")
    return "expires" if isinstance(expires, str) and not _HTTP_DATE.fullmatch(expires) else None


def _encryption_option_unknown(manifest) -> str | None:
    return next((key for key in _ENCRYPTION_OPTIONS if key in manifest), None)


def _keys_folded(manifest) -> str | None:
    content_types = manifest.get("contentTypes")
    if not isinstance(content_types, dict):
        return None
    folded = [str(key).lower() for key in content_types]
    return "contentTypes" if len(folded) != len(set(folded)) else None


def _ignore_as_globs(manifest) -> str | None:
    patterns = manifest.get("ignore")
    listed = patterns if isinstance(patterns, list) else [patterns]
    anchored = any(isinstance(pattern, str) and re.search(r"[\^$\\]", pattern) for pattern in listed)
    return "ignore" if patterns is not None and anchored else None


def _expedited_import_only(manifest) -> str | None:
    return "serviceLevel" if manifest.get("serviceLevel") == "expeditedShipping" and "fileSystem" in manifest \
        else None


def _exemption_for_any_eu_address(check_customs):
    """The EU customs exemption applied to a return to any EU state, whatever the loading facility."""
    from mockserver.manifest.address import is_eu_member
    from mockserver.manifest.yaml_loader import given

    def exempt(manifest, *, facility):
        country = given(manifest["returnAddress"], "country") if isinstance(manifest.get("returnAddress"), dict) \
            else None
        return check_customs(manifest, facility="EU" if is_eu_member(country) else facility)
    return exempt


def _customs_outside_the_us(check_customs):
    """Customs required for every return outside the United States, the EU facility's included."""
    def us_only(manifest, *, facility):
        return check_customs(manifest, facility="US")
    return us_only


MANIFEST_MUTANTS = (
    Mutant("semantics.manifest_ignore_not_checked", "semantics",
           "ignore patterns that are no Java regular expression (and ignore on other jobs) accepted",
           patch=replace_seam(f"{_VALIDATION}:check_ignore_patterns", _no_check)),
    Mutant("semantics.manifest_ignore_as_globs", "semantics",
           "ignore patterns read as file globs: anchors and escapes of the DG's Java patterns refused",
           patch=replace_seam(f"{_VALIDATION}:check_ignore_patterns", _refusing(_ignore_as_globs))),
    Mutant("semantics.manifest_content_types_not_checked", "semantics",
           "contentTypes of any shape accepted (a text in place of the extension map)",
           patch=replace_seam(f"{_VALIDATION}:check_content_types", _no_check)),
    Mutant("semantics.manifest_content_types_keys_folded", "semantics",
           "contentTypes keys folded to lower case: jpg and JPG refused as duplicates",
           patch=replace_seam(f"{_VALIDATION}:check_content_types", _refusing(_keys_folded))),
    Mutant("semantics.manifest_header_values_validated", "semantics",
           "cacheControl and contentLanguage validated against the HTTP grammar (the DG says they are not)",
           patch=replace_seam(f"{_VALIDATION}:check_passed_on_options", _refusing(_header_value_validated))),
    Mutant("semantics.manifest_expires_must_be_a_date", "semantics",
           "expires refused unless an HTTP date (the DG sample sends expires: tomorrow)",
           patch=replace_seam(f"{_VALIDATION}:check_passed_on_options", _refusing(_expires_not_a_date))),
    Mutant("semantics.manifest_encryption_options_refused", "semantics",
           "pinCode and trueCryptPassword refused as unknown manifest fields",
           patch=replace_seam(f"{_VALIDATION}:check_passed_on_options", _refusing(_encryption_option_unknown))),
    Mutant("semantics.manifest_eu_return_address_not_checked", "semantics",
           "EU-region buckets accepted with a return address outside the European Union",
           patch=replace_seam(f"{_VALIDATION}:check_eu_return_address", _no_check)),
    Mutant("semantics.manifest_expedited_anywhere", "semantics",
           "serviceLevel expeditedShipping accepted for any facility and return country",
           patch=replace_seam(f"{_VALIDATION}:check_expedited_shipping", _no_check)),
    Mutant("semantics.manifest_expedited_import_only", "semantics",
           "serviceLevel expeditedShipping refused on export jobs",
           patch=replace_seam(f"{_VALIDATION}:check_expedited_shipping", _refusing(_expedited_import_only))),
    Mutant("semantics.manifest_customs_exemption_any_facility", "semantics",
           "no customs asked for a return to an EU state from a US facility",
           patch=replace_seam(f"{_VALIDATION}:check_customs", _exemption_for_any_eu_address,
                              uses=("mockserver.manifest.address:is_eu_member",
                                    "mockserver.manifest.yaml_loader:given"))),
    Mutant("semantics.manifest_customs_outside_us_always", "semantics",
           "customs asked for every return outside the US, from the EU facility to an EU state too",
           patch=replace_seam(f"{_VALIDATION}:check_customs", _customs_outside_the_us)),
)
