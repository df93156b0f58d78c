"""The case definitions: typed, immutable views of one validated case file (docs/contract.md §3).

Values that may hold `${name}` references stay as written; the runner renders them just before use
(`templating.render`). Everything here is plain data so a rendered copy is a `dataclasses.replace`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OPERATIONS = ("CreateJob", "UpdateJob", "CancelJob", "GetStatus", "ListJobs", "GetShippingLabel")
SIGNED_SCHEMES = ("sigv2", "sigv4")
UNSIGNED_SCHEME = "none"

StatusExpectation = int | str | tuple[int | str, ...]
"""An exact status (`200`), a class (`"4xx"`) or a tuple of accepted statuses."""

Pairs = tuple[tuple[str, str], ...]
"""Ordered name/value pairs as sent on the wire (parameters, headers, saved names and their XPaths)."""

XPathValue = str | bool | int | tuple[str, ...]
"""The operand of an `xpath:` assertion: text, a flag (`exists`), a count, or the values of `order`."""


@dataclass(frozen=True)
class SigningOverrides:
    """Per-request changes to the signature of the scheme under test (contract §3, `signing:`)."""

    method: str | None = None
    signature_version: str | None = None
    expires_in_s: int | None = None
    timestamp_and_expires: bool = False
    timestamp_format: str = "seconds"
    clock_offset_s: int = 0
    secret: str | None = None
    access_key_id: str | None = None
    signature: str | None = None
    omit_signature: bool = False
    scope_region: str | None = None
    scope_service: str | None = None
    tamper_body: str | None = None


@dataclass(frozen=True)
class RequestSpec:
    """An API request built by the engine from parameters, then signed by the scheme under test."""

    params: Pairs = ()
    manifest_file: Path | None = None
    manifest_text: str | None = None
    omit: tuple[str, ...] = ()
    action_param: str = "Action"
    method: str = "POST"
    query: str | None = None         # a query string on the request URL (POST /?Operation=X, as the Go SDK sends)
    form_encoding: str = "plus"      # how the form data encodes a space: "plus" (+) or "percent" (%20)
    content_type: str | None = None
    signing: SigningOverrides = field(default_factory=SigningOverrides)
    unsigned: bool = False
    example_file: Path | None = None
    example_set: Pairs = ()
    example_drop: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawSpec:
    """Bytes sent as written: never signed, only templated (Content-Length is always recomputed)."""

    method: str = "POST"
    path: str = "/"
    headers: Pairs = ()
    body: str | None = None
    body_b64: str | None = None
    example_file: Path | None = None


@dataclass(frozen=True)
class XPathCheck:
    """One `xpath:` assertion: `path` plus exactly one of the assertion kinds."""

    path: str
    kind: str
    value: XPathValue


@dataclass(frozen=True)
class Expectation:
    """What a response must look like; `one_of` holds alternatives, any of which may match."""

    status: StatusExpectation | None = None
    code: tuple[str, ...] | None = None
    error_type: str | None = None
    xsd: bool = True
    content_type_xml: bool = True
    xpath: tuple[XPathCheck, ...] = ()
    one_of: tuple[Expectation, ...] = ()
    body_starts_with: str | None = None


DEFAULT_API_EXPECTATION = Expectation(status="2xx")
"""A step without `expect:` must succeed."""
DEFAULT_FETCH_EXPECTATION = Expectation(status="2xx", xsd=False, content_type_xml=False)
"""A fetch without `expect:` must succeed; its body is not the API's XML."""


@dataclass(frozen=True)
class ApiStep:
    """A request to the endpoint under test, its expectation, saved values and read-backs."""

    label: str
    operation: str
    account: str = "primary"
    request: RequestSpec | None = None
    raw: RawSpec | None = None
    expect: Expectation = DEFAULT_API_EXPECTATION
    save: Pairs = ()
    state: tuple[Step, ...] = ()


@dataclass(frozen=True)
class ControlStep:
    """A call to the mock's control API (contract §2); `arguments` are the step's other keys."""

    label: str
    call: str
    arguments: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class FetchStep:
    """A GET of a URL taken from an earlier response (e.g. a shipping label)."""

    label: str
    url: str
    expect: Expectation = DEFAULT_FETCH_EXPECTATION


Step = ApiStep | ControlStep | FetchStep


@dataclass(frozen=True)
class Case:
    """One conformance case as loaded from a case file."""

    id: str
    operation: str
    level: str
    source: str
    doc: str
    file: Path
    fixtures_root: Path
    steps: tuple[Step, ...]
    line: int = 0
    teardown: tuple[Step, ...] = ()
    tags: tuple[str, ...] = ()
    decision: str | None = None
    auth: tuple[str, ...] = SIGNED_SCHEMES
    requires: tuple[str, ...] = ()
    example: bool = False
    operations: tuple[str, ...] = ()
    uses_secondary: bool = False
    uses_control: bool = False

    def all_steps(self) -> Iterator[Step]:
        """Every step of the case, teardown and read-backs (`state:`) included, in order."""
        return walk_steps(self.steps + self.teardown)

    @property
    def control_calls(self) -> frozenset[str]:
        """The control API calls the case makes (`set_clock`, `inject`, ...)."""
        return frozenset(step.call for step in self.all_steps() if isinstance(step, ControlStep))


def walk_steps(steps: tuple[Step, ...]) -> Iterator[Step]:
    """`steps` in order, each API step followed by its read-backs (`state:`)."""
    for step in steps:
        yield step
        if isinstance(step, ApiStep):
            yield from walk_steps(step.state)
