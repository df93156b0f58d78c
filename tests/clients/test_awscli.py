"""The AWS CLI v1 (`python -m awscli importexport ...`, SigV4) against a freshly started mock: the
lifecycle, and one probe per modeled error code and per operation (the CLI is slow per call)."""
from __future__ import annotations

import pytest

from .checks import SHARED_SCENARIOS, passes
from .drivers import AwsCliDriver

DRIVER = AwsCliDriver()


@pytest.mark.parametrize("scenario", SHARED_SCENARIOS)
def test_scenario(mock_endpoint, scenario):
    passes(DRIVER, scenario, mock_endpoint)
