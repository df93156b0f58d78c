"""Sample manifests for the mock's manifest tests: the suite's templates (fixtures/templates/manifests/,
rendered and filled with the default accounts and buckets of docs/contract.md §1) with edits applied
per case, and the validation call with the mock's bucket table.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conformance.cases.manifest_templates import ManifestTemplates
from mockserver.backend.records import BucketInfo
from mockserver.exceptions import ApiError
from mockserver.manifest.validation import validate_manifest
from mockserver.manifest.yaml_loader import parse_manifest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ManifestTemplates(ROOT / "fixtures")
EXAMPLES = ROOT / "fixtures" / "examples" / "reference"  # byte-faithful copies of the published examples
PRIMARY = "AKIAIOSFODNN7EXAMPLE"
SECONDARY = "AKIAI44QH8DHBEXAMPLE"
MAX_BYTES = 65536
# docs/contract.md §1, plus the buckets two of the documented examples name.
BUCKETS = {name: BucketInfo(name, owner, region) for name, owner, region in (
    ("amzn-s3-demo-bucket", PRIMARY, "us-east-1"), ("amzn-s3-demo-logs", PRIMARY, "us-east-1"),
    ("amzn-s3-demo-bucket-eu", PRIMARY, "eu-west-1"), ("amzn-s3-demo-bucket-secondary", SECONDARY, "us-east-1"),
    ("myBucket", PRIMARY, "us-east-1"), ("import-export-bucket", PRIMARY, "us-east-1"),
)}
TEMPLATE_VALUES = {
    "${primary.access_key_id}": PRIMARY,
    "${bucket.primary}": "amzn-s3-demo-bucket",
    "${bucket.log}": "amzn-s3-demo-logs",
}
DELETE = object()
# template: (job type, kind, buckets named, return city)
KINDS = {
    "s3-import.yaml": ("Import", "s3-import", ["amzn-s3-demo-bucket"], "Anytown"),
    "s3-export.yaml": ("Export", "s3-export", ["amzn-s3-demo-bucket", "amzn-s3-demo-logs"], "Anytown"),
    "ebs-import.yaml": ("Import", "ebs-import", ["amzn-s3-demo-logs"], "Anytown"),
    "glacier-import.yaml": ("Import", "glacier-import", ["amzn-s3-demo-logs"], "Anytown"),
    "s3-import-international.yaml": ("Import", "s3-import", ["amzn-s3-demo-bucket"], "München"),
}


def template(name: str) -> str:
    text = TEMPLATES.render({"template": Path(name).stem})
    for placeholder, value in TEMPLATE_VALUES.items():
        text = text.replace(placeholder, value)
    assert "${" not in text
    return text


VALID = template("s3-import.yaml")


def variant(name: str, changes: dict) -> str:
    """The template `name` with dotted paths (`returnAddress.city`, `operations[0].region`) changed."""
    tree = parse_manifest(template(name), max_bytes=MAX_BYTES)
    for path, value in changes.items():
        keys = [int(k) if k.isdigit() else k for k in re.split(r"\.|\[|\]\.?", path) if k]
        parent = tree
        for key in keys[:-1]:
            parent = parent[key]
        if value is DELETE:
            parent.pop(keys[-1], None)
        elif isinstance(parent, list) and keys[-1] == len(parent):
            parent.append(value)
        else:
            parent[keys[-1]] = value
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def validate(text: str, job_type: str = "Import", signer: str = PRIMARY, max_bytes: int = MAX_BYTES):
    return validate_manifest(
        text, job_type=job_type, signer_access_key_id=signer, buckets=BUCKETS,
        max_manifest_bytes=max_bytes,
    )


def error(text: str, job_type: str = "Import", **kwargs) -> ApiError:
    with pytest.raises(ApiError) as raised:
        validate(text, job_type, **kwargs)
    assert (raised.value.status, raised.value.error_type) == (400, "Sender")
    return raised.value
