"""The AWS CLI v1 (`python -m awscli importexport ...`, SigV4) against a freshly started mock: the
lifecycle, and one probe per modeled error code and per operation (the CLI is slow per call)."""
from __future__ import annotations

from .checks import passes
from .drivers import AwsCliDriver

DRIVER = AwsCliDriver()


def test_lifecycle(mock_endpoint):
    passes(DRIVER, "lifecycle", mock_endpoint)


def test_modeled_errors_by_input(mock_endpoint):
    passes(DRIVER, "modeled-errors", mock_endpoint)


def test_modeled_errors_by_control_api(mock_endpoint):
    passes(DRIVER, "control-errors", mock_endpoint)


def test_expired_job_errors(mock_endpoint):
    passes(DRIVER, "expiry-errors", mock_endpoint)
