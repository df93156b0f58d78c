"""Security mutants: checks a server forgets (signatures, expiry, ownership, keys, version).

Each is a request hook: it makes the backend see what a server without that one check would act
on, by re-signing the request correctly (tests/mutants/resign.py). Apart from the check a mutant
removes, every request keeps its fate: the others reach the mock exactly as sent.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

import yaml

from tests.mutants.exchange import ProxyRequest
from tests.mutants.mutant import Mutant
from tests.mutants.requestside import authentic, params_hook
from tests.mutants.resign import (
    ACCOUNTS, PRIMARY_KEY, authenticated_signer, resign, scheme_of, signed_at, sigv4_scope,
)

_MANIFEST_KEY_LINE = re.compile(r"^accessKeyId[ \t]*:.*$", re.MULTILINE)


def _sigv2_unchecked(request: ProxyRequest, backend) -> Optional[ProxyRequest]:
    """Any SigV2 signature of a known key passes: the proxy puts the right one in."""
    params = request.params()
    if scheme_of(request) != "sigv2" or params is None:
        return None
    claimed = dict(params).get("AWSAccessKeyId")
    if claimed not in ACCOUNTS:
        return None
    return resign(request, params, claimed, datetime.now(timezone.utc))


def _sigv4_unchecked(request: ProxyRequest, backend) -> Optional[ProxyRequest]:
    """Any SigV4 signature of a known key passes (scope, date and expiry are still checked)."""
    params, scope, moment = request.params(), sigv4_scope(request), signed_at(request)
    if scheme_of(request) != "sigv4" or params is None or scope is None or moment is None:
        return None
    if scope[0] not in ACCOUNTS or scope[1] != moment.strftime("%Y%m%d"):
        return None
    return resign(request, params, scope[0], moment)


def _expiry_unchecked(request: ProxyRequest, backend) -> Optional[ProxyRequest]:
    """A correctly signed request is accepted whenever it was signed: re-signed at the mock's now."""
    params, moment = request.params(), signed_at(request)
    if params is None or moment is None:
        return None
    signer = authenticated_signer(request, moment)
    if signer is None:
        return None
    return resign(request, params, signer, backend.now(), retime=True)


def _ownership_unenforced(request: ProxyRequest, backend) -> Optional[ProxyRequest]:
    """A job-scoped request on another account's job acts as that job's owner."""
    found = authentic(request, backend)
    if found is None:
        return None
    params, signer = found
    job_ids = [value for name, value in params if name == "JobId" or name.startswith("jobIds.member.")]
    if not job_ids:
        return None
    owners = backend.job_owners()
    foreign = next((owners[job_id] for job_id in job_ids
                    if owners.get(job_id, signer) != signer and owners[job_id] in ACCOUNTS), None)
    moment = signed_at(request)
    if foreign is None or moment is None:
        return None
    return resign(request, params, foreign, moment)


def _manifest_key_as_signer(params: list, signer: str) -> Optional[list]:
    """The manifest's top-level accessKeyId replaced by the signer's when they differ."""
    changed = []
    for name, value in params:
        if name == "Manifest":
            try:
                document = yaml.safe_load(value)
            except yaml.YAMLError:
                document = None
            claimed = document.get("accessKeyId") if isinstance(document, dict) else None
            if isinstance(claimed, str) and claimed != signer:
                value = _MANIFEST_KEY_LINE.sub(f"accessKeyId: {signer}", value, count=1)
        changed.append((name, value))
    return changed


def _unknown_key_as_primary(request: ProxyRequest, backend) -> Optional[ProxyRequest]:
    """A request claiming an access key no account has is taken as the primary's."""
    scheme, params = scheme_of(request), request.params()
    if scheme is None or params is None:
        return None
    claimed = dict(params).get("AWSAccessKeyId") if scheme == "sigv2" else (sigv4_scope(request) or [""])[0]
    if not claimed or claimed in ACCOUNTS:
        return None
    return resign(request, params, PRIMARY_KEY, signed_at(request) or backend.now())


SECURITY_MUTANTS = (
    Mutant("security.sigv2_signature_not_checked", "security",
           "SigV2 signatures are not verified (any Signature of a known key is accepted)",
           request=_sigv2_unchecked, auth="sigv2"),
    Mutant("security.sigv4_signature_not_checked", "security",
           "SigV4 signatures are not verified (any Signature of a known key is accepted)",
           request=_sigv4_unchecked),
    Mutant("security.request_expiry_not_checked", "security",
           "Timestamp / Expires / X-Amz-Date are not checked against the clock", request=_expiry_unchecked),
    Mutant("security.ownership_not_enforced", "security",
           "job-scoped actions work on other accounts' jobs", request=_ownership_unenforced),
    Mutant("security.manifest_key_mismatch_undetected", "security",
           "a manifest accessKeyId that is not the signer's is not detected",
           request=params_hook(_manifest_key_as_signer, ["CreateJob", "UpdateJob"])),
    Mutant("security.unknown_key_as_primary", "security",
           "an access key no account has is accepted and treated as the primary account",
           request=_unknown_key_as_primary),
)
