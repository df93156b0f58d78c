"""The wire: envelopes, parameter decoding, malformed and random input (never a 5xx), W1-W17."""
from __future__ import annotations

import http.client
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_success_envelope_namespace_content_type_and_unique_request_ids(mock):
    first = mock.sigv4({"Action": "ListJobs", "Version": "2010-06-01"})
    second = mock.sigv4({"Action": "ListJobs", "Version": "2010-06-01"})
    assert first.headers["Content-Type"] == "text/xml"
    assert not first.content.startswith(b"<?xml")
    ids = [mock.result_of(r, "ListJobs").getparent().findtext(f"{{{mock.NS}}}ResponseMetadata/{{{mock.NS}}}RequestId")
           for r in (first, second)]
    assert ids[0] != ids[1]
    assert all(uuid.UUID(request_id).version == 1 for request_id in ids)


def test_result_members_follow_model_order(mock):
    job_id = mock.create_job()
    result = mock.result_of(mock.sigv4({"Action": "GetStatus", "JobId": job_id}), "GetStatus")
    names = [child.tag.split("}")[1] for child in result]
    assert names == ["JobId", "JobType", "LocationCode", "LocationMessage", "ProgressCode", "ProgressMessage",
                     "ErrorCount", "Signature", "SignatureFileContents", "CurrentManifest", "CreationDate"]
    listing = mock.result_of(mock.sigv4({"Action": "ListJobs"}), "ListJobs")
    assert [child.tag.split("}")[1] for child in listing] == ["Jobs", "IsTruncated"]
    member = listing.find(f"{{{mock.NS}}}Jobs/{{{mock.NS}}}member")
    assert [child.tag.split("}")[1] for child in member] == ["JobId", "CreationDate", "IsCanceled", "JobType"]


def test_current_manifest_is_echoed_byte_for_byte(mock):
    manifest = mock.import_manifest().replace("\n", "\r\n") + "# trailing comment with <&> and é\n"
    job_id = mock.client().create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)["JobId"]
    assert mock.client().get_status(JobId=job_id)["CurrentManifest"] == manifest


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"Action=ListJobs&Version=2010-06-01&Marker=%AK", 400, "MalformedQueryString"),
        (b"Action=ListJobs&Marker=%", 400, "MalformedQueryString"),
        (b"Action=ListJobs&Marker=%C3%28", 400, "MalformedQueryString"),
        (b"Action=ListJobs&Marker=\xff", 400, "MalformedQueryString"),
        (b"Action=ListJobs&=value", 400, "MalformedQueryString"),
        (b"Action=ListJobs&Action=ListJobs", 400, "InvalidParameterException"),
        (b"Version=2010-06-01", 400, "MissingAction"),
        (b"Action=", 400, "MissingAction"),
        (b"Action=DescribeJobs", 400, "InvalidAction"),
        (b"Action=ListJobs&Operation=GetStatus", 400, "InvalidParameterCombination"),
        (b"Action=ListJobs", 403, "MissingAuthenticationToken"),
        (b"Action=ListJobs&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE", 403, "IncompleteSignature"),
    ],
)
def test_malformed_bodies(mock, body, status, code):
    error = mock.error_of(mock.send({}, raw_body=body))
    assert (error.status, error.code, error.error_type) == (status, code, "Sender")


def test_malformed_query_string_on_get(mock):
    host, port = mock.host.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/?Action=ListJobs&Marker=%ZZ")
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 400
    assert b"<Code>MalformedQueryString</Code>" in body


def test_body_larger_than_one_mebibyte_is_413(mock):
    body = b"Action=ListJobs&Pad=" + b"x" * (1024 * 1024)
    error = mock.error_of(mock.send({}, raw_body=body))
    assert (error.status, error.code) == (413, "RequestEntityTooLarge")


def test_post_with_another_content_type_is_not_read_as_a_form(mock):
    response = mock.send({"Action": "ListJobs"}, content_type="text/plain")
    assert (response.status_code, mock.error_of(response).code) == (400, "MissingAction")


def test_version_checks(mock):
    wrong = mock.error_of(mock.sigv4({"Action": "ListJobs", "Version": "2010-06-03"}))
    assert (wrong.status, wrong.code) == (400, "InvalidVersionException")
    mock.result_of(mock.sigv4({"Action": "ListJobs"}), "ListJobs")
    bad_tool = mock.error_of(mock.sigv4({"Action": "ListJobs", "APIVersion": "v2!"}))
    assert bad_tool.code == "InvalidVersionException"
    mock.result_of(mock.sigv4({"Action": "ListJobs", "APIVersion": "2012-01-14"}), "ListJobs")


def test_unmodeled_parameters_are_ignored(mock):
    job_id = mock.create_job()
    response = mock.sigv4({"Action": "GetStatus", "JobId": job_id, "JobType": "Import"})
    assert mock.result_of(response, "GetStatus").findtext(f"{{{mock.NS}}}JobId") == job_id


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"MaxJobs": "abc"}, "InvalidParameterException"),
        ({"MaxJobs": "-1"}, "InvalidParameterException"),
        ({"MaxJobs": "9" * 5000}, "InvalidParameterException"),
        ({"Marker": ""}, "InvalidParameterException"),
    ],
)
def test_list_jobs_parameter_errors(mock, params, code):
    assert mock.error_of(mock.sigv4({"Action": "ListJobs", **params})).code == code


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"jobIds.member.1": "AAAAA", "jobIds.member.3": "BBBBB"}, "InvalidParameterException"),
        ({"jobIds.member.0": "AAAAA"}, "InvalidParameterException"),
        ({"jobIds.member.x": "AAAAA"}, "InvalidParameterException"),
        ({"jobIds.member.1": ""}, "InvalidParameterException"),
        ({"name": "Jane"}, "MissingParameterException"),
        ({"jobIds.member.1": "AAAAA\x01"}, "InvalidJobIdException"),
    ],
)
def test_shipping_label_parameter_errors(mock, params, code):
    assert mock.error_of(mock.sigv4({"Action": "GetShippingLabel", **params})).code == code


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"JobType": "Import", "Manifest": "x", "ValidateOnly": "maybe"}, "InvalidParameterException"),
        ({"Manifest": "x"}, "MissingParameterException"),
        ({"JobType": "Import"}, "MissingParameterException"),
    ],
)
def test_create_job_parameter_errors(mock, params, code):
    assert mock.error_of(mock.sigv4({"Action": "CreateJob", **params})).code == code


def test_unknown_paths_and_methods_are_4xx_error_responses(mock):
    not_found = requests.post(f"{mock.url}/nowhere", data=b"Action=ListJobs", timeout=10)
    assert (not_found.status_code, mock.error_of(not_found).code) == (404, "NotFound")
    not_allowed = requests.put(f"{mock.url}/", data=b"Action=ListJobs", timeout=10)
    assert (not_allowed.status_code, mock.error_of(not_allowed).code) == (405, "MethodNotAllowed")


_FORM_BYTES = st.binary(max_size=300) | st.lists(
    st.tuples(
        st.sampled_from(["Action", "Operation", "Version", "JobId", "Manifest", "JobType", "MaxJobs", "Marker",
                         "jobIds.member.1", "AWSAccessKeyId", "Signature", "SignatureVersion",
                         "SignatureMethod", "Timestamp", "Expires", "ValidateOnly", "APIVersion", "%", "é"]),
        st.text(max_size=40) | st.sampled_from(["ListJobs", "GetStatus", "CreateJob", "2", "HmacSHA1", "%zz"]),
    ),
    max_size=8,
).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs).encode("utf-8"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_FORM_BYTES, content_type=st.sampled_from(
    ["application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded", "text/plain", ""]))
def test_random_bodies_get_a_well_formed_4xx(mock_server, body, content_type):
    response = mock_server.send({}, raw_body=body, content_type=content_type)
    error = mock_server.error_of(response)
    assert 400 <= error.status < 500
    assert error.code and error.message and uuid.UUID(error.request_id)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(job_id=st.text(max_size=30), marker=st.text(max_size=30))
def test_random_signed_parameter_values_never_fail_the_server(mock_server, job_id, marker):
    status = mock_server.sigv4({"Action": "GetStatus", "JobId": job_id})
    listing = mock_server.sigv4({"Action": "ListJobs", "Marker": marker})
    for response in (status, listing):
        assert 400 <= mock_server.error_of(response).status < 500


_HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.characters(min_codepoint=0xA0, max_codepoint=0xFF),
    max_size=120,
).map(str.lstrip)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(authorization=_HEADER_TEXT | _HEADER_TEXT.map(lambda tail: "AWS4-HMAC-SHA256 " + tail),
       amz_date=_HEADER_TEXT | st.just("20260101T000000Z"))
def test_random_authorization_headers_get_a_well_formed_4xx(mock_server, authorization, amz_date):
    response = requests.post(f"{mock_server.url}/", data=b"Action=ListJobs", timeout=10, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Authorization": authorization, "X-Amz-Date": amz_date})
    assert 400 <= mock_server.error_of(response).status < 500
