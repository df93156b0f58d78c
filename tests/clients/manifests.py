"""Manifest texts the client scenarios send: one valid import and export manifest, and variants that
each break one rule of docs/decisions.md (M1-M13). Accounts and buckets are parameters, so the same
manifests work against any server whose buckets are named in `Buckets`.
"""
from __future__ import annotations

from dataclasses import dataclass

RETURN_ADDRESS = """returnAddress:
  name: Jane Roe
  company: Example Corp.
  street1: {street1}
  city: Anytown
  stateOrProvince: WA
  postalCode: 91011-1111
  phoneNumber: 206-555-1111
  country: USA
"""

GERMAN_ADDRESS = """returnAddress:
  name: Jane Roe
  company: Example GmbH
  street1: Beispielstrasse 12
  city: Berlin
  postalCode: 10115
  phoneNumber: +49 30 1234567
  country: Germany
"""

CUSTOMS = """customs:
  dataDescription: This device contains medical test results.
  encryptedData: {encrypted}
  encryptionClassification: 5D992
  exportCertifierName: John Doe
  requiresExportLicense: no
  deviceValue: 250.00
  deviceCountryOfOrigin: China
  deviceType: externalStorageDevice
"""


@dataclass(frozen=True)
class Buckets:
    """Bucket names by role (docs/contract.md §1); the defaults are the bundled mock's."""

    primary: str = "amzn-s3-demo-bucket"
    log: str = "amzn-s3-demo-logs"
    other_region: str = "amzn-s3-demo-bucket-eu"
    foreign: str = "amzn-s3-demo-bucket-secondary"
    missing: str = "amzn-s3-demo-bucket-missing"


DEFAULT_BUCKETS = Buckets()


def s3_import(access_key_id: str, bucket: str, *, device_id: str = "49382", erase_device: str = "yes",
              street1: str = "123 Any Street", extra: str = "") -> str:
    """An S3 import manifest (reference §6.3); `extra` is appended as further top-level YAML."""
    return (
        f"manifestVersion: 2.0\naccessKeyId: {access_key_id}\nbucket: {bucket}\n"
        f"deviceId: {device_id}\neraseDevice: {erase_device}\n"
        + RETURN_ADDRESS.format(street1=street1) + extra
    )


def s3_export(access_key_id: str, export_bucket: str, log_bucket: str, *, file_system: str = "NTFS") -> str:
    """An S3 export manifest (reference §6.6)."""
    return (
        f"manifestVersion: 2.0\naccessKeyId: {access_key_id}\ndeviceId: 532404500021\n"
        f"fileSystem: {file_system}\nlogBucket: {log_bucket}\n"
        f"operations:\n  - exportBucket: {export_bucket}\n"
        + RETURN_ADDRESS.format(street1="123 Any Street")
    )


def without_device_id(access_key_id: str, bucket: str) -> str:
    """Breaks M5: deviceId is required."""
    return s3_import(access_key_id, bucket).replace("deviceId: 49382\n", "")


def international_import(access_key_id: str, bucket: str, *, customs: str) -> str:
    """An S3 import returned to Germany from a us-east-1 bucket, so customs are due (M11)."""
    head = f"manifestVersion: 2.0\naccessKeyId: {access_key_id}\nbucket: {bucket}\ndeviceId: 49383\neraseDevice: yes\n"
    return head + GERMAN_ADDRESS + customs


MALFORMED = "INVALID MANIFEST\n"
