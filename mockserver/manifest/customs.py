"""The manifest's `customs` block (reference §6.7, decision M11).

A return address outside the country of the job's data-loading facility (mockserver/manifest/
shipping.py: the United States, the EU (Ireland) or Singapore, by the buckets' region) needs a
`customs` block; a return to an EU member state from the EU facility needs none (reference §6.7:
"not required for shipments between the EU (Ireland) facility and an EU member state"). A block
that is present is checked whatever the country: each required sub-field must be given
(`encryptionClassification` too when `encryptedData` is yes), otherwise `MissingCustomsException`;
the yes/no sub-fields must be yes or no and `deviceValue` a positive number, otherwise
`InvalidCustomsException`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from mockserver.exceptions import ApiError, InvalidCustomsException, MissingCustomsException
from mockserver.manifest.address import is_eu_member, is_united_states
from mockserver.manifest.shipping import EUROPEAN_UNION, SINGAPORE, UNITED_STATES
from mockserver.manifest.yaml_loader import given

CUSTOMS_REQUIRED = (
    "dataDescription", "encryptedData", "exportCertifierName", "requiresExportLicense",
    "deviceValue", "deviceCountryOfOrigin", "deviceType",
)
CUSTOMS_YES_NO = ("encryptedData", "requiresExportLicense")
CUSTOMS_TEXT = (*CUSTOMS_REQUIRED, "encryptionClassification", "typeOfExport")

_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _missing(field: str) -> ApiError:
    return MissingCustomsException(f"The manifest is missing the required field: {field}")


def _invalid(field: str, reason: str) -> ApiError:
    return InvalidCustomsException(f"The customs field {field} is invalid: {reason}")


def _is_yes(value: object) -> bool:
    return isinstance(value, str) and value.lower() == "yes"


def returns_within(country: object, facility: str) -> bool:
    """True when a return to `country` stays within the country (or union) of `facility`."""
    if facility == EUROPEAN_UNION:
        return is_eu_member(country)
    if facility == SINGAPORE:
        return isinstance(country, str) and country.strip().lower() in ("singapore", "sg", "sgp")
    return facility == UNITED_STATES and is_united_states(country)


def check_customs(manifest: Mapping, *, facility: str) -> None:
    """Raise the customs error of `manifest`, whose `returnAddress` is already a valid mapping.

    `facility` is the job's data-loading facility (mockserver.manifest.shipping.loading_facility).
    """
    customs = given(manifest, "customs")
    if customs is None:
        if not returns_within(given(manifest["returnAddress"], "country"), facility):
            raise _missing("customs")
        return
    if not isinstance(customs, Mapping):
        raise _invalid("customs", "it must be a mapping of customs fields")
    required: tuple[str, ...] = CUSTOMS_REQUIRED
    if _is_yes(given(customs, "encryptedData")):
        required += ("encryptionClassification",)
    for key in required:
        if given(customs, key) is None:
            raise _missing(f"customs.{key}")
    for key in CUSTOMS_TEXT:
        if key in customs and not isinstance(customs[key], str):
            raise _invalid(f"customs.{key}", "it must be a single text value")
    for key in CUSTOMS_YES_NO:
        if given(customs, key).lower() not in ("yes", "no"):
            raise _invalid(f"customs.{key}", "it must be yes or no")
    value = given(customs, "deviceValue")
    if not _DECIMAL.fullmatch(value) or Decimal(value) <= 0:
        raise _invalid("customs.deviceValue", "it must be a positive number such as 250.00")
