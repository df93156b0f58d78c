"""Where the device ships from and to: the data-loading facility of a job and its shipping rules
(docs/sources.md F18, F27, F78; decisions M11, M16).

A job is loaded at the facility of its buckets' region: the United States for `us-*` regions, the EU
(Ireland) for `eu-*`, Singapore for `ap-southeast-1`. Buckets in an EU region need a device that
comes from and goes back to the European Union (`InvalidAddressException` for a return address
outside it), and expedited shipping is for returns from a US facility to a US address
(`InvalidManifestFieldException` otherwise).
"""
from __future__ import annotations

from collections.abc import Mapping

from mockserver.backend.records import BucketInfo
from mockserver.exceptions import InvalidAddressException, InvalidManifestFieldException
from mockserver.manifest.address import is_eu_member, is_united_states
from mockserver.manifest.yaml_loader import given

UNITED_STATES = "US"
EUROPEAN_UNION = "EU"
SINGAPORE = "SG"
EXPEDITED = "expeditedShipping"


def region_facility(region: str) -> str:
    """The facility that loads the devices of a bucket region (a US one for regions not named here)."""
    if region.startswith("eu-"):
        return EUROPEAN_UNION
    if region == "ap-southeast-1":
        return SINGAPORE
    return UNITED_STATES


def loading_facility(named: list, buckets: Mapping[str, BucketInfo]) -> str:
    """The facility of the job whose manifest names `named` ((field, bucket) pairs): the one all its
    known buckets share; the United States when none is known or they differ (a fault of its own,
    `MultipleRegionsException`, found later)."""
    facilities = {region_facility(buckets[name].region) for _, name in named if name in buckets}
    return facilities.pop() if len(facilities) == 1 else UNITED_STATES


def check_eu_return_address(manifest: Mapping, *, facility: str) -> None:
    """A job of the EU facility must return the device to a member state of the European Union."""
    country = given(manifest["returnAddress"], "country")
    if facility == EUROPEAN_UNION and not is_eu_member(country):
        raise InvalidAddressException(
            "The address field returnAddress.country is invalid: buckets in the EU region need a device "
            "shipped from and returned to the European Union"
        )


def check_expedited_shipping(manifest: Mapping, *, facility: str) -> None:
    """serviceLevel expeditedShipping is for returns from a US facility to a US address."""
    if given(manifest, "serviceLevel") != EXPEDITED:
        return
    if facility != UNITED_STATES or not is_united_states(given(manifest["returnAddress"], "country")):
        raise InvalidManifestFieldException(
            "The manifest field serviceLevel is invalid: expeditedShipping is available only for "
            "returns from a US facility to a US address"
        )
