"""Return-address rules shared by the manifest's `returnAddress` and GetShippingLabel (M6, M11, M12).

One implementation for both callers: an address must be a mapping of single text values, no street
line may be a P.O. box (DG-LIMITS), and a United States postal code must be `NNNNN` or
`NNNNN-NNNN`. Violations raise `InvalidAddressException`, naming the field. The country helpers also
serve the required-field rule for `stateOrProvince` (M6) and the customs rule (M11, reference §6.7).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mockserver.exceptions import ApiError, InvalidAddressException

ADDRESS_FIELDS = (
    "name", "company", "phoneNumber", "country", "stateOrProvince",
    "city", "postalCode", "street1", "street2", "street3",
)
STREET_FIELDS = ("street1", "street2", "street3")

_UNITED_STATES = frozenset({"us", "usa", "united states", "united states of america"})
_CANADA = frozenset({"ca", "can", "canada"})
# The European Union's member states, by English name and ISO 3166-1 alpha-2 code.
_EU_MEMBERS = frozenset({
    "austria", "at", "belgium", "be", "bulgaria", "bg", "croatia", "hr", "cyprus", "cy",
    "czech republic", "czechia", "cz", "denmark", "dk", "estonia", "ee", "finland", "fi", "france", "fr",
    "germany", "de", "greece", "gr", "hungary", "hu", "ireland", "ie", "italy", "it", "latvia", "lv",
    "lithuania", "lt", "luxembourg", "lu", "malta", "mt", "netherlands", "the netherlands", "nl",
    "poland", "pl", "portugal", "pt", "romania", "ro", "slovakia", "sk", "slovenia", "si", "spain", "es",
    "sweden", "se",
})
_PO_BOX = re.compile(r"\b(?:p\.?\s*o\.?|post\s+office)\s*box\b", re.IGNORECASE)
_US_POSTAL_CODE = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")


def _country_key(country: Any) -> str:
    return " ".join(country.split()).lower() if isinstance(country, str) else ""


def is_united_states(country: Any) -> bool:
    """True for the spellings of the United States that the manifests use (`USA`, `US`, ...)."""
    return _country_key(country) in _UNITED_STATES


def is_eu_member(country: Any) -> bool:
    """True for a member state of the European Union, by English name or two-letter code."""
    return _country_key(country) in _EU_MEMBERS


def requires_state(country: Any) -> bool:
    """True when `stateOrProvince` is required: a return address in the US or Canada (M6)."""
    key = _country_key(country)
    return key in _UNITED_STATES or key in _CANADA


def _invalid(field: str, reason: str) -> ApiError:
    return InvalidAddressException(f"The address field {field} is invalid: {reason}")


def check_address(address: Any, *, field_prefix: str, allow_empty: bool) -> None:
    """Raise `InvalidAddressException` for the first unacceptable part of `address`.

    `field_prefix` is put before each field name in messages (`returnAddress.`). Only the address
    fields present are checked; with `allow_empty` an empty value passes (a manifest may carry an
    empty `street2:`), without it an empty value is an error (a request parameter sent empty).
    """
    if not isinstance(address, Mapping):
        raise _invalid(field_prefix.rstrip(".") or "address", "it must be a mapping of address fields")
    for key in ADDRESS_FIELDS:
        if key not in address:
            continue
        value = address[key]
        if not isinstance(value, str):
            raise _invalid(f"{field_prefix}{key}", "it must be a single text value")
        if not allow_empty and not value.strip():
            raise _invalid(f"{field_prefix}{key}", "it must not be empty")
    for key in STREET_FIELDS:
        if _PO_BOX.search(address.get(key, "")):
            raise _invalid(f"{field_prefix}{key}", "P.O. boxes are not accepted")
    postal_code = address.get("postalCode", "").strip()
    us_address = is_united_states(address.get("country"))
    if postal_code and us_address and not _US_POSTAL_CODE.fullmatch(postal_code):
        raise _invalid(
            f"{field_prefix}postalCode", "a United States postal code must be NNNNN or NNNNN-NNNN"
        )
