"""A wrong secret or an unknown access key stops the run at the preflight, in a few lines naming the
account, its key and what the target answered (issue 20, point 3), instead of failing every case."""
from __future__ import annotations

import subprocess

import pytest

from conformance.run.preflight import authentication_refusal
from conformance.wire.transport import ReceivedResponse
from tests.gate.conftest import SCRIPTS_DIRECTORY
from tests.mutants.harness import clean_environment
from tests.support.mock_process import MockProcess

PRIMARY_KEY = "AKIAIOSFODNN7EXAMPLE"
PRIMARY_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SECONDARY_KEY = "AKIAI44QH8DHBEXAMPLE"
MAX_OUTPUT_LINES = 6


@pytest.fixture(scope="module")
def mock_url(tmp_path_factory):
    mock = MockProcess("--admin", log_path=tmp_path_factory.mktemp("mock") / "mock.log",
                       env=clean_environment()).start()
    yield mock.url
    mock.stop()


def _run(tmp_path, url: str, accounts: str) -> subprocess.CompletedProcess:
    target = tmp_path / "target.yaml"
    target.write_text(f"endpoint_url: {url}\ncontrol_url: {url}/_mock\naccounts:\n{accounts}", encoding="utf-8")
    return subprocess.run([str(SCRIPTS_DIRECTORY / "importexport-conformance"), "--target-config", str(target), "-p",
                           "no:randomly", "-m", "listjobs"], cwd=tmp_path, env=clean_environment(),
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("accounts, role, key, answer", [
    (f"  primary: {{access_key_id: {PRIMARY_KEY}, secret_access_key: not-the-secret}}\n",
     "primary", PRIMARY_KEY, "HTTP 403 SignatureDoesNotMatch"),
    ("  primary: {access_key_id: AKIAUNKNOWNKEY000000, secret_access_key: x}\n",
     "primary", "AKIAUNKNOWNKEY000000", "HTTP 403 InvalidClientTokenIdException"),
    (f"  primary: {{access_key_id: {PRIMARY_KEY}, secret_access_key: '{PRIMARY_SECRET}'}}\n"
     f"  secondary: {{access_key_id: {SECONDARY_KEY}, secret_access_key: wrong}}\n",
     "secondary", SECONDARY_KEY, "HTTP 403 SignatureDoesNotMatch"),
], ids=["wrong-secret", "unknown-key", "wrong-secondary-secret"])
def test_refused_credentials_stop_the_run_at_the_preflight(tmp_path, mock_url, accounts, role, key, answer):
    done = _run(tmp_path, mock_url, accounts)
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output[-3000:]
    assert len(output.strip().splitlines()) <= MAX_OUTPUT_LINES, output[-3000:]
    stop = next(line for line in output.splitlines() if "preflight:" in line)
    assert f"as the {role} account (access key id {key}, from --target-config " in stop
    assert f"was refused: {answer}" in stop and "no case was run" in stop
    assert "FAILED" not in output and "Traceback" not in output


def test_only_a_refusal_of_the_credentials_counts():
    def answer(status: int, code: str) -> ReceivedResponse:
        body = f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>m  \n x</Message></Error>"
        return ReceivedResponse(status, "", (("Content-Type", "text/xml"),), body.encode())

    assert authentication_refusal(answer(400, "InvalidParameterException")) is None
    assert authentication_refusal(answer(400, "InvalidAction")) is None
    assert authentication_refusal(answer(400, "RequestExpired")) == "HTTP 400 RequestExpired: 'm x'"
    assert authentication_refusal(answer(403, "AccessDenied")) == "HTTP 403 AccessDenied: 'm x'"
    assert authentication_refusal(ReceivedResponse(403, "", (), b"<ErrorResponse/>")) == "HTTP 403 (no error Code)"
