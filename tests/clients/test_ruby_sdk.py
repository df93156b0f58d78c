"""The AWS SDK for Ruby v1 (Debian's ruby-aws-sdk, SigV2 form posts to /, its own API configuration and XML
parser) against a freshly started mock: the lifecycle, every modeled error it can trigger, and its wire.

The SDK's API configuration (ImportExport-2010-06-01.yml) has no GetShippingLabel operation and no
APIVersion parameter, so the calls that need them cannot be made with it; the driver leaves them out and
`test_leaves_out_only_what_the_sdk_lacks` pins exactly which (docs/clients.md)."""
from __future__ import annotations

import pytest

from .checks import SHARED_SCENARIOS, passes, posts_of_lifecycle_through_proxy
from .drivers import RubySdkDriver
from .scenarios import SCENARIOS

DRIVER = RubySdkDriver()
OPERATIONS = {"CreateJob", "GetStatus", "ListJobs", "UpdateJob", "CancelJob"}


@pytest.mark.parametrize("scenario", SHARED_SCENARIOS)
def test_scenario(mock_endpoint, scenario):
    result = passes(DRIVER, scenario, mock_endpoint)
    assert set(result.left_out) == {call.name for call in SCENARIOS[scenario](mock_endpoint).calls
                                    if call.operation == "GetShippingLabel" or "APIVersion" in call.params}


def test_leaves_out_only_what_the_sdk_lacks(mock_endpoint):
    """What is left out is what the SDK really lacks: the client has no such method / refuses the option."""
    reasons = {DRIVER.cannot_call(call) for name in SHARED_SCENARIOS for call in SCENARIOS[name](mock_endpoint).calls}
    assert reasons == {None, *DRIVER.MISSING_OPERATIONS.values(), *DRIVER.MISSING_PARAMETERS.values()}
    label = DRIVER.call(mock_endpoint, mock_endpoint.credentials, "GetShippingLabel", {"jobIds": ["X"]}, "label")
    assert label.error_code is None and "has no operation GetShippingLabel" in label.error_message
    version = DRIVER.call(mock_endpoint, mock_endpoint.credentials, "ListJobs", {"APIVersion": "2010-06-01"}, "list")
    assert version.error_code is None and "unexpected option api_version" in version.error_message


def test_signs_with_sigv2_and_posts_the_action_in_the_body(mock_endpoint):
    api_requests = posts_of_lifecycle_through_proxy(DRIVER, mock_endpoint)
    assert {request.form["Action"][0] for request in api_requests} == OPERATIONS
    for request in api_requests:
        form = request.form
        assert request.path == "/"
        assert form["SignatureVersion"] == ["2"] and form["SignatureMethod"] == ["HmacSHA256"]
        assert form["AWSAccessKeyId"] == [mock_endpoint.credentials.access_key_id]
        assert form["Signature"][0] and form["Timestamp"][0] and form["Version"] == ["2010-06-01"]
        assert "authorization" not in {name.lower() for name in request.headers}
