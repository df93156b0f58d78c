"""boto3 (SigV4) against a freshly started mock: the lifecycle and every modeled error it can trigger."""
from __future__ import annotations

import botocore.session

from .checks import passes
from .drivers import Boto3Driver
from .recording_proxy import RecordingProxy
from .scenarios import SCENARIOS
from .steps import Endpoint

DRIVER = Boto3Driver()
# Modeled (operation, error) pairs no scenario triggers, and why (see scenarios.modeled_errors).
NOT_TRIGGERED = {
    ("GetShippingLabel", "InvalidParameterException"): "only an empty jobIds list; clients refuse to send it",
    ("GetStatus", "CanceledJobIdException"): "decision L4: 200 Canceled is legal; the lifecycle accepts both",
}


def test_lifecycle(mock_endpoint):
    passes(DRIVER, "lifecycle", mock_endpoint)


def test_modeled_errors_by_input(mock_endpoint):
    passes(DRIVER, "modeled-errors", mock_endpoint)


def test_modeled_errors_by_control_api(mock_endpoint):
    passes(DRIVER, "control-errors", mock_endpoint)


def test_expired_job_errors(mock_endpoint):
    passes(DRIVER, "expiry-errors", mock_endpoint)


def test_signs_with_sigv4_and_posts_the_action_in_the_body(mock_endpoint):
    with RecordingProxy(mock_endpoint.url) as proxy:
        proxied = Endpoint(proxy.url, mock_endpoint.credentials, mock_endpoint.control_url, mock_endpoint.region)
        passes(DRIVER, "lifecycle", proxied)
    for request in (request for request in proxy.requests if request.method == "POST"):
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
