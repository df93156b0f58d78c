"""`TargetProvider`: resolves the target of this pytest process (`run/target.py`) lazily, and releases
it at the end of the session.

Nothing expensive happens at import time: the bundled mock is started, the XSD compiled, the HTTP
session opened and the preflight run (`run/preflight.py`: is it an Import/Export endpoint; with a
control API, the run's quota and clock base) once per process (so each xdist worker gets its own
mock). The bundled mock can be started on a background thread before collection
(`start_mock_in_background`, so that it comes up while the cases are collected); the rest is
prepared on a background thread once case items are selected (`prepare_in_background`, the
preflight needs the selected cases' clock offsets) or else when the first case item is set up. A
failure to start the mock or load the XSD is remembered and reported by every case; a failed
preflight raises `PreflightFailed`, which stops the run. At the end the target gets its own quota
and clock back, and a mock started early is stopped even when no case ran.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from conformance.run.bundled_mock import BundledMock, MockStartError
from conformance.run.control_client import ControlClient
from conformance.run.preflight import PreflightFailed, check_endpoint, start_run
from conformance.run.target import Target
from conformance.settings import Settings
from conformance.wire.transport import Transport
from conformance.xmldoc import ResponseSchema, XmlError


class TargetUnavailable(Exception):
    """The target could not be prepared (mock did not start, XSD missing...)."""


class TargetProvider:
    """Creates the `Target` on first use and tears it down at session end."""

    def __init__(self, settings: Settings, project_root: Path):
        self.settings = settings
        self.project_root = project_root
        self.set_clock_offsets: frozenset[int] = frozenset()
        self.control_notes: list[str] = []
        self._target: Target | None = None
        self._problem: str | None = None
        self._preflight_failure: PreflightFailed | None = None
        self._mock: BundledMock | None = None
        self._workdir: Path | None = None
        self._lock = threading.Lock()
        self._background: threading.Thread | None = None
        self._mock_start: threading.Thread | None = None
        self._mock_url: str | None = None
        self._mock_error: MockStartError | None = None

    @property
    def endpoint_description(self) -> str:
        """The endpoint for reports: the URL in use, or `bundled mock` when it was started elsewhere
        (xdist workers) or not at all."""
        if self._target is not None:
            return self._target.endpoint_url
        return self.settings.endpoint_url or "bundled mock"

    def start_mock_in_background(self) -> None:
        """Start the bundled mock (when the settings use it) on a background thread; `_prepare` waits for it."""
        if self.settings.endpoint_url is not None or self._mock_start is not None or self._mock is not None:
            return
        self._workdir = Path(tempfile.mkdtemp(prefix="importexport-mock-"))
        self._mock = BundledMock(self._workdir, self.project_root)
        self._mock_start = threading.Thread(target=self._start_mock, name="importexport-mock-start", daemon=True)
        self._mock_start.start()

    def _start_mock(self) -> None:
        assert self._mock is not None, "start_mock_in_background created it"
        try:
            self._mock_url = self._mock.start()
        except MockStartError as error:
            self._mock_error = error
        except Exception as error:  # noqa: BLE001 - a background thread hands every failure over to the cases
            self._mock_error = MockStartError(f"the bundled mock did not start: {type(error).__name__}: {error}")

    def _started_mock_url(self) -> str:
        """The bundled mock's URL once it answers (started with the session, or now)."""
        self.start_mock_in_background()
        assert self._mock_start is not None, "the settings use the bundled mock"
        self._mock_start.join()
        if self._mock_error is not None:
            raise self._mock_error
        assert self._mock_url is not None, "started, or the error was recorded"
        return self._mock_url

    def prepare_in_background(self) -> None:
        """Start preparing the target on a background thread (once); `get` waits for it."""
        if self._background is None:
            self._background = threading.Thread(target=self._prepare_once, name="importexport-target", daemon=True)
            self._background.start()

    def get(self) -> Target:
        """The target, prepared and preflighted on first call; TargetUnavailable if preparing failed,
        PreflightFailed if the target cannot be tested."""
        self._prepare_once()
        if self._preflight_failure is not None:
            raise self._preflight_failure
        if self._problem is not None:
            raise TargetUnavailable(self._problem)
        assert self._target is not None, "prepared, or a problem was recorded"
        return self._target

    def _prepare_once(self) -> None:
        with self._lock:
            if self._target is None and self._problem is None and self._preflight_failure is None:
                try:
                    self._target = self._prepare()
                    self._preflight(self._target)
                except (MockStartError, XmlError) as error:
                    self._problem = str(error)
                    self._release()
                except PreflightFailed as failure:
                    self._preflight_failure = failure
                    self._release()

    def _preflight(self, target: Target) -> None:
        scheme = self.settings.auth[0]
        check_endpoint(target, scheme)
        if target.control is not None:
            start_run(target, scheme, self.set_clock_offsets)

    def _prepare(self) -> Target:
        settings = self.settings
        endpoint_url, control_url = settings.endpoint_url, settings.control_url
        if endpoint_url is None:  # settings.uses_bundled_mock
            endpoint_url = self._started_mock_url()
            control_url = endpoint_url + "/_mock"
        schema = ResponseSchema(settings.xsd_path)
        transport = Transport(settings.timeout_s, settings.max_response_bytes, settings.transport_retries)
        control = ControlClient(control_url, transport) if control_url else None
        return Target(settings=settings, endpoint_url=endpoint_url, transport=transport, schema=schema,
                      control=control)

    def close(self) -> None:
        """Give the target its own quota and clock back, stop the bundled mock (if started) and
        release the HTTP session."""
        if self._background is not None:
            self._background.join()
        if self._mock_start is not None:
            self._mock_start.join()
        with self._lock:
            self._release()

    def _release(self) -> None:
        if self._mock_start is not None:
            self._mock_start.join()  # a mock still starting is stopped only once it has started
        if self._target is not None:
            control = self._target.control
            if control is not None and control.baseline.jobs_per_day is not None:
                self.control_notes.extend(
                    f"restoring the target's quota and clock after the run: {result.problem}"
                    for result in control.finish_run() if result.problem is not None)
            self._target.transport.close()
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
