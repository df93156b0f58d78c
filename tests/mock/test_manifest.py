"""Unit tests of the mock's manifest validation (mockserver.manifest, decisions M1 to M14), example by example.

The manifests come from tests/mock/manifest_samples.py (the suite's templates with edits per case) and from the
reference's examples; the property-based tests are in test_manifest_properties.py.
"""
from __future__ import annotations

import re
import urllib.parse

import pytest

from mockserver.backend.records import BucketInfo
from mockserver.exceptions import ApiError
from mockserver.manifest.validation import validate_manifest
from mockserver.manifest.yaml_loader import MALFORMED_MESSAGE
from tests.mock.manifest_samples import (
    BUCKETS,
    DELETE,
    EXAMPLES,
    KINDS,
    MAX_BYTES,
    PRIMARY,
    SECONDARY,
    VALID,
    error,
    template,
    validate,
    variant,
)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_template_is_valid_for_its_kind(name):
    job_type, kind, buckets, city = KINDS[name]
    summary = validate(template(name), job_type)
    assert (summary.kind, summary.buckets, summary.warning) == (kind, buckets, None)
    assert summary.manifest_version == ("3.0" if kind in ("ebs-import", "glacier-import") else "2.0")
    assert summary.return_address["name"] == "Jane Roe" and summary.return_address["city"] == city


EXAMPLE_SUBSTITUTIONS = {"ACCE55KEY1D": PRIMARY, "11118346FH746RYTE34": PRIMARY,
                         "{ACCESS_KEY_ID}": PRIMARY, "{BUCKET}": "amzn-s3-demo-bucket",
                         "@ACCESS_KEY_ID@": PRIMARY, "@BUCKET@": "amzn-s3-demo-bucket"}


@pytest.mark.parametrize("name, job_type, kind, legacy", [
    ("ImportManifest-S3-awsie.yml", "Import", "s3-import", False),
    ("ImportManifest-S3-awssdkjs-it-2013.yml", "Import", "s3-import", False),
    ("ImportManifest-S3-awssdkjs-it-2017.yml", "Import", "s3-import", False),
    ("ImportManifest-S3-v1.3-awssdkjava-it.yml", "Import", "s3-import", True),
    ("ExportManifest-S3-v1.2-awssdkjava-it.yml", "Export", "s3-export", True),
    ("ImportManifest-S3-minimal.yaml", "Import", "s3-import", False),
])
def test_live_accepted_example_is_accepted(name, job_type, kind, legacy):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    for placeholder, value in EXAMPLE_SUBSTITUTIONS.items():
        text = text.replace(placeholder, value)
    summary = validate(text, job_type)
    assert summary.kind == kind
    assert (summary.warning is not None) == legacy
    assert summary.return_address["postalCode"].isdigit()


def test_yaml_typing_is_kept_as_text():
    summary = validate(VALID.replace("91011-1111", "02134").replace("49382", "0x10"))
    assert summary.return_address["postalCode"] == "02134"  # not the YAML 1.1 octal integer 1116


def _cli_manifest_blocks() -> list:
    text = (EXAMPLES / "CreateJob-cli-example.rst").read_text(encoding="utf-8")
    in_file = re.search(r"following content::\n\n((?:  .*\n)+)", text).group(1)
    as_string = re.search(r"--manifest '(.*?)'", text, re.S).group(1)
    return ["\n".join(line[2:] for line in in_file.splitlines()), as_string]


def test_cli_create_job_manifests_are_rejected():
    file_form, string_form = _cli_manifest_blocks()
    failure = error(file_form)  # "manifestVersion: 2.0;" is text "2.0;"
    assert failure.code == "InvalidManifestFieldException" and "manifestVersion" in failure.message
    assert error(string_form).code == "MalformedManifestException"  # continuation lines hold "key: value"


def test_updating_a_job_encoded_manifest_is_malformed():
    request = (EXAMPLES / "UpdateJob-request-UpdatingAJob.txt").read_text(encoding="utf-8")
    body = "".join(request.split("\n")[4:])
    manifest = urllib.parse.parse_qs(body)["Manifest"][0]
    assert "\x11" in manifest and manifest.startswith("manifestVersion: 1.0")
    failure = error(manifest)
    assert (failure.code, failure.message) == ("MalformedManifestException", MALFORMED_MESSAGE)


@pytest.mark.parametrize("text", [
    "INVALID MANIFEST", "invalid-manifest", "", "   \n", "# only a comment\n", "- a\n- b\n",
    "a: [1, 2", "key: 'unterminated", VALID + "bucket: other\n",
    VALID.replace("  city: Anytown", "  city: Anytown\n  city: Othertown"),
    VALID.replace("  name: Jane Roe", "\tname: Jane Roe"), VALID.replace("returnAddress:\n", "returnAddress:\n\t\n"),
    VALID.replace("123 Any Street", "123\x11 Any Street"), VALID.replace("Jane", "Ja\x00ne"),
    VALID + "---\nsecond: document\n", VALID + "extra: !custom tag\n", VALID + "? [a, b]\n: c\n",
    "[" * 20000, "key:\n" + "".join(" " * depth + "key:\n" for depth in range(1, 60)),
], ids=lambda text: repr(text[:30]))
def test_malformed_manifest(text):
    failure = error(text)
    assert (failure.code, failure.message) == ("MalformedManifestException", MALFORMED_MESSAGE)


def test_manifest_longer_than_the_limit_is_a_bad_parameter():
    padded = VALID + "# " + "x" * MAX_BYTES + "\n"
    assert error(padded).code == "InvalidParameterException"
    limit = len(VALID.encode("utf-8"))
    assert validate(VALID, max_bytes=limit).kind == "s3-import"
    assert error(VALID + "é", max_bytes=limit + 1).code == "InvalidParameterException"


@pytest.mark.parametrize("name, version, job_type", [
    ("s3-import.yaml", "3.0", "Import"), ("s3-import.yaml", "2.0;", "Import"),
    ("s3-export.yaml", "2", "Export"), ("ebs-import.yaml", "2.0", "Import"),
    ("ebs-import.yaml", "1.3", "Import"), ("glacier-import.yaml", "2.0", "Import"),
    ("s3-import.yaml", ["2.0"], "Import"),
])
def test_wrong_manifest_version_is_invalid(name, version, job_type):
    failure = error(variant(name, {"manifestVersion": version}), job_type)
    assert failure.code == "InvalidManifestFieldException"
    assert "manifestVersion" in failure.message


def test_legacy_s3_version_is_accepted_with_a_warning():
    summary = validate(variant("s3-import.yaml", {"manifestVersion": "1.3"}))
    assert summary.manifest_version == "1.3" and "1.3" in summary.warning


@pytest.mark.parametrize("signer, changes", [
    (SECONDARY, {}), (PRIMARY, {"accessKeyId": "AKIAUNKNOWNEXAMPLE00"}),
    (PRIMARY, {"accessKeyId": [PRIMARY]}),
])
def test_access_key_must_be_the_signer(signer, changes):
    assert error(variant("s3-import.yaml", changes), signer=signer).code == "InvalidAccessKeyIdException"


@pytest.mark.parametrize("name, field", [
    ("s3-import.yaml", "manifestVersion"), ("s3-import.yaml", "accessKeyId"),
    ("s3-import.yaml", "deviceId"), ("s3-import.yaml", "returnAddress"), ("s3-import.yaml", "bucket"),
    ("s3-import.yaml", "returnAddress.name"), ("s3-import.yaml", "returnAddress.street1"),
    ("s3-import.yaml", "returnAddress.city"), ("s3-import.yaml", "returnAddress.postalCode"),
    ("s3-import.yaml", "returnAddress.phoneNumber"), ("s3-import.yaml", "returnAddress.country"),
    ("s3-import.yaml", "returnAddress.stateOrProvince"), ("s3-export.yaml", "fileSystem"),
    ("s3-export.yaml", "operations"), ("s3-export.yaml", "logBucket"),
    ("s3-export.yaml", "operations[0].exportBucket"), ("ebs-import.yaml", "eraseDevice"),
    ("ebs-import.yaml", "logBucket"), ("ebs-import.yaml", "operations[0].source"),
    ("ebs-import.yaml", "operations[0].region"), ("glacier-import.yaml", "operations[0].vaultName"),
    ("glacier-import.yaml", "operations[0].archiveComment"),
])
def test_missing_required_field(name, field):
    job_type = KINDS[name][0]
    for change in (DELETE, ""):
        failure = error(variant(name, {field: change}), job_type)
        assert failure.code == "MissingManifestFieldException"
        assert failure.message == f"The manifest is missing the required field: {field}"


def test_state_is_required_in_canada_and_not_elsewhere():
    stateless = {"returnAddress.stateOrProvince": DELETE}
    canada = {**stateless, "returnAddress.country": "Canada"}
    assert error(variant("s3-import-international.yaml", canada)).message.endswith(
        "returnAddress.stateOrProvince")
    assert validate(variant("s3-import-international.yaml", stateless))


@pytest.mark.parametrize("name, changes, field", [
    ("s3-import.yaml", {"acl": "everyone"}, "acl"),
    ("s3-import.yaml", {"serviceLevel": "overnight"}, "serviceLevel"),
    ("s3-import.yaml", {"eraseDevice": "maybe"}, "eraseDevice"),
    ("s3-import.yaml", {"deviceId": ["a", "b"]}, "deviceId"),
    ("s3-import.yaml", {"bucket": {"name": "x"}}, "bucket"),
    ("s3-export.yaml", {"operations": "amzn-s3-demo-bucket"}, "operations"),
    ("s3-export.yaml", {"operations": ["amzn-s3-demo-bucket"]}, "operations[0]"),
    ("ebs-import.yaml", {"operations[0].region": ["us-east-1"]}, "operations[0].region"),
    ("glacier-import.yaml", {"operations[1]": {"destination": "ebs-snapshot", "source": "device",
                                               "region": "us-east-1", "vaultName": "v",
                                               "archiveComment": "c"}},
     "operations[1].destination"),
])
def test_invalid_field_value(name, changes, field):
    failure = error(variant(name, changes), KINDS[name][0])
    assert failure.code == "InvalidManifestFieldException"
    assert failure.message.startswith(f"The manifest field {field} is invalid")


@pytest.mark.parametrize("value", ["yes", "No", "TRUE", "false"])
def test_erase_device_accepts_yes_no_true_false(value):
    assert validate(variant("s3-import.yaml", {"eraseDevice": value})).kind == "s3-import"


@pytest.mark.parametrize("name", ["s3-import.yaml", "s3-export.yaml"])
def test_log_prefix_length(name):
    job_type = KINDS[name][0]
    base = {"logBucket": "amzn-s3-demo-logs"}
    for prefix in ("p" * 1008, "é" * 504):
        assert validate(variant(name, {**base, "logPrefix": prefix}), job_type)
    for prefix in ("p" * 1009, "é" * 505):
        failure = error(variant(name, {**base, "logPrefix": prefix}), job_type)
        assert failure.code == "InvalidManifestFieldException" and "logPrefix" in failure.message


def test_archive_comment_length():
    for comment in ("c" * 997, "é" * 997):
        assert validate(variant("glacier-import.yaml", {"operations[0].archiveComment": comment}))
    failure = error(variant("glacier-import.yaml", {"operations[0].archiveComment": "c" * 998}))
    assert failure.code == "InvalidManifestFieldException"
    assert "operations[0].archiveComment" in failure.message


@pytest.mark.parametrize("changes, field", [
    ({"returnAddress.street1": "P.O. Box 123"}, "returnAddress.street1"),
    ({"returnAddress.street2": "PO BOX 5"}, "returnAddress.street2"),
    ({"returnAddress.street3": "Post Office Box 9"}, "returnAddress.street3"),
    ({"returnAddress.postalCode": "9101"}, "returnAddress.postalCode"),
    ({"returnAddress.postalCode": "91011-11"}, "returnAddress.postalCode"),
    ({"returnAddress.postalCode": "ABCDE"}, "returnAddress.postalCode"),
    ({"returnAddress": "123 Any Street, Anytown"}, "returnAddress"),
    ({"returnAddress.company": ["a", "b"]}, "returnAddress.company"),
])
def test_invalid_return_address(changes, field):
    failure = error(variant("s3-import.yaml", changes))
    assert failure.code == "InvalidAddressException"
    assert failure.message.startswith(f"The address field {field} is invalid")


def test_address_rules_that_pass():
    assert validate(variant("s3-import.yaml", {"returnAddress.street2": "", "returnAddress.street3": "Suite 5"}))
    assert validate(variant("s3-import.yaml", {"returnAddress.street1": "5 Apollo Box Rd",
                                               "returnAddress.street2": "10 Boxwood Ave"}))
    assert validate(variant("s3-import-international.yaml", {"returnAddress.postalCode": "SW1A 1AA"}))


@pytest.mark.parametrize("changes, code, field", [
    ({"customs": DELETE}, "MissingCustomsException", "customs"),
    ({"customs.deviceType": DELETE}, "MissingCustomsException", "customs.deviceType"),
    ({"customs.dataDescription": ""}, "MissingCustomsException", "customs.dataDescription"),
    ({"customs.encryptionClassification": DELETE}, "MissingCustomsException",
     "customs.encryptionClassification"),
    ({"customs.encryptedData": "maybe"}, "InvalidCustomsException", "customs.encryptedData"),
    ({"customs.requiresExportLicense": "true"}, "InvalidCustomsException", "customs.requiresExportLicense"),
    ({"customs.deviceValue": "-5"}, "InvalidCustomsException", "customs.deviceValue"),
    ({"customs.deviceValue": "0.00"}, "InvalidCustomsException", "customs.deviceValue"),
    ({"customs.deviceValue": "lots"}, "InvalidCustomsException", "customs.deviceValue"),
    ({"customs": "see attached"}, "InvalidCustomsException", "customs"),
    ({"customs.deviceType": ["a"]}, "InvalidCustomsException", "customs.deviceType"),
])
def test_customs_rules(changes, code, field):
    failure = error(variant("s3-import-international.yaml", changes))
    assert failure.code == code and field in failure.message


def test_customs_that_pass():
    unencrypted = {"customs.encryptedData": "no", "customs.encryptionClassification": DELETE,
                   "customs.deviceValue": "250"}
    assert validate(variant("s3-import-international.yaml", unencrypted))


@pytest.mark.parametrize("bucket, country, needs_customs", [
    ("amzn-s3-demo-bucket-eu", "Ireland", False), ("amzn-s3-demo-bucket-eu", "DE", False),
    ("amzn-s3-demo-bucket-eu", "Switzerland", True), ("amzn-s3-demo-bucket", "Ireland", True),
])
def test_eu_facility_returning_to_an_eu_state_needs_no_customs(bucket, country, needs_customs):
    text = variant("s3-import-international.yaml",
                   {"customs": DELETE, "bucket": bucket, "returnAddress.country": country})
    if needs_customs:
        assert error(text).code == "MissingCustomsException"
    else:
        assert validate(text).buckets == [bucket]


@pytest.mark.parametrize("value, ok", [("HFSPlus", False), ("exFAT", False), ("ext4", True), ("FAT32", True)])
def test_export_file_system(value, ok):
    text = variant("s3-export.yaml", {"fileSystem": value})
    if ok:
        assert validate(text, "Export").kind == "s3-export"
    else:
        assert error(text, "Export").code == "InvalidFileSystemException"


@pytest.mark.parametrize("name, changes, code, field", [
    ("s3-import.yaml", {"bucket": "amzn-s3-demo-bucket-missing"}, "NoSuchBucketException", "bucket"),
    ("s3-import.yaml", {"logBucket": "amzn-s3-demo-bucket-missing"}, "NoSuchBucketException", "logBucket"),
    ("s3-export.yaml", {"operations[0].exportBucket": "amzn-s3-demo-bucket-missing"},
     "NoSuchBucketException", "operations[0].exportBucket"),
    ("ebs-import.yaml", {"logBucket": "amzn-s3-demo-bucket-missing"}, "NoSuchBucketException", "logBucket"),
    ("s3-import.yaml", {"bucket": "amzn-s3-demo-bucket-secondary"}, "BucketPermissionException", "bucket"),
    ("s3-export.yaml", {"logBucket": "amzn-s3-demo-bucket-secondary"}, "BucketPermissionException",
     "logBucket"),
    ("s3-export.yaml", {"operations[0].exportBucket": "amzn-s3-demo-bucket-eu"},
     "MultipleRegionsException", "amzn-s3-demo-bucket-eu (eu-west-1)"),
    ("s3-import.yaml", {"logBucket": "amzn-s3-demo-bucket-eu"}, "MultipleRegionsException", "eu-west-1"),
])
def test_bucket_rules(name, changes, code, field):
    failure = error(variant(name, changes), KINDS[name][0])
    assert failure.code == code and field in failure.message


IRISH_RETURN = {"returnAddress.country": "Ireland", "returnAddress.stateOrProvince": "Dublin",
                "returnAddress.postalCode": "D02 P820"}


def test_bucket_in_another_region_alone_is_fine():
    summary = validate(variant("s3-import.yaml", {"bucket": "amzn-s3-demo-bucket-eu", **IRISH_RETURN}))
    assert summary.buckets == ["amzn-s3-demo-bucket-eu"]


@pytest.mark.parametrize("changes, code", [
    ({"manifestVersion": "9.9", "accessKeyId": "AKIAUNKNOWNEXAMPLE00"}, "InvalidManifestFieldException"),
    ({"accessKeyId": "AKIAUNKNOWNEXAMPLE00", "deviceId": DELETE}, "InvalidAccessKeyIdException"),
    ({"deviceId": DELETE, "acl": "everyone"}, "MissingManifestFieldException"),
    ({"acl": "everyone", "returnAddress.street1": "PO Box 1"}, "InvalidManifestFieldException"),
    ({"returnAddress.street1": "PO Box 1", "returnAddress.country": "France"}, "InvalidAddressException"),
    ({"returnAddress.country": "France", "bucket": "amzn-s3-demo-bucket-missing"}, "MissingCustomsException"),
    ({"bucket": "amzn-s3-demo-bucket-secondary", "logBucket": "amzn-s3-demo-bucket-missing"},
     "NoSuchBucketException"),
    ({"bucket": "amzn-s3-demo-bucket-secondary", "logBucket": "amzn-s3-demo-bucket-eu"},
     "BucketPermissionException"),
])
def test_precedence_of_checks(changes, code):
    assert error(variant("s3-import.yaml", changes)).code == code


def test_file_system_comes_after_customs_and_before_buckets():
    customs = {"fileSystem": "HFSPlus", "returnAddress.country": "France"}
    assert error(variant("s3-export.yaml", customs), "Export").code == "MissingCustomsException"
    buckets = {"fileSystem": "HFSPlus", "logBucket": "amzn-s3-demo-bucket-missing"}
    assert error(variant("s3-export.yaml", buckets), "Export").code == "InvalidFileSystemException"


# M15: the options the mock passes on as given (mockserver/manifest/options.py).
@pytest.mark.parametrize("changes", [
    {"cacheControl": "no such directive!!", "contentLanguage": "Spanish", "expires": "tomorrow",
     "contentDisposition": "attachment", "defaultContentType": "binary/octet-stream"},
    {"contentTypes": {"jpg": "image/jpeg", "JPG": "image/jpeg"}, "setContentEncodingForGzFiles": "Yes"},
    {"ignore": [".*~$", r".*\.swp$", "^backup/", r"\p{Lu}+\.tmp$", r"\Q[draft]\E", "(?<name>x)y"]},
    {"ignore": r"\.psd$"}, {"pinCode": "1234", "trueCryptPassword": "password123"},
])
def test_options_passed_on_as_given_are_accepted(changes):
    assert validate(variant("s3-import.yaml", changes)).kind == "s3-import"


@pytest.mark.parametrize("name, changes, field", [
    ("s3-import.yaml", {"cacheControl": {"max-age": "3600"}}, "cacheControl"),
    ("s3-import.yaml", {"expires": ["tomorrow"]}, "expires"),
    ("s3-import.yaml", {"setContentEncodingForGzFiles": "maybe"}, "setContentEncodingForGzFiles"),
    ("s3-import.yaml", {"contentTypes": "image/jpeg"}, "contentTypes"),
    ("s3-import.yaml", {"contentTypes": {"jpg": ["image/jpeg"]}}, "contentTypes.jpg"),
    ("s3-import.yaml", {"ignore": ["*.tmp"]}, "ignore[0]"),
    ("s3-import.yaml", {"ignore": ["(unclosed"]}, "ignore[0]"),
    ("s3-import.yaml", {"ignore": [".*~$", {"a": "b"}]}, "ignore[1]"),
    ("s3-import.yaml", {"ignore": "[a-"}, "ignore"),
    ("s3-export.yaml", {"ignore": [".*~$"]}, "ignore"),
    ("ebs-import.yaml", {"ignore": [".*~$"]}, "ignore"),
])
def test_options_of_the_wrong_shape_are_invalid(name, changes, field):
    failure = error(variant(name, changes), KINDS[name][0])
    assert failure.code == "InvalidManifestFieldException"
    assert failure.message.startswith(f"The manifest field {field} is invalid")


# M16: the data-loading facility (mockserver/manifest/shipping.py).
def test_eu_buckets_need_an_eu_return_address():
    japan = {"bucket": "amzn-s3-demo-bucket-eu", "returnAddress.country": "Japan",
             "returnAddress.postalCode": "100-0005"}
    failure = error(variant("s3-import-international.yaml", japan))
    assert failure.code == "InvalidAddressException" and "returnAddress.country" in failure.message
    us_without_customs = {"bucket": "amzn-s3-demo-bucket-eu"}
    assert error(variant("s3-import.yaml", us_without_customs)).code == "MissingCustomsException"
    germany = {"bucket": "amzn-s3-demo-bucket-eu", "customs": DELETE}
    assert validate(variant("s3-import-international.yaml", germany)).buckets == ["amzn-s3-demo-bucket-eu"]


@pytest.mark.parametrize("name, changes, accepted", [
    ("s3-import.yaml", {}, True),
    ("s3-export.yaml", {}, True),
    ("s3-import-international.yaml", {}, False),
    ("s3-import.yaml", {"bucket": "amzn-s3-demo-bucket-eu", **IRISH_RETURN}, False),
])
def test_expedited_shipping_is_us_to_us_only(name, changes, accepted):
    text = variant(name, {**changes, "serviceLevel": "expeditedShipping"})
    if accepted:
        assert validate(text, KINDS[name][0])
    else:
        failure = error(text, KINDS[name][0])
        assert failure.code == "InvalidManifestFieldException" and "serviceLevel" in failure.message


def test_customs_follow_the_loading_facility():
    singapore = dict(BUCKETS, sg=BucketInfo("sg", PRIMARY, "ap-southeast-1"))
    for country, needs_customs in (("Singapore", False), ("USA", True), ("Ireland", True)):
        text = variant("s3-import-international.yaml", {
            "bucket": "sg", "customs": DELETE, "returnAddress.country": country,
            "returnAddress.postalCode": "01895"})
        options = {"job_type": "Import", "signer_access_key_id": PRIMARY, "buckets": singapore,
                   "max_manifest_bytes": MAX_BYTES}
        if not needs_customs:
            assert validate_manifest(text, **options).buckets == ["sg"]
            continue
        with pytest.raises(ApiError) as raised:
            validate_manifest(text, **options)
        assert raised.value.code == "MissingCustomsException"
