"""The AWS SDK for JavaScript v2 (npm aws-sdk@2, SigV2 form posts) against a freshly started mock: the lifecycle,
every modeled error it can trigger, and what it puts on the wire (seen through a recording proxy)."""
from __future__ import annotations

import pytest

from .checks import SHARED_SCENARIOS, passes, posts_of_lifecycle_through_proxy
from .drivers import JsSdkDriver

DRIVER = JsSdkDriver()
OPERATIONS = {"CreateJob", "GetStatus", "ListJobs", "UpdateJob", "GetShippingLabel", "CancelJob"}


@pytest.mark.parametrize("scenario", SHARED_SCENARIOS)
def test_scenario(mock_endpoint, scenario):
    passes(DRIVER, scenario, mock_endpoint)


def test_signs_with_sigv2_and_posts_the_operation_in_the_path(mock_endpoint):
    api_requests = posts_of_lifecycle_through_proxy(DRIVER, mock_endpoint)
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
