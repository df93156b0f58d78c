"""The AWS SDK for JavaScript v2 (npm aws-sdk@2, SigV2 form posts) against a freshly started mock: the lifecycle,
every modeled error it can trigger, and what it puts on the wire (seen through a recording proxy)."""
from __future__ import annotations

from .checks import passes
from .drivers import JsSdkDriver
from .recording_proxy import RecordingProxy
from .steps import Endpoint

DRIVER = JsSdkDriver()
OPERATIONS = {"CreateJob", "GetStatus", "ListJobs", "UpdateJob", "GetShippingLabel", "CancelJob"}


def test_lifecycle(mock_endpoint):
    passes(DRIVER, "lifecycle", mock_endpoint)


def test_modeled_errors_by_input(mock_endpoint):
    passes(DRIVER, "modeled-errors", mock_endpoint)


def test_modeled_errors_by_control_api(mock_endpoint):
    passes(DRIVER, "control-errors", mock_endpoint)


def test_expired_job_errors(mock_endpoint):
    passes(DRIVER, "expiry-errors", mock_endpoint)


def test_signs_with_sigv2_and_posts_the_operation_in_the_path(mock_endpoint):
    with RecordingProxy(mock_endpoint.url) as proxy:
        proxied = Endpoint(proxy.url, mock_endpoint.credentials, mock_endpoint.control_url, mock_endpoint.region)
        passes(DRIVER, "lifecycle", proxied)
    api_requests = [request for request in proxy.requests if request.method == "POST"]
    assert {request.form["Action"][0] for request in api_requests} == OPERATIONS
    for request in api_requests:
        form = request.form
        operation = form["Action"][0]
        # the model's requestUri is /?Operation=<Action>; aws-sdk 2.1693's query protocol posts to "/"
        assert request.path in ("/", f"/?Operation={operation}")
        assert form["SignatureVersion"] == ["2"]
        assert form["SignatureMethod"][0] in ("HmacSHA256", "HmacSHA1")
        assert form["AWSAccessKeyId"] == [mock_endpoint.credentials.access_key_id]
        assert form["Signature"][0] and form["Timestamp"][0]
        assert "authorization" not in {name.lower() for name in request.headers}
