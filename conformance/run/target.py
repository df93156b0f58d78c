"""`Target`: the endpoint under test as this process resolved it (URL, settings, transport, response
schema, control client). A plain value: the modules that act on a target (`run/preflight.py`,
`run/clock_base.py`, `run/runner.py`) import it, and it imports none of them; `run/target_provider.py`
builds it.
"""
from __future__ import annotations

from dataclasses import dataclass

from conformance.run.control_client import ControlClient
from conformance.settings import Settings
from conformance.wire.transport import Transport
from conformance.xmldoc import ResponseSchema


@dataclass(frozen=True)
class Target:
    """The endpoint under test as resolved for this process (the bundled mock once started)."""

    settings: Settings
    endpoint_url: str
    transport: Transport
    schema: ResponseSchema
    control: ControlClient | None = None
