"""SigV4 signing at a chosen moment, with botocore's signer pieces (tests that send requests outside their window)."""
from __future__ import annotations

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest


def sign_sigv4_at(signer: SigV4Auth, request: AWSRequest, amz_date: str) -> None:
    """Add X-Amz-Date `amz_date` (YYYYMMDDTHHMMSSZ) and the Authorization header botocore computes for it;
    `signer.add_auth` would always sign as of now."""
    request.context["timestamp"] = amz_date
    request.headers["X-Amz-Date"] = amz_date
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    request.headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={signer.scope(request)}, "
        f"SignedHeaders={signer.signed_headers(signer.headers_to_sign(request))}, Signature={signature}")
