"""Reading variants of the manifest option pages (issue 19): the readings decisions M15-M17 allow
beside the mock's.

* `erase_device_acknowledged` (M17): the newer Developer Guide copy. Every import manifest must carry
  `eraseDevice: Yes`: absent is `MissingManifestFieldException`, any other value
  `InvalidManifestFieldException` (the mock follows the older copy: optional, yes or no). Refused in
  the proxy before the mock sees the request.
* `manifest_option_leniency` (M15): `ignore` on a job that is not an S3 import and a
  `setContentEncodingForGzFiles` other than yes/no are accepted (the mock refuses both): the mock's
  option checks replaced at their public seams.
* `facility_codes` (M16): the facility rules answered with the other allowed code, a non-EU return
  address from the EU facility as `InvalidManifestFieldException` and expedited shipping outside US to
  US as `InvalidAddressException`.
"""
from __future__ import annotations

from typing import Any

import yaml

from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.seams import Seam, SeamPatch
from tests.mutants.xmlrewrite import local_name, parse, qualified
from tests.variants.answers import recode, reject_authentic
from tests.variants.variant import Variant, announce

ERASE_DEVICE_ACKNOWLEDGED = "variant.reading.erase_device_acknowledged"
OPTION_LENIENCY = "variant.reading.manifest_option_leniency"
_VALIDATION = "mockserver.manifest.validation"
# Message fragments of the mock's facility errors (mockserver/manifest/shipping.py) and the code the
# other reading gives them.
_FACILITY_RECODES = (
    ("InvalidAddressException", "EU region", "InvalidManifestFieldException"),
    ("InvalidManifestFieldException", "expeditedShipping is available only", "InvalidAddressException"),
)


def _manifest(text: str) -> Any:
    try:
        return yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return None


def _erase_device_unacknowledged(params: list) -> str | None:
    present = dict(params)
    if (present.get("Action") or present.get("Operation")) not in ("CreateJob", "UpdateJob"):
        return None
    if present.get("JobType") != "Import":
        return None
    manifest = _manifest(present.get("Manifest", ""))
    if not isinstance(manifest, dict):
        return None
    erase = manifest.get("eraseDevice")
    if erase is None or (isinstance(erase, str) and not erase.strip()):
        return "MissingManifestFieldException"
    if not isinstance(erase, str) or erase.strip().lower() != "yes":
        return "InvalidManifestFieldException"
    return None


def _refuse_unacknowledged(request: ProxyRequest, backend) -> ProxyResponse | None:
    params = request.params()
    code = _erase_device_unacknowledged(params) if params is not None else None
    if code is None:
        return None
    message = "The manifest must acknowledge the erasure of the device with eraseDevice: Yes"
    return reject_authentic(lambda checked: message, code)(request, backend)


def _ignore_anywhere(check_ignore_patterns):
    def lenient(manifest, *, s3_import):
        if not s3_import and "ignore" in manifest:
            announce(OPTION_LENIENCY)
        return check_ignore_patterns(manifest, s3_import=True)
    return lenient


def _gzip_flag_unchecked(check_passed_on_options):
    def lenient(manifest):
        flag = manifest.get("setContentEncodingForGzFiles")
        if isinstance(flag, str) and flag.strip().lower() not in ("", "yes", "no", "true", "false"):
            announce(OPTION_LENIENCY)
            manifest = {key: value for key, value in manifest.items() if key != "setContentEncodingForGzFiles"}
        return check_passed_on_options(manifest)
    return lenient


def _other_facility_codes(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
    root = parse(response.body) if response.is_error else None
    if root is None or local_name(root) != "ErrorResponse":
        return response
    message = root.find(f"{qualified('Error')}/{qualified('Message')}")
    text = message.text or "" if message is not None else ""
    for code, fragment, other in _FACILITY_RECODES:
        if fragment in text:
            return recode(lambda request, found, status, code=code, other=other:
                          (other, status) if found == code else None)(request, response)
    return response


MANIFEST_VARIANTS = (
    Variant(ERASE_DEVICE_ACKNOWLEDGED, "reading",
            "import manifests must carry eraseDevice: Yes (newer DG copy): absent is "
            "MissingManifestFieldException, any other value InvalidManifestFieldException",
            "M17", request=_refuse_unacknowledged),
    Variant(OPTION_LENIENCY, "reading",
            "ignore on export, EBS and Glacier jobs, and setContentEncodingForGzFiles other than yes/no, "
            "are accepted",
            "M15", patch=SeamPatch((Seam(f"{_VALIDATION}:check_ignore_patterns", _ignore_anywhere),
                                    Seam(f"{_VALIDATION}:check_passed_on_options", _gzip_flag_unchecked)))),
    Variant("variant.reading.facility_codes", "reading",
            "a non-EU return address from the EU facility answers InvalidManifestFieldException; expedited "
            "shipping outside US to US answers InvalidAddressException",
            "M16", response=_other_facility_codes),
)
