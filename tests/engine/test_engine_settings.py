"""Settings: sources and their precedence, and one-line usage errors naming option/file and field."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.settings import DEFAULT_PRIMARY, DEFAULT_SECONDARY, Account, SettingsError, load_settings

ROOT = Path("/project")


def settings(options=None, environ=None):
    return load_settings(options or {}, environ or {}, ROOT)


def config_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "target.yaml"
    path.write_text(text)
    return str(path)


def test_defaults_use_the_bundled_mock_and_example_accounts():
    resolved = settings()
    assert resolved.uses_bundled_mock and resolved.has_control
    assert (resolved.primary, resolved.secondary) == (DEFAULT_PRIMARY, DEFAULT_SECONDARY)
    assert resolved.auth == ("sigv2", "sigv4") and resolved.timeout_s == 30
    assert resolved.xsd_path == ROOT / "xsd" / "importexport-2010-06-01.xsd"


def test_environment_credentials_are_ignored_for_the_bundled_mock():
    resolved = settings(environ={"AWS_ACCESS_KEY_ID": "AKIDREAL", "AWS_SECRET_ACCESS_KEY": "s"})
    assert resolved.primary == DEFAULT_PRIMARY


def test_environment_endpoint_and_credentials():
    resolved = settings(environ={"IMPORTEXPORT_ENDPOINT_URL": "http://127.0.0.1:9000/",
                                 "AWS_ACCESS_KEY_ID": "AKIDREAL", "AWS_SECRET_ACCESS_KEY": "s"})
    assert resolved.endpoint_url == "http://127.0.0.1:9000"
    assert resolved.primary == Account("AKIDREAL", "s") and resolved.secondary is None
    assert not resolved.has_control


def test_command_line_beats_config_file_beats_environment(tmp_path):
    path = config_file(tmp_path, """\
endpoint_url: http://127.0.0.1:1111
control_url: http://127.0.0.1:1111/_mock
auth: sigv4
timeout_s: 2.5
accounts:
  primary: {access_key_id: AKIDFILE, secret_access_key: s1}
buckets: {log: my-logs}
""")
    from_file = settings({"target_config": path}, {"IMPORTEXPORT_ENDPOINT_URL": "http://127.0.0.1:2222"})
    assert from_file.endpoint_url == "http://127.0.0.1:1111" and from_file.control_url.endswith("/_mock")
    assert from_file.auth == ("sigv4",) and from_file.timeout_s == 2.5
    assert from_file.primary.access_key_id == "AKIDFILE" and from_file.secondary is None
    assert from_file.buckets.log == "my-logs" and from_file.buckets.primary == "amzn-s3-demo-bucket"
    from_options = settings({"target_config": path, "endpoint_url": "http://127.0.0.1:3333", "auth": "both",
                             "timeout": 7.0})
    assert from_options.endpoint_url == "http://127.0.0.1:3333"
    assert from_options.auth == ("sigv2", "sigv4") and from_options.timeout_s == 7.0


BAD = {
    "field type": ("endpoint_url: http://h:1\ntimeout_s: soon\n",
                   "target.yaml: timeout_s: 'soon' is not of type 'number'"),
    "unknown field": ("endpoint: http://h:1\n", "target.yaml: (top level): Additional properties are not allowed"),
    "account without secret": ("endpoint_url: http://h:1\naccounts: {primary: {access_key_id: A}}\n",
                               "target.yaml: accounts.primary: 'secret_access_key' is a required property"),
    "accounts without endpoint": ("accounts: {primary: {access_key_id: A, secret_access_key: B}}\n",
                                  "target.yaml: endpoint_url: missing; a target config names the endpoint"),
    "only auth": ("auth: sigv2\n", "target.yaml: endpoint_url: missing"),
    "empty file": ("", "target.yaml: the file is empty; it must name at least endpoint_url"),
    "only a comment": ("# endpoint_url: http://h:1\n", "target.yaml: the file is empty"),
    "bad yaml": ("endpoint_url: [\n", "target.yaml: not valid YAML"),
    "endpoint with a path": ("endpoint_url: http://h:1/api\n",
                             "target.yaml: endpoint_url: 'http://h:1/api' must not have a path"),
}


@pytest.mark.parametrize("text, message", BAD.values(), ids=BAD.keys())
def test_bad_target_config_is_a_one_line_usage_error(tmp_path, text, message):
    with pytest.raises(SettingsError) as error:
        settings({"target_config": config_file(tmp_path, text)})
    assert isinstance(error.value, pytest.UsageError)
    assert str(error.value).startswith("--target-config ") and message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("options, environ, message", [
    ({"endpoint_url": "ftp://h"}, {}, "--endpoint-url: 'ftp://h' is not an http(s) URL with a host"),
    ({}, {"IMPORTEXPORT_ENDPOINT_URL": "http://h:1?x=1"},
     "environment: IMPORTEXPORT_ENDPOINT_URL: 'http://h:1?x=1' must not have a query"),
    ({"endpoint_url": "http://h:1"}, {"AWS_ACCESS_KEY_ID": "A"}, "environment: AWS_SECRET_ACCESS_KEY is not set"),
    ({"control_url": "http://h:1/_mock"}, {}, "--control-url: given without an endpoint"),
    ({"timeout": 0.0}, {}, "--timeout: must be a positive number of seconds"),
])
def test_bad_options_and_environment(options, environ, message):
    with pytest.raises(SettingsError, match="^" + re.escape(message)):
        settings(options, environ)
