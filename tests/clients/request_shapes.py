"""What the five real SDKs put on the wire for each of the six actions, captured and reduced to shapes.

Each SDK's reader program (the reader oracle's, tests/clients/oracle/readers.py) sends the six actions
to its own oracle stub endpoint (tests/clients/oracle/stub.py), which records every request; nothing
is verified and the answers do not matter. A request is reduced to its **shape**: method, path and
query, where the action name goes (`Action` or `Operation`), the content type, the parameter names in
wire order, how a space is encoded, and the signature: for SigV2 its version, method, and timestamp
parameter and form; for SigV4 the headers it sends and signs. Values (keys, times, signatures) are
dropped, so a shape is stable from run to run.

The shapes are stored in `fixtures/protocol/data/client-shapes.json`, from which the generator
`client-shapes` (conformance/generate/client_shape_cases.py) makes one case per SDK and action that
replays the shape, freshly signed, and expects success. `tests/clients/test_request_shapes.py`
captures again and fails when the stored shapes drifted from what the SDKs send;
`python -m tests.clients.request_shapes --update` rewrites the file.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl

from tests.clients import manifests
from tests.clients.oracle.readers import reader_commands
from tests.clients.oracle.stub import RecordedRequest, StubEndpoint, access_key_id
from tests.clients.scenarios import LABEL_ADDRESS
from tests.support.mock_process import worktree_environment

REPO = Path(__file__).resolve().parents[2]
SHAPES_FILE = REPO / "fixtures" / "protocol" / "data" / "client-shapes.json"
OPERATIONS = ("CreateJob", "UpdateJob", "CancelJob", "GetStatus", "ListJobs", "GetShippingLabel")
KEY = "AKIAIOSFODNN7EXAMPLE"
# Values with spaces, newlines and colons (the manifest, the address), so the encoding shows.
PARAMS = {
    "CreateJob": {"JobType": "Import", "Manifest": manifests.s3_import(KEY, "amzn-s3-demo-bucket"),
                  "ValidateOnly": False},
    "UpdateJob": {"JobId": "ABCDE", "JobType": "Import", "Manifest": manifests.s3_import(KEY, "amzn-s3-demo-bucket"),
                  "ValidateOnly": False},
    "CancelJob": {"JobId": "ABCDE"},
    "GetStatus": {"JobId": "ABCDE"},
    "ListJobs": {"MaxJobs": 10},
    "GetShippingLabel": {"jobIds": ["ABCDE"], **LABEL_ADDRESS},
}
SIGV2_PARAMS = ("AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "Timestamp", "Expires", "Signature")
TIMESTAMP_FORMS = {"seconds": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "millis": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                   "offset": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"}
UNSIGNED_HEADERS = {"host", "content-length", "user-agent", "accept-encoding", "accept", "connection",
                    "content-type", "authorization", "expect"}
TIMEOUT_S = 300


def _timestamp_form(value: str) -> str:
    return next((form for form, pattern in TIMESTAMP_FORMS.items() if re.fullmatch(pattern, value)),
                f"unknown ({value})")


def _space_encoding(raw: str) -> str | None:
    """How the request's form data encodes a space: "%20", "+" or None (no space was sent)."""
    if "%20" in raw:
        return "%20"
    return "+" if "+" in raw else None


def shape_of(request: RecordedRequest, operation: str) -> dict:
    """The shape of one recorded request of `operation` (values dropped)."""
    body = request.body.decode("utf-8")
    form = parse_qsl(body, keep_blank_values=True) if "x-www-form-urlencoded" in request.headers.get(
        "content-type", "") else []
    query = parse_qsl(request.query, keep_blank_values=True)
    pairs = [*query, *form]
    named = [name for name, value in pairs if value == operation and name in ("Action", "Operation")]
    shape: dict = {
        "method": request.method, "path": request.path,
        "query": [f"{name}={value}" if value == operation else name for name, value in query],
        "action_params": named, "content_type": request.headers.get("content-type"),
        "params": [name for name, _ in form if name not in SIGV2_PARAMS],
        "space": _space_encoding(body or request.query),
    }
    values = dict(pairs)
    authorization = request.headers.get("authorization", "")
    if authorization.startswith("AWS4-HMAC-SHA256"):
        signed = re.search(r"SignedHeaders=([^,\s]+)", authorization)
        shape["signature"] = {
            "version": "4", "algorithm": "AWS4-HMAC-SHA256", "signed_headers": signed.group(1) if signed else None,
            "headers": sorted(name for name in request.headers if name not in UNSIGNED_HEADERS),
        }
    elif "Signature" in values:
        stamp = "Timestamp" if "Timestamp" in values else "Expires" if "Expires" in values else None
        shape["signature"] = {
            "version": values.get("SignatureVersion"), "method": values.get("SignatureMethod"),
            "timestamp": stamp, "timestamp_form": _timestamp_form(values[stamp]) if stamp else None,
        }
    else:
        shape["signature"] = None
    return shape


def _capture_one(name: str, command: list[str], workdir: Path) -> dict[str, dict]:
    """{operation: shape} of what the reader `name` sends for each action it can send."""
    with StubEndpoint() as stub:
        jobs = [{"id": number, "operation": operation, "params": PARAMS[operation], "endpoint": stub.url,
                 "access_key_id": access_key_id(number), "secret_access_key": "shape-secret"}
                for number, operation in enumerate(OPERATIONS, start=1)]
        jobs_file = workdir / f"{name}-jobs.json"
        jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
        done = subprocess.run([*command, str(jobs_file)], cwd=REPO, env=worktree_environment(),
                              capture_output=True, text=True, timeout=TIMEOUT_S)
        if done.returncode != 0:
            raise RuntimeError(f"{name} ({' '.join(command)}) failed: {done.stderr[-2000:]}")
        shapes: dict[str, dict] = {}
        for request in stub.requests:
            values = dict(parse_qsl(request.query)) | dict(parse_qsl(request.body.decode("utf-8")))
            key = values.get("AWSAccessKeyId") or re.search(r"Credential=([^/]+)",
                                                           request.headers.get("authorization", "")).group(1)
            operation = OPERATIONS[int(key[-6:]) - 1]
            if operation in shapes:
                raise RuntimeError(f"{name} sent {operation} twice (a retry?)")
            shapes[operation] = shape_of(request, operation)
    return {operation: shapes[operation] for operation in OPERATIONS if operation in shapes}


def capture() -> dict[str, dict[str, dict]]:
    """{sdk: {operation: shape}} for all five SDKs (each reader once, in parallel)."""
    commands = reader_commands()
    with tempfile.TemporaryDirectory(prefix="client-shapes-") as workdir, ThreadPoolExecutor(len(commands)) as pool:
        futures = {name: pool.submit(_capture_one, name, command, Path(workdir)) for name, command in commands.items()}
        return {name: futures[name].result() for name in commands}


def document(shapes: dict[str, dict[str, dict]]) -> str:
    """The stored file's text: the shapes with a note on where they come from."""
    return json.dumps({
        "about": "What each real SDK sends per action, reduced to its shape by tests/clients/request_shapes.py "
                 "(python -m tests.clients.request_shapes --update). Replayed by the generator client-shapes.",
        "shapes": shapes,
    }, indent=1, sort_keys=True) + "\n"


def stored() -> dict[str, dict[str, dict]]:
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))["shapes"]


if __name__ == "__main__":
    captured = capture()
    if "--update" in sys.argv[1:]:
        SHAPES_FILE.write_text(document(captured), encoding="utf-8")
        print(f"wrote {SHAPES_FILE.relative_to(REPO)}")
    else:
        sys.stdout.write(document(captured))
