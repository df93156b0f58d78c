"""Text from the request is escaped wherever the mock echoes it: XML stays well-formed, PDF text literal.

Manifest values, job ids, address parameters and the Host header carry `<&]]>` and friends; every XML
answer must parse and give back the exact text, and the shipping label PDF (read with pypdf) must show
it literally.
"""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pypdf
import pytest
import requests
from lxml import etree

from conftest import FORM, NS, sigv2_body, sigv4_request

NASTY = "<&]]>\"'"
NAME = "Jane <&]]> (Roe) O'Hara"
STREET = "1 Any <St> & ]]> (rear)"
MANIFEST = (
    "manifestVersion: 2.0\naccessKeyId: AKIAIOSFODNN7EXAMPLE\nbucket: amzn-s3-demo-bucket\ndeviceId: 49382\n"
    "# a comment with <&]]> in it\n"
    f"returnAddress:\n  name: \"{NAME}\"\n  street1: \"{STREET}\"\n  city: Anytown\n  stateOrProvince: WA\n"
    "  postalCode: 91011-1111\n  phoneNumber: 206-555-1111\n  country: USA\n"
)


def _call(mock, params: dict) -> tuple[int, etree._Element, bytes]:
    headers, body = sigv4_request(mock.host, params)
    response = requests.post(mock.url + "/", data=body, headers=headers, timeout=30)
    return response.status_code, etree.fromstring(response.content), response.content


def _text(root: etree._Element, name: str) -> str:
    return root.findtext(f".//{{{NS}}}{name}")


@pytest.fixture(scope="module")
def nasty_job(admin_mock):
    status, root, raw = _call(admin_mock, {"Action": "CreateJob", "JobType": "Import", "ValidateOnly": "false",
                                           "Manifest": MANIFEST})
    assert status == 200, raw
    return _text(root, "JobId")


def test_manifest_is_echoed_exactly_by_getstatus(admin_mock, nasty_job):
    status, root, raw = _call(admin_mock, {"Action": "GetStatus", "JobId": nasty_job})
    assert status == 200, raw
    assert _text(root, "CurrentManifest") == MANIFEST
    assert b"<&]]>" not in raw


def test_manifest_is_echoed_exactly_by_listjobs_and_updatejob(admin_mock, nasty_job):
    updated = MANIFEST.replace("city: Anytown", "city: \"Any<town>&\"")
    status, root, raw = _call(admin_mock, {"Action": "UpdateJob", "JobId": nasty_job, "JobType": "Import",
                                           "ValidateOnly": "false", "Manifest": updated})
    assert status == 200, raw
    status, root, raw = _call(admin_mock, {"Action": "GetStatus", "JobId": nasty_job})
    assert _text(root, "CurrentManifest") == updated
    status, root, raw = _call(admin_mock, {"Action": "ListJobs"})
    assert status == 200 and nasty_job in [element.text for element in root.iter(f"{{{NS}}}JobId")]


@pytest.mark.parametrize("operation", ["GetStatus", "CancelJob", "UpdateJob", "GetShippingLabel"])
def test_job_ids_are_escaped_in_errors(admin_mock, operation):
    job_field = "jobIds.member.1" if operation == "GetShippingLabel" else "JobId"
    params = {"Action": operation, job_field: NASTY}
    if operation == "UpdateJob":
        params.update(JobType="Import", ValidateOnly="false", Manifest=MANIFEST)
    status, root, raw = _call(admin_mock, params)
    assert 400 <= status < 500 and root.tag == f"{{{NS}}}ErrorResponse", raw
    message = _text(root, "Message")
    assert NASTY in message or NASTY not in raw.decode("utf-8", "replace"), message


@pytest.mark.parametrize("field,value", [("postalCode", "<&]]>"), ("street1", "P.O. Box <&]]>"),
                                         ("name", "")])
def test_address_parameters_are_escaped_in_errors(admin_mock, nasty_job, field, value):
    status, root, raw = _call(admin_mock, {"Action": "GetShippingLabel", "jobIds.member.1": nasty_job,
                                           field: value})
    assert status == 400 and _text(root, "Code") == "InvalidAddressException", raw
    assert b"<&]]>" not in raw


def _label_text(admin_mock, nasty_job, overrides: dict) -> str:
    status, root, raw = _call(admin_mock, {"Action": "GetShippingLabel", "jobIds.member.1": nasty_job,
                                           **overrides})
    assert status == 200, raw
    url = urlsplit(_text(root, "ShippingLabelURL"))
    label = requests.get(admin_mock.url + url.path, timeout=30)
    assert label.status_code == 200 and label.content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(label.content)).pages)


def test_label_pdf_carries_manifest_address_literally(admin_mock, nasty_job):
    text = _label_text(admin_mock, nasty_job, {})
    assert NAME in text and STREET in text, text


def test_label_pdf_carries_address_parameters_literally(admin_mock, nasty_job):
    overrides = {"name": "Bob ) ( \\ <&]]>", "company": "A&B <Co> ]]>", "street2": "Unit (4) \\n"}
    text = _label_text(admin_mock, nasty_job, overrides)
    for value in overrides.values():
        assert value in text, (value, text)


def test_host_header_is_escaped_in_the_label_url(admin_mock, nasty_job):
    host = "evil<&>'.example"
    body = sigv2_body(host, {"Action": "GetShippingLabel", "jobIds.member.1": nasty_job})
    response = requests.post(admin_mock.url + "/", data=body, headers={"Content-Type": FORM, "Host": host},
                             timeout=30)
    root = etree.fromstring(response.content)
    assert b"<&>" not in response.content
    assert response.status_code == 200, response.text
    assert _text(root, "ShippingLabelURL").startswith(f"http://{host}/")
