"""The schema accepts what it must: realistic documents for all six responses and ErrorResponse
(samples/valid/), every response recorded from the live service as published (the *-awsie.xml
copies in fixtures/examples/reference/ and samples/live/), any order of result members
(decision W2), and every optional element left out."""

from pathlib import Path

import pytest
from lxml import etree

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
VALID_SAMPLES = sorted(p.name for p in (SAMPLES_DIR / "valid").glob("*.xml"))
LIVE_SAMPLES = sorted(p.name for p in (SAMPLES_DIR / "live").glob("*.xml"))
EXAMPLE_COPIES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "examples" / "reference"
LIVE_EXAMPLE_COPIES = sorted(p.name for p in EXAMPLE_COPIES_DIR.glob("*-awsie*.xml"))

ROOT_ELEMENTS = {
    "CreateJobResponse", "UpdateJobResponse", "CancelJobResponse", "GetStatusResponse",
    "ListJobsResponse", "GetShippingLabelResponse", "ErrorResponse",
}

# Optional members that a sample carries and that may each be left out.
OPTIONAL_MEMBERS = {
    "CreateJob-import-full.xml": [
        "//ie:CreateJobResult/ie:JobType", "//ie:CreateJobResult/ie:Signature",
        "//ie:CreateJobResult/ie:SignatureFileContents", "//ie:CreateJobResult/ie:WarningMessage",
        "//ie:CreateJobResult/ie:ArtifactList", "//ie:ArtifactList/ie:member",
    ],
    "UpdateJob-with-warning.xml": ["//ie:WarningMessage", "//ie:ArtifactList"],
    "GetStatus-returned-complete.xml": [
        "//ie:Carrier", "//ie:TrackingNumber", "//ie:LogBucket", "//ie:LogKey", "//ie:ErrorCount",
        "//ie:GetStatusResult/ie:Signature", "//ie:GetStatusResult/ie:SignatureFileContents",
        "//ie:CurrentManifest", "//ie:GetStatusResult/ie:ArtifactList",
    ],
    "ListJobs-two-jobs.xml": ["//ie:Jobs", "//ie:Jobs/ie:member[1]"],
    "GetShippingLabel-url.xml": ["//ie:Warning"],
}

RESULT_PARENTS = (
    "//ie:CreateJobResult", "//ie:UpdateJobResult", "//ie:CancelJobResult", "//ie:GetStatusResult",
    "//ie:ListJobsResult", "//ie:GetShippingLabelResult", "//ie:Jobs/ie:member", "//ie:ArtifactList/ie:member",
    "//ie:Error",
)


def test_samples_cover_all_six_responses_and_error_response(parse_xml):
    roots = {etree.QName(parse_xml((SAMPLES_DIR / "valid" / name).read_bytes())).localname for name in VALID_SAMPLES}
    assert roots == ROOT_ELEMENTS


@pytest.mark.parametrize("name", VALID_SAMPLES)
def test_valid_sample_validates(name, schema_errors):
    assert schema_errors((SAMPLES_DIR / "valid" / name).read_bytes()) == []


def test_there_are_live_captures_to_check():
    assert len(LIVE_EXAMPLE_COPIES) >= 4 and len(LIVE_SAMPLES) >= 2


@pytest.mark.parametrize("name", LIVE_EXAMPLE_COPIES)
def test_live_capture_in_examples_validates_as_published(name, schema_errors):
    assert schema_errors((EXAMPLE_COPIES_DIR / name).read_bytes()) == []


@pytest.mark.parametrize("name", LIVE_SAMPLES)
def test_live_capture_in_samples_validates_as_published(name, schema_errors):
    assert schema_errors((SAMPLES_DIR / "live" / name).read_bytes()) == []


@pytest.mark.parametrize("name", LIVE_SAMPLES)
def test_live_capture_in_samples_has_a_source_sidecar(name):
    sidecar = SAMPLES_DIR / "live" / f"{name}.source"
    assert sidecar.read_text(encoding="utf-8").startswith("mhorbul/aws-ie/spec/fixtures/")


@pytest.mark.parametrize(
    ("name", "xpath"),
    [pytest.param(name, xpath, id=f"{name}:{xpath}") for name, paths in OPTIONAL_MEMBERS.items() for xpath in paths],
)
def test_optional_member_may_be_left_out(name, xpath, parse_xml, schema_errors, namespace):
    root = parse_xml((SAMPLES_DIR / "valid" / name).read_bytes())
    (target,) = root.xpath(xpath, namespaces={"ie": namespace})
    target.getparent().remove(target)
    assert schema_errors(root) == []


@pytest.mark.parametrize("name", VALID_SAMPLES + [f"live/{n}" for n in LIVE_SAMPLES])
def test_members_in_reverse_order_still_validate(name, parse_xml, schema_errors, namespace):
    """Decision W2: the live service did not keep the model's member order."""
    path = SAMPLES_DIR / name if name.startswith("live/") else SAMPLES_DIR / "valid" / name
    root = parse_xml(path.read_bytes())
    for parent in root.xpath(" | ".join(RESULT_PARENTS), namespaces={"ie": namespace}):
        children = list(parent)
        for child in children:
            parent.remove(child)
        parent.extend(reversed(children))
    assert schema_errors(root) == []


@pytest.mark.parametrize(
    "request_id",
    ["9fcc5df6-c53a-11df-98ab-7b5000aab339", "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
     "d94e5c1b-7a0f-4c2e-9b3d-5e6f7a8b9c0d", "00000000-0000-0000-0000-000000000000"],
)
def test_request_id_accepts_any_uuid_version_and_case(request_id, parse_xml, schema_errors, namespace):
    """Decision W17: a UUID of any version, lower- or upper-case."""
    root = parse_xml((SAMPLES_DIR / "valid" / "CancelJob-success.xml").read_bytes())
    root.xpath("//ie:RequestId", namespaces={"ie": namespace})[0].text = request_id
    assert schema_errors(root) == []


@pytest.mark.parametrize(
    "creation_date", ["2010-03-28T20:27:35Z", "2010-03-28T20:27:35.023Z", "2010-03-28T20:27:35.5Z",
                      "2010-03-28T20:27:35.000001Z"]
)
def test_creation_date_accepts_utc_in_canonical_form(creation_date, parse_xml, schema_errors, namespace):
    """UTC with `Z`, a fraction only when not zero and without trailing zeros: the one text every
    SDK (the AWS CLI prints the raw text) reads as the same instant (docs/clients.md)."""
    root = parse_xml((SAMPLES_DIR / "valid" / "ListJobs-two-jobs.xml").read_bytes())
    for element in root.xpath("//ie:CreationDate", namespaces={"ie": namespace}):
        element.text = creation_date
    assert schema_errors(root) == []
