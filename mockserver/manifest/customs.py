"""The manifest's `customs` block (reference §6.7, decision M11).

A return address outside the United States needs a `customs` block, except a return to an EU member
state from the EU (Ireland) facility, i.e. a job whose buckets are all in EU regions (reference §6.7:
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


def check_customs(manifest: Mapping, *, eu_facility: bool) -> None:
    """Raise the customs error of `manifest`, whose `returnAddress` is already a valid mapping.

    `eu_facility` tells that the job's buckets are in EU regions, so the EU facility handles it.
    """
    customs = given(manifest, "customs")
    if customs is None:
        country = given(manifest["returnAddress"], "country")
        if not (is_united_states(country) or (eu_facility and is_eu_member(country))):
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
