"""boto3 (SigV4) against a freshly started mock: the lifecycle and every modeled error it can trigger."""
from __future__ import annotations

import botocore.session
import pytest

from .checks import SHARED_SCENARIOS, passes, posts_of_lifecycle_through_proxy
from .drivers import Boto3Driver
from .scenarios import SCENARIOS

DRIVER = Boto3Driver()
# Modeled (operation, error) pairs no scenario triggers, and why (see scenarios.modeled_errors).
NOT_TRIGGERED = {
    ("GetShippingLabel", "InvalidParameterException"): "only an empty jobIds list; clients refuse to send it",
    ("GetStatus", "CanceledJobIdException"): "decision L4: 200 Canceled is legal; the lifecycle accepts both",
}


@pytest.mark.parametrize("scenario", SHARED_SCENARIOS)
def test_scenario(mock_endpoint, scenario):
    passes(DRIVER, scenario, mock_endpoint)


def test_signs_with_sigv4_and_posts_the_action_in_the_body(mock_endpoint):
    for request in posts_of_lifecycle_through_proxy(DRIVER, mock_endpoint):
        authorization = {name.lower(): value for name, value in request.headers.items()}["authorization"]
        assert authorization.startswith(f"AWS4-HMAC-SHA256 Credential={mock_endpoint.credentials.access_key_id}/")
        assert request.path == "/" and request.form["Action"][0] and "SignatureVersion" not in request.form


def test_scenarios_cover_every_modeled_error_of_the_botocore_model(mock_endpoint):
    model = botocore.session.get_session().get_service_model("importexport")
    modeled = {(operation, error.name) for operation in model.operation_names
               for error in model.operation_model(operation).error_shapes}
    targeted = {(call.operation, call.target) for build in SCENARIOS.values()
                for call in build(mock_endpoint).calls if call.target}
    assert targeted - modeled == set()
    assert modeled - targeted == set(NOT_TRIGGERED)
