"""The request shapes of the five SDKs stay true, and every one of them is a case of the suite.

`test_stored_shapes_are_what_the_sdks_send` captures again what boto3, the AWS CLI and the AWS SDKs for
JavaScript v2, Go v1 and Ruby v1 send for the six actions (one process per SDK, all at once, against
oracle stubs) and fails when fixtures/protocol/data/client-shapes.json differs: run
`python -m tests.clients.request_shapes --update` and review the diff. The other tests need no SDK.
"""
from __future__ import annotations

import copy

import pytest

from conformance.generate.client_shape_cases import SDK_IDS, ShapeError, client_shape_case_file, shape_case

from .request_shapes import OPERATIONS, REPO, SHAPES_FILE, capture, stored

FIXTURES = REPO / "fixtures"
RUBY_LACKS = {"GetShippingLabel"}   # the Ruby SDK v1's API configuration has no such operation


def test_stored_shapes_are_what_the_sdks_send():
    assert capture() == stored(), f"the SDKs' request shapes drifted from {SHAPES_FILE}"


def test_every_sdk_and_action_has_a_shape_and_a_case():
    shapes = stored()
    assert set(shapes) == set(SDK_IDS)
    for sdk, operations in shapes.items():
        assert set(operations) == set(OPERATIONS) - (RUBY_LACKS if sdk == "ruby-sdk" else set()), sdk
    ids = {case["id"] for case in client_shape_case_file(FIXTURES)["cases"]}
    assert ids == {f"ClientShape.{SDK_IDS[sdk]}.{operation}" for sdk, operations in shapes.items()
                   for operation in operations}


def test_a_shape_the_engine_cannot_replay_is_an_error():
    shape = copy.deepcopy(stored()["go-sdk"]["GetStatus"])
    shape["signature"]["timestamp"] = "Expires"
    with pytest.raises(ShapeError, match=r"go-sdk\.GetStatus: signature"):
        shape_case("go-sdk", "GetStatus", shape, FIXTURES)
    shape = copy.deepcopy(stored()["js-sdk"]["GetStatus"])
    shape["params"].append("Unheard")
    with pytest.raises(ShapeError, match=r"parameters \['Unheard'\]"):
        shape_case("js-sdk", "GetStatus", shape, FIXTURES)
