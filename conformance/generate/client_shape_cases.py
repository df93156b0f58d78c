"""Cases that replay the request shapes real SDKs send (generator `client-shapes`).

`fixtures/protocol/data/client-shapes.json` holds, per SDK (boto3, the AWS CLI, the AWS SDKs for
JavaScript v2, Go v1 and Ruby v1) and per action, the shape of the request it sends: method, URL
query, where the action goes, content type, parameter names in wire order, how a space is encoded,
and the signature (SigV2 version, method, timestamp parameter and form; or SigV4). The project's
tests capture it from the SDKs themselves (tests/clients/request_shapes.py) and fail when it drifts.

Each shape becomes one case, `ClientShape.<Sdk>.<Action>`: the request is built in that shape (the
parameters in the SDK's order, valid values for a job the case created first), freshly signed by the
engine under the SDK's scheme with its signature method and timestamp form, and must succeed with a
valid result. So a server that refuses any real client's request shape (its `Operation=` query, its
`%20` spaces, its parameter order, HmacSHA256 or its timestamp form) fails the suite. Not replayed:
the SDKs' unsigned informational headers (`amz-sdk-invocation-id`, `amz-sdk-request`, User-Agent).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.cases.manifest_templates import ManifestTemplates

SHAPES_FILE = Path("protocol") / "data" / "client-shapes.json"
SOURCE = "F83"
SDK_IDS = {"boto3": "Boto3", "awscli": "AwsCli", "js-sdk": "JsSdk", "go-sdk": "GoSdk", "ruby-sdk": "RubySdk"}
NEEDS_JOB = {"UpdateJob", "CancelJob", "GetStatus", "GetShippingLabel"}
EXPECT: dict[str, dict[str, Any]] = {
    "CreateJob": {"checks": ["job_id_well_formed", "job_type_import"]}, "UpdateJob": {"checks": ["success"]},
    "CancelJob": {"checks": ["success"]}, "GetStatus": {"checks": ["pending"]},
    "ListJobs": {"xpath": [{"path": "//ie:ListJobsResult/ie:IsTruncated", "count": 1}]},
    "GetShippingLabel": {"checks": ["label_url"]},
}
SIGV2_DEFAULTS = {"version": "2", "timestamp": "Timestamp"}
TIMESTAMP_FORMS = ("seconds", "millis", "offset")
API_VERSION = "2010-06-01"


class ShapeError(ValueError):
    """The shapes file holds something the engine cannot replay (named in the message)."""


def _values(fixtures_root: Path, operation: str) -> dict[str, Any]:
    templates = ManifestTemplates(fixtures_root)
    address = templates.values({"template": "return-address"})
    return {
        "Action": operation, "Version": API_VERSION, "JobType": "Import", "ValidateOnly": "false",
        "JobId": "${job_id}", "jobIds.member.1": "${job_id}", "MaxJobs": "10",
        "Manifest": templates.render({"template": "s3-import"}), **address,
    }


def _signing(where: str, signature: dict | None) -> tuple[list[str], dict]:
    """(auth, signing overrides) replaying the shape's signature."""
    if signature is None:
        raise ShapeError(f"{where}: an unsigned request cannot be replayed as a success")
    if signature.get("version") == "4":
        return ["sigv4"], {}
    if {key: signature.get(key) for key in SIGV2_DEFAULTS} != SIGV2_DEFAULTS \
            or signature.get("timestamp_form") not in TIMESTAMP_FORMS:
        raise ShapeError(f"{where}: signature {signature} is not one the engine replays")
    return ["sigv2"], {"method": signature["method"], "timestamp_format": signature["timestamp_form"]}


def shape_case(sdk: str, operation: str, shape: dict, fixtures_root: Path) -> dict:
    """The case replaying one SDK's request shape of one action."""
    where = f"{SHAPES_FILE}: {sdk}.{operation}"
    auth, signing = _signing(where, shape.get("signature"))
    values = _values(fixtures_root, operation)
    unknown = [name for name in shape["params"] if name not in values]
    if unknown or shape["method"] != "POST" or shape["path"] != "/":
        raise ShapeError(f"{where}: cannot replay parameters {unknown}, {shape['method']} {shape['path']}")
    request: dict = {"params": [[name, values[name]] for name in shape["params"]], "omit": ["Action", "Version"]}
    if shape["query"]:
        request["query"] = "&".join(shape["query"])
    if shape.get("space") == "%20":
        request["form_encoding"] = "percent"
    if shape.get("content_type"):
        request["content_type"] = shape["content_type"]
    if signing:
        request["signing"] = signing
    where_action = " and ".join(shape["action_params"]) or "nowhere"
    sent = (f"POST {shape['path']}{'?' + request['query'] if 'query' in request else ''}, the action in "
            f"{where_action}, spaces as {shape.get('space') or 'none sent'}, {auth[0]}")
    steps: list = [{"use": "create_job"}] if operation in NEEDS_JOB else []
    steps.append({"request": request, "expect": {"status": 200, **EXPECT[operation]}})
    return {
        "id": f"ClientShape.{SDK_IDS[sdk]}.{operation}", "operation": operation, "auth": auth,
        "tags": ["protocol"],
        "doc": f"{operation} in the request shape {sdk} sends ({sent}), freshly signed, succeeds.",
        "steps": steps,
    }


def client_shape_case_file(fixtures_root: Path) -> dict:
    """The case file of every stored shape (generator `client-shapes`)."""
    path = fixtures_root / SHAPES_FILE
    try:
        shapes = json.loads(path.read_text(encoding="utf-8"))["shapes"]
    except (OSError, ValueError, KeyError) as error:
        raise ShapeError(f"{path}: cannot read the request shapes: {error}") from None
    cases = [shape_case(sdk, operation, shape, fixtures_root)
             for sdk, operations in shapes.items() for operation, shape in operations.items()]
    return {"concern": "Every real SDK's request shape of every action succeeds (captured from the SDKs).",
            "defaults": {"level": "documented", "source": SOURCE}, "cases": cases}
