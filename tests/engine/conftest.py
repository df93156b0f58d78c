"""Shared fixtures for the engine's own tests: the stub endpoint and small test data paths."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conformance.run.target import Target
from conformance.settings import DEFAULT_PRIMARY, DEFAULT_SECONDARY, Buckets, Settings
from conformance.wire.transport import Transport
from conformance.xmldoc import ResponseSchema
from tests.engine import stub_server
from tests.engine.servers import CaptureServer, HostileServer

DATA = Path(__file__).with_name("data")


@pytest.fixture(scope="session")
def stub_endpoint() -> str:
    """URL of the stub endpoint (stub_server.py) served from a thread for the whole session."""
    server = make_server("127.0.0.1", 0, stub_server.application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def mini_xsd() -> Path:
    """The engine tests' small response schema."""
    return DATA / "mini.xsd"


@pytest.fixture
def capture_server() -> CaptureServer:
    """A server that records the exact bytes of every request it gets."""
    server = CaptureServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def hostile_server() -> HostileServer:
    """A server that answers with XXE, billion laughs, huge bodies, hangs and drips."""
    server = HostileServer()
    yield server
    server.close()


def make_target(endpoint_url: str, xsd: Path, timeout_s: float = 5.0) -> Target:
    """A `Target` for `endpoint_url` with the default accounts and no control API."""
    settings = Settings(endpoint_url=endpoint_url, control_url=None, auth=("sigv2", "sigv4"),
                        timeout_s=timeout_s, primary=DEFAULT_PRIMARY, secondary=DEFAULT_SECONDARY,
                        buckets=Buckets(), xsd_path=xsd)
    return Target(settings=settings, endpoint_url=endpoint_url, transport=Transport(timeout_s, 1024 * 1024),
                  schema=ResponseSchema(xsd))
