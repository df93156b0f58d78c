"""What a legal variant is: a name, the reading it takes, the decision or freedom that allows it, its hooks.

A variant runs on the mutants' machinery: `server` is the `Mutant`-shaped description the proxy and
the patched mock act on (request hook, response hook, seam patch), always with `--auth both`. Its
hooks print `READING_TAKEN` to the proxy's log whenever they change an exchange (a seam patch calls
`announce` itself), so a run shows that the variant's reading was actually exercised.

`client_plan` names the real-client scenarios (tests/clients/scenarios.py) each client runs against
the variant: a shape no real client can read is not legal. boto3, the AWS SDK for JavaScript v2 (SigV2,
its own XML parser), the AWS SDK for Go v1 (SigV2 to /?Operation=, its query XML unmarshaler) and the
AWS SDK for Ruby v1 (SigV2, its own API configuration and XML parser) run every variant; the AWS CLI,
whose responses go through the same botocore parser as boto3's and whose every call costs a process
start (~1-3 s), runs the lifecycle against the shape variants only.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from tests.mutants.mutant import Mutant
from tests.mutants.seams import SeamPatch

KINDS = ("shape", "reading")
SHAPE_SCENARIOS = ("lifecycle", "modeled-errors")
READING_SCENARIOS = ("lifecycle",)
EVERY_VARIANT_CLIENTS = ("boto3", "js-sdk", "go-sdk", "ruby-sdk")
SHAPE_ONLY_CLIENT = ("awscli", ("lifecycle",))
READING_TAKEN = "VARIANT-READING-TAKEN"


def announce(name: str) -> None:
    """Log (to the server's log) that variant `name` just answered otherwise than the mock would."""
    print(f"{READING_TAKEN} {name}", file=sys.stderr, flush=True)


def _announcing_request(name: str, hook: Callable) -> Callable:
    def wrapped(request, backend):
        result = hook(request, backend)
        if result is not None and result != request:
            announce(name)
        return result
    return wrapped


def _announcing_response(name: str, hook: Callable) -> Callable:
    def wrapped(request, response):
        result = hook(request, response)
        if result != response:
            announce(name)
        return result
    return wrapped


@dataclass(frozen=True)
class Variant:
    """A server the sources allow that differs from the bundled mock."""

    name: str
    kind: str
    reading: str
    allowed_by: str
    request: Callable | None = None
    response: Callable | None = None
    patch: SeamPatch | None = None
    scenarios: tuple = ()
    origin: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"variant {self.name}: kind {self.kind!r} is not one of {KINDS}")
        if not (self.request or self.response or self.patch):
            raise ValueError(f"variant {self.name} changes nothing")

    @property
    def client_plan(self) -> dict:
        """Real client name -> the scenarios it runs against this variant."""
        scenarios = self.scenarios or (SHAPE_SCENARIOS if self.kind == "shape" else READING_SCENARIOS)
        plan = dict.fromkeys(EVERY_VARIANT_CLIENTS, scenarios)
        if self.kind == "shape":
            plan[SHAPE_ONLY_CLIENT[0]] = SHAPE_ONLY_CLIENT[1]
        return plan

    @property
    def server(self) -> Mutant:
        """The proxy / patched-mock description of this variant (group `variant`, both schemes)."""
        request = _announcing_request(self.name, self.request) if self.request else None
        response = _announcing_response(self.name, self.response) if self.response else None
        return Mutant(self.name, "variant", self.reading, request=request, response=response,
                      patch=self.patch, auth="both")
